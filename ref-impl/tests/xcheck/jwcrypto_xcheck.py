#!/usr/bin/python3
"""Cross-check helper: PASSporTs with python3-jwcrypto (an independent JOSE implementation).

  jwcrypto_xcheck.py probe                         exit 0 when jwcrypto is importable, 3 when not
  jwcrypto_xcheck.py sign KEY.pem X5U CLAIMS.json  print a PASSporT signed by jwcrypto
  jwcrypto_xcheck.py sign-loose KEY.pem X5U CLAIMS.json
                                                   the same with Python's default layout (spaces
                                                   after ':' and ','; members in input order)
  jwcrypto_xcheck.py verify KEY.pem TOKEN_FILE     exit 0 when jwcrypto verifies it, 1 when not

Header and claims are serialized here with Python's own JSON encoder (sort_keys, no
whitespace, UTF-8): an independent implementation of the RFC 8225 §9 deterministic form.
"""
import json
import sys

try:
    from jwcrypto import jwk, jws
except ImportError:
    jwk = jws = None


def canon(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def load_key(path):
    with open(path, "rb") as f:
        return jwk.JWK.from_pem(f.read())


def sign(keyf, x5u, claimsf, loose=False):
    with open(claimsf, "rb") as f:
        claims = json.loads(f.read())
    header = {"typ": "passport", "alg": "ES256", "x5u": x5u}
    enc = json.dumps if loose else canon
    tok = jws.JWS(enc(claims).encode("utf-8"))
    tok.add_signature(load_key(keyf), None, protected=enc(header))
    print(tok.serialize(compact=True))
    return 0


def verify(keyf, tokf):
    key = load_key(keyf)
    with open(tokf) as f:
        text = f.read().strip()
    tok = jws.JWS()
    try:
        tok.deserialize(text)
        tok.verify(key, alg="ES256")
    except Exception as e:  # jwcrypto raises several types
        print("jwcrypto: %s" % e, file=sys.stderr)
        return 1
    header = tok.jose_header
    if header.get("typ") != "passport" or header.get("alg") != "ES256":
        print("jwcrypto: unexpected header %r" % header, file=sys.stderr)
        return 1
    return 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "probe":
        return 0 if jws is not None else 3
    if jws is None:
        print("python3-jwcrypto is not installed", file=sys.stderr)
        return 3
    if len(argv) == 5 and argv[1] in ("sign", "sign-loose"):
        return sign(argv[2], argv[3], argv[4], loose=argv[1] == "sign-loose")
    if len(argv) == 4 and argv[1] == "verify":
        return verify(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
