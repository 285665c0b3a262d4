"""
peer_glue.py: the checks this adapter makes itself, because no library behind it makes them.

Written independently of the C reference, from the rules in the STIR-MLS digest:
  * TN coverage (TNA-05..07): one exact, range with same digit count, SPC only when trusted;
  * the end-entity certificate must carry a TNAuthList (CERT_NO_TNAUTHLIST);
  * the mky binding (MKY-02..04): SHA-256 of the raw signature key, upper-case hex with ':';
  * the iat window (EXP-02): iat a non-negative integer, not later than at + skew, not older
    than max_age; exp, when present, an integer later than iat and not before at.
Every reject raised here names the stirmls reason it established and says "glue:" in native.
"""
import hashlib
import re

from peer_common import BadRequest, Verdict

TN_RE = re.compile(r"^[0-9*#]{1,15}$")
DIG_RE = re.compile(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}$")


def _in_range(tn, start, count):
    if len(tn) != len(start) or not start.isdigit() or not tn.isdigit():
        return False
    offset = int(tn) - int(start)
    return 0 <= offset < count


def check_tn_covered(tn, entries, policy):
    """Raise unless tn is covered by the TNAuthList entries (TNA-05..07)."""
    if not isinstance(tn, str):
        raise BadRequest("tn must be a string")
    if entries is None:
        raise Verdict("CERT_NO_TNAUTHLIST", "glue: the end-entity certificate has no TNAuthList")
    for kind, value in entries:
        if kind == "one" and value == tn:
            return
    for kind, value in entries:
        if kind == "range" and _in_range(tn, value[0], value[1]):
            return
    trusted = policy.get("trust_spc") or []
    spcs = [value for kind, value in entries if kind == "spc"]
    for spc in spcs:
        if spc in trusted:
            return
    if spcs and not [e for e in entries if e[0] != "spc"]:
        raise Verdict("SPC_NOT_TRUSTED", "glue: only SPC entries %r, none trusted" % spcs)
    raise Verdict("TN_NOT_COVERED", "glue: %s not in the TNAuthList" % tn)


def mky_digest(signature_key_hex):
    try:
        raw = bytes.fromhex(signature_key_hex)
    except ValueError:
        raise BadRequest("signature_key is not hex") from None
    return ":".join("%02X" % b for b in hashlib.sha256(raw).digest())


def check_mky(claims, signature_key_hex, strict):
    """MKY-03/04: some sha-256 entry must carry the digest of the signature key."""
    want = mky_digest(signature_key_hex)
    if "mky" not in claims:
        raise Verdict("MKY_MISSING", "glue: no mky claim")
    mky = claims["mky"]
    if not isinstance(mky, list) or not mky or not all(
            isinstance(e, dict) and isinstance(e.get("alg"), str) and isinstance(e.get("dig"), str)
            for e in mky):
        raise Verdict("MKY_MALFORMED", "glue: mky is not an array of {alg, dig} objects")
    sha256 = [e["dig"] for e in mky if e["alg"] == "sha-256"]
    if not sha256:
        raise Verdict("MKY_ALG_UNSUPPORTED", "glue: no sha-256 mky entry")
    for dig in sha256:
        if not DIG_RE.match(dig):
            raise Verdict("MKY_DIG_MALFORMED", "glue: mky dig %r is not 32 hex pairs" % dig)
        if strict and dig != dig.upper():
            raise Verdict("MKY_DIG_LOWERCASE", "glue: mky dig uses lower-case hex")
    if any(dig.upper() == want for dig in sha256):
        return
    raise Verdict("MKY_MISMATCH", "glue: no mky entry equals %s" % want)


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def check_times(claims, at, policy):
    """EXP-02 window: [iat - skew, min(exp, iat + max_age)]."""
    skew = policy.get("skew", 300)
    max_age = policy.get("max_age", 604800)
    if not _is_int(skew) or not _is_int(max_age):
        raise BadRequest("policy.skew and policy.max_age must be integers")
    if "iat" not in claims:
        raise Verdict("PPT_IAT_MISSING", "glue: no iat claim")
    iat = claims["iat"]
    if not _is_int(iat) or iat < 0:
        raise Verdict("PPT_IAT_TYPE", "glue: iat %r is not a non-negative integer" % (iat,))
    exp = claims.get("exp")
    if "exp" in claims:
        if not _is_int(exp):
            raise Verdict("PPT_EXP_TYPE", "glue: exp %r is not an integer" % (exp,))
        if exp <= iat:
            raise Verdict("PPT_EXP_NOT_AFTER_IAT", "glue: exp %d <= iat %d" % (exp, iat))
    if iat > at + skew:
        raise Verdict("PPT_IAT_FUTURE", "glue: iat %d > at %d + skew %d" % (iat, at, skew))
    if exp is not None and at >= exp:
        raise Verdict("PPT_EXPIRED", "glue: exp %d <= at %d" % (exp, at))
    if at > iat + max_age:
        raise Verdict("PPT_STALE", "glue: at %d > iat %d + max_age %d" % (at, iat, max_age))


def orig_tn(claims, profile):
    """PPT-10 orig shape; MLS needs orig.tn in canonical form (PPT-11). Returns the tn or None."""
    orig = claims.get("orig")
    if not isinstance(orig, dict) or len([k for k in ("tn", "uri") if k in orig]) != 1:
        raise Verdict("PPT_ORIG_INVALID", "glue: orig is not an object with one of tn/uri")
    if "uri" in orig:
        if profile == "mls":
            raise Verdict("PPT_ORIG_URI", "glue: orig.uri in an MLS credential")
        return None
    tn = orig["tn"]
    if not isinstance(tn, str):
        raise Verdict("PPT_ORIG_INVALID", "glue: orig.tn is not a string")
    if not TN_RE.match(tn):
        raise Verdict("PPT_TN_NONCANONICAL", "glue: orig.tn %r is not canonical" % tn)
    return tn
