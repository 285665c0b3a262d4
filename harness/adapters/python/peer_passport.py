"""
peer_passport.py: PASSporT verify and generate with python3-jwcrypto.

Library checks (jwcrypto JWS): compact form and base64url (its own decoder), the protected
header as JSON, the alg allow-list (set to ["ES256"]), crit (unknown critical parameters),
and the ES256 signature with the signer certificate's key.
Glue (peer_glue and below): typ, ppt, x5u resolution through the supplied map (or, without one,
fetched from the harness's loopback repository through x5u_fetch: peer_fetch), claims JSON,
iat/exp window, orig shape, TN coverage, mky.
"""
import binascii
import json

from cryptography.exceptions import InvalidSignature
from jwcrypto import jwk, jws
from OpenSSL import crypto

import peer_fetch
import peer_glue
import peer_pki
from peer_common import BadRequest, Verdict, result


def _alg_reason(alg):
    if alg == "none":
        return "PPT_ALG_NONE"
    if isinstance(alg, str) and alg.startswith("HS"):
        return "PPT_ALG_HMAC"
    if isinstance(alg, str) and (alg.startswith("RS") or alg.startswith("PS")):
        return "PPT_ALG_RSA"
    return "PPT_ALG_UNSUPPORTED"


def _deserialize(token):
    """jwcrypto parses the compact form. Returns the JWS object."""
    obj = jws.JWS()
    try:
        obj.deserialize(token)
    except jws.InvalidJWSObject as e:
        cause = e.__cause__
        native = "jwcrypto: %s (%r)" % (e, cause)
        if isinstance(cause, json.JSONDecodeError):
            raise Verdict("JSON_INVALID", native) from None
        if isinstance(cause, (binascii.Error, UnicodeDecodeError)) or (
                isinstance(cause, ValueError) and "base64" in str(cause)):
            raise Verdict("B64URL_INVALID", native) from None
        raise Verdict("PPT_MALFORMED", native) from None
    if "protected" not in obj.objects:
        raise Verdict("PPT_MALFORMED", "jwcrypto: empty protected header")
    return obj


def _json_object(text, what, not_object_reason):
    try:
        value = json.loads(text)
    except (ValueError, UnicodeDecodeError) as e:
        raise Verdict("JSON_INVALID", "glue: %s: %s" % (what, e)) from None
    if not isinstance(value, dict):
        raise Verdict(not_object_reason, "glue: %s is not a JSON object" % what)
    return value


def _signer_chain(header, inp):
    chain = inp.get("chain") or []
    if chain:
        return chain
    x5u = header.get("x5u")
    if x5u is None:
        raise Verdict("PPT_X5U_MISSING", "glue: no chain and no x5u")
    if not isinstance(x5u, str) or not x5u.startswith("https://"):
        raise Verdict("PPT_X5U_SCHEME", "glue: x5u %r is not https" % (x5u,))
    if "x5u_map" not in inp and isinstance(inp.get("x5u_fetch"), dict):
        url = inp["x5u_fetch"].get(x5u)
        chain = peer_fetch.fetch_chain(url)
        if chain is None:
            raise Verdict("PPT_X5U_UNRESOLVED", "glue: x5u %s: nothing fetched from %r" % (x5u, url))
        return chain
    x5u_map = inp.get("x5u_map") or {}
    if not isinstance(x5u_map, dict):
        raise BadRequest("x5u_map must be an object")
    if x5u not in x5u_map:
        raise Verdict("PPT_X5U_UNRESOLVED", "glue: x5u %s is not in the map" % x5u)
    return x5u_map[x5u]


def _verify_signature(obj, header, leaf):
    """jwcrypto: alg allow-list, crit, ES256 signature."""
    pem = crypto.dump_publickey(crypto.FILETYPE_PEM, leaf.get_pubkey())
    try:
        key = jwk.JWK.from_pem(pem)
    except Exception as e:  # noqa: BLE001  jwcrypto raises several types here
        raise Verdict("", "jwcrypto JWK.from_pem: %r" % e) from None
    obj.allowed_algs = ["ES256"]
    try:
        obj.verify(key)
        return
    except jws.InvalidJWSSignature as e:
        log = " ".join(getattr(obj, "verifylog", [])) or str(e)
    native = "jwcrypto: " + log
    if "Algorithm not allowed" in log or "InvalidJWAAlgorithm" in log:
        raise Verdict(_alg_reason(header.get("alg")), native)
    if "critical header" in log:
        raise Verdict("PPT_CRIT_UNKNOWN", native)
    if "Verification failed" in log:
        raise Verdict(*_signature_cause(obj, key, native))
    if "No \"alg\"" in log:
        raise Verdict("PPT_ALG_UNSUPPORTED", native)
    if "InvalidJWKType" in log or "Curve" in log:
        raise Verdict("CERT_KEY_TYPE", native)
    raise Verdict("", native)


def _signature_cause(obj, key, native):
    """JWS.verify logs only "Verification failed"; JWSCore raises the same error with the
    cryptography exception as its cause. Re-run JWSCore to read that cause."""
    o = obj.objects
    try:
        core = jws.JWSCore("ES256", key, o["protected"], o["payload"], ["ES256"])
        core.verify(o["signature"])
    except jws.InvalidJWSSignature as e:
        cause = e.__cause__
        native = "%s; cause: %r" % (native, cause)
        if isinstance(cause, InvalidSignature):
            return "PPT_SIG_INVALID", native
        if isinstance(cause, jwk.InvalidJWKType) or "Curve" in repr(cause):
            return "CERT_KEY_TYPE", native
    return "", native


def verify(inp, at, anchors, policy):
    token = inp.get("passport")
    if not isinstance(token, str):
        raise BadRequest("input.passport must be a string")
    profile = policy.get("profile", "mls")
    strict = bool(policy.get("strict", False))
    try:
        obj = _deserialize(token)
        header = _json_object(obj.objects["protected"], "header", "PPT_HEADER_NOT_OBJECT")
        if header.get("typ") != "passport":
            raise Verdict("PPT_TYP", "glue: typ is %r" % (header.get("typ"),))
        if "ppt" in header:
            raise Verdict("PPT_PPT_UNSUPPORTED",
                          "glue: ppt %r: this peer supports no PASSporT extension" % header["ppt"])
        claims = _json_object(obj.objects["payload"], "claims", "PPT_CLAIMS_NOT_OBJECT")
        leaf, entries = peer_pki.signer(_signer_chain(header, inp), anchors, at)
        _verify_signature(obj, header, leaf)
        peer_glue.check_times(claims, at, policy)
        tn = peer_glue.orig_tn(claims, profile)
        identities = []
        if tn is not None:
            peer_glue.check_tn_covered(tn, entries, policy)
            identities.append({"type": "tn", "value": tn})
        ref_tn = inp.get("tn")
        if ref_tn is not None:
            peer_glue.check_tn_covered(ref_tn, entries, policy)
        key = inp.get("signature_key")
        if key is not None:
            if not isinstance(key, str):
                raise BadRequest("signature_key must be a hex string")
            peer_glue.check_mky(claims, key, strict)
        return result("accept", identities=identities)
    except Verdict as v:
        if v.reason == "USAGE":
            raise BadRequest(v.native) from None
        return result("reject", v.reason, v.native)


def canonical_json(value):
    """RFC 8225 §9: sorted members, no whitespace, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def generate(params):
    pem = params.get("key")
    claims = params.get("claims")
    x5u = params.get("x5u")
    ppt = params.get("ppt")
    if not isinstance(pem, str) or not isinstance(claims, dict):
        raise BadRequest("generate needs key (PEM) and claims (object)")
    if x5u is not None and not isinstance(x5u, str):
        raise BadRequest("x5u must be a string")
    if ppt is not None and not isinstance(ppt, str):
        raise BadRequest("ppt must be a string")
    try:
        key = jwk.JWK.from_pem(pem.encode("ascii"))
    except Exception as e:  # noqa: BLE001
        raise BadRequest("key: jwcrypto cannot load it: %r" % e) from None
    header = {"alg": "ES256", "typ": "passport"}
    if x5u is not None:
        header["x5u"] = x5u
    if ppt is not None:
        header["ppt"] = ppt
    obj = jws.JWS(canonical_json(claims).encode("utf-8"))
    try:
        obj.add_signature(key, None, protected=canonical_json(header))
    except Exception as e:  # noqa: BLE001
        raise BadRequest("jwcrypto cannot sign with this key: %r" % e) from None
    return {"artifact": {"passport": obj.serialize(compact=True)}}
