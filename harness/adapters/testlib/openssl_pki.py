"""
openssl_pki.py: test fixtures for the peer adapters, made by the openssl command line.

A P-256 root and leaf with fixed validity windows (openssl ca -startdate/-enddate; OpenSSL
3.0's req/x509 have no fixed-date option), the leaf carrying TNAuthList one:12155551212
(RFC 8226 App. A encoding). Everything lives in a temporary directory the caller removes.
Known answers come from outside the adapters: the adapters never made these bytes.
"""
import os
import subprocess

TNAUTH_ONE_12155551212 = "DER:30:0F:A2:0D:16:0B:31:32:31:35:35:35:35:31:32:31:32"

# Unix times used by the tests (all UTC).
T_2025 = 1735689600          # 2025-01-01T00:00:00Z: root and leaf notBefore
T_INSIDE = 1767225600        # 2026-01-01T00:00:00Z: inside every window
T_LEAF_END = 1798761600      # 2027-01-01T00:00:00Z: leaf notAfter
T_AFTER_LEAF = 1830297600    # 2028-01-01T00:00:00Z: leaf expired, root still valid
ROOT_END = "20300101000000Z"

_CA_CONF = """
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = {d}
database = {d}/index.txt
new_certs_dir = {d}/newcerts
serial = {d}/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
[ policy_any ]
commonName = supplied
[ v3_root ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ v3_leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = {leaf_ku}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.3.6.1.5.5.7.1.26 = {crit}{tnauth}
"""


def _run(args, cwd):
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)


def _read(path):
    with open(path, encoding="ascii") as f:
        return f.read()


def der_hex(hexstr):
    """"300FA2..." -> the openssl config form "DER:30:0F:A2:..."."""
    return "DER:" + ":".join(hexstr[i:i + 2] for i in range(0, len(hexstr), 2))


def make_pki(d, critical_tnauth=False, leaf_start="20250101000000Z",
             leaf_end="20270101000000Z", name="leaf", root_end=ROOT_END,
             tnauth=TNAUTH_ONE_12155551212, leaf_ku="critical,digitalSignature"):
    """Create root + leaf in directory d. Returns a dict of PEM strings and key paths.
    tnauth: the leaf's TNAuthList extension value in openssl config form (see der_hex)."""
    os.makedirs(os.path.join(d, "newcerts"), exist_ok=True)
    open(os.path.join(d, "index.txt"), "w").close()
    with open(os.path.join(d, "serial"), "w") as f:
        f.write("1000\n")
    with open(os.path.join(d, "ca.cnf"), "w") as f:
        f.write(_CA_CONF.format(d=d, crit="critical," if critical_tnauth else "",
                                tnauth=tnauth, leaf_ku=leaf_ku))
    for key in ("root.key", name + ".key"):
        _run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
              "-out", key], d)
    _run(["openssl", "req", "-new", "-key", "root.key", "-subj", "/CN=stirmls test root",
          "-out", "root.csr"], d)
    _run(["openssl", "ca", "-batch", "-config", "ca.cnf", "-selfsign", "-keyfile", "root.key",
          "-in", "root.csr", "-extensions", "v3_root", "-startdate", "20250101000000Z",
          "-enddate", root_end, "-notext", "-out", "root.pem"], d)
    _run(["openssl", "req", "-new", "-key", name + ".key", "-subj", "/CN=stirmls test " + name,
          "-out", name + ".csr"], d)
    _run(["openssl", "ca", "-batch", "-config", "ca.cnf", "-cert", "root.pem", "-keyfile",
          "root.key", "-in", name + ".csr", "-extensions", "v3_leaf", "-startdate", leaf_start,
          "-enddate", leaf_end, "-notext", "-out", name + ".pem"], d)
    return {
        "root_pem": _read(os.path.join(d, "root.pem")),
        "leaf_pem": _read(os.path.join(d, name + ".pem")),
        "leaf_key_pem": _read(os.path.join(d, name + ".key")),
        "leaf_key_path": os.path.join(d, name + ".key"),
    }


def raw_public_point(d, keyfile):
    """The 65-byte uncompressed point of a private key, as hex (openssl ec -text)."""
    out = subprocess.run(["openssl", "pkey", "-in", keyfile, "-pubout", "-outform", "DER"],
                         cwd=d, check=True, stdout=subprocess.PIPE).stdout
    return out[-65:].hex()      # P-256 SPKI ends with the BIT STRING holding 04||X||Y


def b64url(data):
    import base64
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def openssl_sign_compact(d, keyfile, header_json, claims_json):
    """A compact JWS signed by `openssl dgst` (DER ECDSA turned into R||S here), so tests can
    make tokens the adapters' generate op refuses to make (typ JWT, crit, ...)."""
    signing_input = b64url(header_json.encode()) + "." + b64url(claims_json.encode())
    der = subprocess.run(["openssl", "dgst", "-sha256", "-sign", keyfile], cwd=d, check=True,
                         input=signing_input.encode(), stdout=subprocess.PIPE).stdout
    # DER SEQUENCE { INTEGER r, INTEGER s }, both < 2^256, so short lengths only.
    assert der[0] == 0x30
    pos = 2
    ints = []
    for _ in range(2):
        assert der[pos] == 0x02
        n = der[pos + 1]
        ints.append(int.from_bytes(der[pos + 2:pos + 2 + n], "big"))
        pos += 2 + n
    raw = ints[0].to_bytes(32, "big") + ints[1].to_bytes(32, "big")
    return signing_input + "." + b64url(raw)


def flip_signature(token):
    """Change one character in the middle of the signature segment."""
    head, sig = token.rsplit(".", 1)
    i = len(sig) // 2
    return head + "." + sig[:i] + ("A" if sig[i] != "A" else "B") + sig[i + 1:]


class AdapterProcess:
    """One long-running adapter driven over stdio, as the harness drives it."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
        self.next_id = 0

    def send_line(self, line):
        import json
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def call(self, op, params):
        import json
        self.next_id += 1
        resp = self.send_line(json.dumps({"id": self.next_id, "op": op, "params": params}))
        assert resp.get("id") == self.next_id, resp
        return resp

    def close(self):
        resp = self.call("shutdown", {})
        rc = self.proc.wait(timeout=30)
        return resp, rc
