"""
peer_pki.py: certificates for the Python peer.

Library checks:  pyOpenSSL X509Store/X509StoreContext path validation at the evaluation time
                 (store.set_time), with OpenSSL's default verify flags and no purpose;
                 pyasn1-modules rfc8226 decoding of the TNAuthList extension (DER decoder,
                 RFC 8226 constraints; SIZE constraints through the library's isInconsistent).
Glue (peer_glue): coverage of a telephone number by the decoded entries.
"""
import datetime
import subprocess

from OpenSSL import SSL, crypto
from pyasn1.codec.der import decoder as der_decoder
from pyasn1.error import PyAsn1Error
from pyasn1_modules import rfc5280, rfc8226

import peer_glue
from peer_common import BadRequest, Verdict, result


# OpenSSL X509_V_ERR_* numbers -> stirmls reason names, only where the code says exactly that.
OPENSSL_VERIFY_REASONS = {
    2: "CERT_UNTRUSTED",             # unable to get issuer certificate
    4: "CERT_SIGNATURE",             # unable to decrypt certificate's signature
    7: "CERT_SIGNATURE",             # certificate signature failure
    9: "CERT_NOT_YET_VALID",
    10: "CERT_EXPIRED",
    18: "CERT_UNTRUSTED",            # self-signed certificate (depth 0, not a trust anchor)
    19: "CERT_UNTRUSTED",            # self-signed certificate in chain
    20: "CERT_UNTRUSTED",            # unable to get local issuer certificate
    21: "CERT_UNTRUSTED",            # unable to verify the first certificate
    22: "CERT_CHAIN_TOO_LONG",
    23: "CERT_REVOKED",
    24: "CERT_NOT_CA",               # invalid CA certificate
    25: "CERT_PATH_LENGTH",
    32: "CERT_NOT_CA",               # key usage does not include certificate signing
    34: "CERT_UNKNOWN_CRITICAL_EXT",
}


def openssl_version():
    return SSL.SSLeay_version(SSL.SSLEAY_VERSION).decode("ascii", "replace")


def dpkg_version(package):
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], check=True,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=10)
        return out.stdout.decode("ascii", "replace")
    except (OSError, subprocess.SubprocessError):
        return "?"


def load_certs(pems, what):
    """PEM strings -> X509 objects (pyOpenSSL parses; a failure is CERT_PARSE)."""
    if not isinstance(pems, list) or not all(isinstance(p, str) for p in pems):
        raise Verdict("USAGE", "%s must be an array of PEM strings" % what)
    out = []
    for i, pem in enumerate(pems):
        try:
            out.append(crypto.load_certificate(crypto.FILETYPE_PEM, pem.encode("ascii")))
        except (crypto.Error, UnicodeEncodeError, ValueError) as e:
            raise Verdict("CERT_PARSE", "%s[%d]: pyOpenSSL: %s" % (what, i, e)) from None
    return out


def validate_path(chain, anchors, at):
    """Path validation by OpenSSL at time `at`. chain: X509 list, leaf first."""
    if not chain:
        raise Verdict("CERT_CHAIN_EMPTY", "no certificate supplied")
    store = crypto.X509Store()
    for a in anchors:
        store.add_cert(a)
    store.set_time(datetime.datetime.fromtimestamp(at, datetime.timezone.utc))
    ctx = crypto.X509StoreContext(store, chain[0], chain=chain[1:])
    try:
        ctx.verify_certificate()
    except crypto.X509StoreContextError as e:
        code = e.errors[0] if e.errors else -1
        depth = e.errors[1] if len(e.errors) > 1 else -1
        native = "OpenSSL X509_verify_cert: error %s at depth %s: %s" % (code, depth, e)
        raise Verdict(OPENSSL_VERIFY_REASONS.get(code, ""), native) from None


def tnauthlist(cert):
    """Decode the TNAuthList of cert with pyasn1-modules. None when the extension is absent."""
    der = crypto.dump_certificate(crypto.FILETYPE_ASN1, cert)
    try:
        parsed, rest = der_decoder.decode(der, asn1Spec=rfc5280.Certificate())
    except PyAsn1Error as e:
        raise Verdict("CERT_PARSE", "pyasn1 rfc5280.Certificate: %s" % _short(e)) from None
    if rest:
        raise Verdict("CERT_PARSE", "pyasn1: %d bytes after the certificate" % len(rest))
    extensions = parsed["tbsCertificate"]["extensions"]
    found = None
    for ext in extensions if extensions.isValue else []:
        if ext["extnID"] == rfc8226.id_pe_TNAuthList:
            if found is not None:
                raise Verdict("", "two TNAuthList extensions (pyasn1 decodes both)")
            found = bytes(ext["extnValue"])
    if found is None:
        return None
    try:
        value, rest = der_decoder.decode(found, asn1Spec=rfc8226.TNAuthorizationList())
    except PyAsn1Error as e:
        raise Verdict("CERT_TNAUTHLIST_INVALID", "pyasn1 rfc8226: %s" % _short(e)) from None
    if rest:
        raise Verdict("CERT_TNAUTHLIST_INVALID",
                      "pyasn1 rfc8226: %d bytes after the TNAuthorizationList" % len(rest))
    bad = value.isInconsistent   # the decoder does not apply SIZE (1..MAX); the type does
    if bad:
        raise Verdict("CERT_TNAUTHLIST_INVALID", "pyasn1 rfc8226 constraint: %s" % _short(bad))
    entries = []
    for entry in value:
        name = entry.getName()
        if name == "one":
            entries.append(("one", str(entry["one"])))
        elif name == "range":
            entries.append(("range", (str(entry["range"]["start"]), int(entry["range"]["count"]))))
        elif name == "spc":
            entries.append(("spc", str(entry["spc"])))
    return entries


def identities_of(entries):
    out = []
    for kind, value in entries or []:
        if kind == "one":
            out.append({"type": "tn", "value": value})
        elif kind == "range":
            out.append({"type": "range", "value": "%s/%d" % value})
        else:
            out.append({"type": "spc", "value": value})
    return out


def _short(e):
    text = str(e).replace("\n", " ")
    return text if len(text) <= 300 else text[:300] + "..."


def signer(chain_pems, anchors_pems, at):
    """Validate a chain and decode the leaf's TNAuthList. Returns (leaf X509, entries)."""
    chain = load_certs(chain_pems, "chain")
    anchors = load_certs(anchors_pems, "trust_anchors")
    validate_path(chain, anchors, at)
    return chain[0], tnauthlist(chain[0])


def verify_cert_chain(inp, at, anchors, policy):
    try:
        _leaf, entries = signer(inp.get("chain"), anchors, at)
        if entries is None:
            raise Verdict("CERT_NO_TNAUTHLIST", "glue: the end-entity certificate has no TNAuthList")
        tn = inp.get("tn")
        if tn is not None:
            peer_glue.check_tn_covered(tn, entries, policy)
        return result("accept", identities=identities_of(entries))
    except Verdict as v:
        if v.reason == "USAGE":
            raise BadRequest(v.native) from None
        return result("reject", v.reason, v.native)
