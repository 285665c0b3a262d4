#!/usr/bin/python3
"""
adapter.py: stirmls-interop/1 peer for Debian's Python STIR building blocks.

    python3-jwcrypto        JWS ES256 (PASSporT signature, alg allow-list, crit)
    python3-pyasn1-modules  rfc8226: TNAuthList decoding with the RFC's constraints
    python3-openssl         X.509 path validation at a fixed time (X509Store.set_time)

One long-running process: newline-delimited JSON requests on stdin, one response line per
request on stdout, in order. stdout carries protocol lines only; diagnostics go to stderr.
Run with /usr/bin/python3 (the Debian interpreter that sees the Debian packages).

What the libraries check and what the adapter glue adds is listed in README.md.
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree clean

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import peer_pki        # noqa: E402  (after the path fix above)
import peer_passport   # noqa: E402
from peer_common import BadRequest, Unimplemented  # noqa: E402

PROTOCOL = "stirmls-interop/1"
MAX_LINE = 1 << 20     # 1 MiB, as the harness and the reference
KINDS = ["cert_chain", "passport"]
MAX_AT = 253402300799  # 9999-12-31T23:59:59Z, the last instant a Python datetime holds
# The capability tags of the scenarios (docs/scenarios.md) this peer really has: a case needing
# another tag (delegation, shaken, rcd, jcc, credential, keypackage) is UNSUPPORTED, not FAIL.
TAGS = ["cert", "passport", "mky", "sip-profile", "spc-trust", "x5u", "generate"]
# What stands behind them (shown in hello as "capabilities", informative only).
CAPABILITIES = [
    "cert.chain.fixed_time",     # pyOpenSSL X509Store.set_time
    "cert.tnauthlist.decode",    # pyasn1-modules rfc8226
    "passport.es256",            # jwcrypto
    "passport.crit",             # jwcrypto critical-header check
    "passport.x5u_map",          # glue: x5u looked up in the supplied map
    "passport.x5u_fetch",        # glue: else fetched from the harness's loopback URL (urllib)
    "passport.generate",         # jwcrypto signing, RFC 8225 §9 JSON
    "glue.tn_coverage",          # glue: orig.tn / tn against TNAuthList
    "glue.mky",                  # glue: MKY-03 digest compare
    "glue.iat_window",           # glue: EXP-02 arithmetic
]


ProtocolError = BadRequest


def library_versions():
    import jwcrypto
    import OpenSSL
    import pyasn1
    import pyasn1_modules
    parts = [
        "python3-jwcrypto " + getattr(jwcrypto, "__version__", peer_pki.dpkg_version("python3-jwcrypto")),
        "python3-pyasn1-modules " + getattr(pyasn1_modules, "__version__", "?"),
        "python3-pyasn1 " + pyasn1.__version__,
        "python3-openssl " + OpenSSL.__version__,
        peer_pki.openssl_version(),
        "python " + sys.version.split()[0],
    ]
    return "; ".join(parts)


def hello(_params):
    return {
        "name": "python-jwcrypto-pyasn1-pyopenssl",
        "version": library_versions(),
        "protocol": PROTOCOL,
        "ops": ["hello", "verify", "generate", "shutdown"],
        "kinds": KINDS,
        "credential_types": [],
        "tags": TAGS,
        "capabilities": CAPABILITIES,
    }


def _need(params, name, kind):
    value = params.get(name)
    if not isinstance(value, kind):
        raise ProtocolError("params.%s is missing or has the wrong type" % name)
    return value


def verify(params):
    kind = _need(params, "kind", str)
    at = params.get("at")
    if not isinstance(at, int) or isinstance(at, bool) or at < 0:
        raise ProtocolError("params.at must be a non-negative integer (unix time)")
    if at > MAX_AT:
        raise Unimplemented("pyOpenSSL X509Store.set_time takes a datetime (year <= 9999)")
    anchors = params.get("trust_anchors", [])
    inp = _need(params, "input", dict)
    policy = params.get("policy") or {}
    if not isinstance(anchors, list) or not all(isinstance(a, str) for a in anchors):
        raise ProtocolError("params.trust_anchors must be an array of PEM strings")
    if not isinstance(policy, dict):
        raise ProtocolError("params.policy must be an object")
    if kind == "cert_chain":
        return peer_pki.verify_cert_chain(inp, at, anchors, policy)
    if kind == "passport":
        return peer_passport.verify(inp, at, anchors, policy)
    raise Unimplemented("kind '%s' is not handled by jwcrypto/pyasn1/pyOpenSSL" % kind)


def generate(params):
    kind = _need(params, "kind", str)
    if kind != "passport":
        raise Unimplemented("generate kind '%s' is not handled by this peer" % kind)
    return peer_passport.generate(params)


OPS = {"hello": hello, "verify": verify, "generate": generate}


def answer(line):
    """Return (response dict, keep_going)."""
    try:
        req = json.loads(line, object_pairs_hook=_no_duplicates)
    except (ValueError, ProtocolError) as e:
        return _error(None, "bad_request", "request is not JSON: %s" % e), True
    if not isinstance(req, dict):
        return _error(None, "bad_request", 'a request is {"id":N,"op":"...","params":{...}}'), True
    rid = req.get("id")
    op = req.get("op")
    params = req.get("params", {})
    if not isinstance(rid, int) or isinstance(rid, bool) or not isinstance(op, str):
        return _error(rid, "bad_request", 'a request is {"id":N,"op":"...","params":{...}}'), True
    if not isinstance(params, dict):
        return _error(rid, "bad_request", "params must be an object"), True
    if op == "shutdown":
        return {"id": rid, "result": {}}, False
    handler = OPS.get(op)
    if handler is None:
        return _error(rid, "unimplemented", "op '%s' is not implemented" % op), True
    try:
        return {"id": rid, "result": handler(params)}, True
    except ProtocolError as e:
        return _error(rid, "bad_request", str(e)), True
    except Unimplemented as e:
        return _error(rid, "unimplemented", str(e)), True
    except Exception as e:  # noqa: BLE001  never crash on one bad case
        print("adapter: internal error on id %r: %r" % (rid, e), file=sys.stderr)
        return _error(rid, "internal", "%s: %s" % (type(e).__name__, e)), True


def _no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise ProtocolError("duplicate member %r in request" % k)
        seen[k] = v
    return seen


def _error(rid, code, message):
    return {"id": rid, "error": {"code": code, "message": message}}


def main():
    stdin = sys.stdin.buffer
    out = sys.stdout
    while True:
        raw = stdin.readline(MAX_LINE + 1)
        if not raw:
            return 0
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):       # drop the rest of the long line
                raw = stdin.readline(MAX_LINE + 1)
            resp, go_on = _error(None, "bad_request", "request line longer than 1 MiB"), True
        else:
            text = raw.decode("utf-8", errors="replace").strip()
            if not text:
                continue
            resp, go_on = answer(text)
        out.write(json.dumps(resp, sort_keys=True, separators=(",", ":")) + "\n")
        out.flush()
        if not go_on:
            return 0


if __name__ == "__main__":
    sys.exit(main())
