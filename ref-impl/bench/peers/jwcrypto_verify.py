"""jwcrypto_verify.py DIR [SECONDS]: python3-jwcrypto's JWS verification of the bench PASSporT
(DIR/passport.jwt, key from DIR/signer.pem), signature only (no chain, no claims), in a loop, per CPU second of the process.
Prints one line: "jwcrypto <version> verify (signature only): N/s". Exit 3 when jwcrypto or
cryptography is missing (run.sh then skips this peer)."""
import sys
import time

try:
    import jwcrypto  # noqa: F401 - presence check
    from jwcrypto import jwk, jws
    from cryptography import x509
except ImportError as e:
    print(f"jwcrypto: not available ({e})", file=sys.stderr)
    sys.exit(3)


def main():
    d = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
    token = open(f"{d}/passport.jwt").read().strip()
    cert = x509.load_pem_x509_certificate(open(f"{d}/signer.pem", "rb").read())
    key = jwk.JWK.from_pyca(cert.public_key())

    def once():
        s = jws.JWS()
        s.deserialize(token)
        s.verify(key, alg="ES256")

    once()
    best = 0.0
    for _ in range(3):
        n, t0 = 0, time.process_time()
        while True:
            for _ in range(8):
                once()
            n += 8
            dt = time.process_time() - t0
            if dt >= seconds:
                break
        best = max(best, n / dt)
    try:
        from importlib.metadata import version as pkg_version
        version = pkg_version("jwcrypto")
    except Exception:  # noqa: BLE001 - any failure: unknown version
        version = "?"
    print(f"jwcrypto {version} verify (signature only): {best:.0f}/s")


main()
