#!/usr/bin/python3
"""A stirmls-interop/1 adapter skeleton (Python 3, standard library only). Copy it, fill in verify().

    /usr/bin/python3 adapter.py                     stdio: requests on stdin, responses on stdout
    /usr/bin/python3 adapter.py --listen 127.0.0.1:9000   TCP: the same lines, one connection at a time

The protocol is docs/protocol.md. Until you fill it in, every verify and generate answers the error
`unimplemented` (the harness scores UNSUPPORTED), so a run judges nothing and exits 1 unless
--allow-unsupported-only: that is the kit's self-test in `make check`.
"""
import json
import socket
import sys

# What your implementation claims. The harness sends a case only when its op is in OPS, its kind in
# KINDS and every one of its tags in TAGS (the suite's tags: docs/scenarios.md, "tags"). Remove what
# you do not implement: a case you do not claim is UNSUPPORTED without being sent.
OPS = ["verify"]  # add "generate" when you produce PASSporTs or KeyPackages
KINDS = ["cert_chain", "passport", "credential", "key_package"]
TAGS = ["cert", "delegation", "spc-trust", "passport", "mky", "shaken", "rcd", "sip-profile", "x5u",
        "credential", "keypackage"]


def log(*args):
    """Diagnostics go to stderr (the harness keeps them in <out>/stderr/NAME.log); never to stdout."""
    print("kit-python:", *args, file=sys.stderr, flush=True)


class Unimplemented(Exception):
    """Raise it for anything you do not support: the harness scores the case UNSUPPORTED."""


def verify(kind, at, trust_anchors, inp, policy):
    """Judge one artefact. Return (verdict, reason, native): verdict "accept" or "reject"; reason the
    NAME from docs/reason-codes.md ("" on accept); native your library's own text.

    kind          "cert_chain" | "passport" | "credential" | "key_package"
    at            evaluation time, Unix seconds: use it instead of the clock for every validity check
    trust_anchors PEM certificates, one per string
    inp           per kind (docs/protocol.md, verify): chain, passport, x5u_map, signature_key, tn, ...
    policy        profile ("mls"|"sip"), strict, trust_spc, max_age, skew, ... (defaults in the protocol)

    A bad input is a reject, not an exception: raise only for "I could not judge".
    """
    # Fill in, for example for kind "passport":
    #   token = inp["passport"]
    #   ok, why = my_library.verify_passport(token, inp.get("chain", []), trust_anchors, at, ...)
    #   return ("accept", "", "") if ok else ("reject", "PPT_SIG_INVALID", why)
    raise Unimplemented(f"verify of kind {kind} not filled in yet")


def generate(params):
    """Produce an artefact (only if OPS lists "generate"): return {"passport": "<compact JWS>"} for
    kind passport, {"key_package": "<hex>"} for kind key_package."""
    raise Unimplemented(f"generate of kind {params.get('kind')} not filled in yet")


def handle(req):
    """One request object -> (response object, keep going)."""
    rid, op, p = req.get("id"), req.get("op"), req.get("params") or {}
    try:
        if op == "hello":
            res = {"name": "kit-python", "version": "0.1", "protocol": "stirmls-interop/1",
                   "ops": OPS, "kinds": KINDS, "tags": TAGS}
        elif op == "verify":
            verdict, reason, native = verify(p.get("kind"), p.get("at"), p.get("trust_anchors", []),
                                             p.get("input", {}), p.get("policy", {}))
            res = {"verdict": verdict, "reason": reason, "native": native, "identities": []}
        elif op == "generate":
            res = {"artifact": generate(p)}
        elif op == "shutdown":
            return {"id": rid, "result": {}}, False
        else:
            raise Unimplemented(f"op {op}")
    except Unimplemented as e:
        return {"id": rid, "error": {"code": "unimplemented", "message": str(e)}}, True
    except (KeyError, TypeError, ValueError) as e:
        log(f"request {rid}: bad params: {e!r}")
        return {"id": rid, "error": {"code": "bad_request", "message": repr(e)}}, True
    except Exception as e:  # the implementation failed: an error, not a verdict
        log(f"request {rid}: internal error: {e!r}")
        return {"id": rid, "error": {"code": "internal", "message": repr(e)}}, True
    return {"id": rid, "result": res}, True


def serve(rfile, wfile):
    """The loop: one JSON object per line in, one per line out, in order."""
    for line in rfile:
        try:
            req = json.loads(line)
        except ValueError as e:
            log(f"not JSON: {e}")
            continue
        resp, go_on = handle(req)
        wfile.write(json.dumps(resp, separators=(",", ":")) + "\n")
        wfile.flush()
        if not go_on:
            return False
    return True


def main(argv):
    if len(argv) == 3 and argv[1] == "--listen":
        host, port = argv[2].rsplit(":", 1)
        with socket.create_server((host, int(port))) as srv:
            log(f"listening on {host}:{srv.getsockname()[1]}")
            while True:
                conn, _ = srv.accept()
                with conn, conn.makefile("r", encoding="utf-8") as r, conn.makefile("w", encoding="utf-8") as w:
                    serve(r, w)  # the harness may close and reconnect at any time
    if len(argv) != 1:
        print("usage: adapter.py [--listen HOST:PORT]", file=sys.stderr)
        return 2
    serve(sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
