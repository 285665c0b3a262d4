#!/usr/bin/python3
"""
test_adapter.py: drives ONE secsipidx adapter process (the built C program) over stdio.

Fixtures from the openssl command line (testlib/openssl_pki.py); PASSporTs from the adapter's
own generate op (SecSIPIDSignJSONHP), and from `openssl dgst` for headers generate does not
write. libsecsipid reads the wall clock for certificate validity, so the certificates here are
valid from 2025 to 2049 except where a test wants them expired. Rows marked "recorded" pin a
behaviour that differs from the STIR rules (see docs/interop-findings.md), so a change in the
library shows up here.

Run: /usr/bin/python3 harness/adapters/secsipidx/test_adapter.py [path/to/ssx-adapter]
"""
import base64
import hashlib
import json
import os
import shutil
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(HERE, "..", "testlib"))

import openssl_pki as pki  # noqa: E402

BIN = os.path.join(ROOT, "build", "adapters", "secsipidx", "ssx-adapter")
X5U = "https://cert.example.org/leaf.pem"
AT = pki.T_INSIDE
LONG = dict(leaf_end="20490101000000Z", root_end="20490101000000Z")


def mky_for(point_hex):
    return [{"alg": "sha-256",
             "dig": ":".join("%02X" % b for b in hashlib.sha256(bytes.fromhex(point_hex)).digest())}]


def pad_sig(token, zeros):
    """R and S each left-padded with zero bytes: same numbers, wrong length."""
    head, body, sig = token.split(".")
    raw = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
    z = b"\0" * zeros
    return ".".join([head, body, pki.b64url(z + raw[:32] + z + raw[32:])])


def pad_header(token):
    head, body, sig = token.split(".")
    assert len(head) % 4, "no padding to add"
    return ".".join([head + "=" * (-len(head) % 4), body, sig])


class SecsipidxPeerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ssxpeer-test-")
        cls.dir = os.path.join(cls.tmp, "a")
        cls.pki = pki.make_pki(cls.dir, **LONG)
        cls.old = pki.make_pki(os.path.join(cls.tmp, "old"), leaf_end="20250601000000Z",
                               root_end="20490101000000Z")
        cls.crit = pki.make_pki(os.path.join(cls.tmp, "crit"), critical_tnauth=True, **LONG)
        cls.point = pki.raw_public_point(cls.dir, "leaf.key")
        cls.peer = pki.AdapterProcess([BIN])

    @classmethod
    def tearDownClass(cls):
        resp, rc = cls.peer.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        assert resp["result"] == {} and rc == 0, (resp, rc)

    def claims(self, **over):
        c = {"orig": {"tn": "12155551212"}, "dest": {"uri": ["mimi://provider.example"]},
             "iat": AT, "mky": mky_for(self.point)}
        c.update(over)
        return {k: v for k, v in c.items() if v is not None}

    def generate(self, claims, ppt=None, key_pem=None):
        params = {"kind": "passport", "key": key_pem or self.pki["leaf_key_pem"], "x5u": X5U,
                  "claims": claims}
        if ppt:
            params["ppt"] = ppt
        return self.peer.call("generate", params)["result"]["artifact"]["passport"]

    def signed_claims(self, header, claims_json):
        if isinstance(header, dict):
            header = json.dumps(header, separators=(",", ":"), sort_keys=True)
        return pki.openssl_sign_compact(self.dir, "leaf.key", header, claims_json)

    def signed_by_openssl(self, header, d=None):
        return pki.openssl_sign_compact(d or self.dir, "leaf.key",
                                        json.dumps(header, separators=(",", ":"), sort_keys=True),
                                        json.dumps(self.claims(), separators=(",", ":"),
                                                   sort_keys=True))

    def verify(self, token, at=AT, chain=None, anchors=None, key=None, x5u_map=None):
        inp = {"passport": token, "chain": [self.pki["leaf_pem"]] if chain is None else chain}
        if key is not None:
            inp["signature_key"] = key
        if x5u_map is not None:
            inp["x5u_map"] = x5u_map
        return self.peer.call("verify", {
            "case": "ssxpeer/test", "kind": "passport", "at": at,
            "trust_anchors": [self.pki["root_pem"]] if anchors is None else anchors,
            "input": inp, "policy": {"profile": "mls", "strict": True, "trust_spc": [],
                                     "max_age": 604800, "skew": 300}})

    def test_passport_table(self):
        good = self.generate(self.claims())
        alg_none = ".".join([pki.b64url(b'{"alg":"none","typ":"passport"}'),
                             good.split(".")[1], ""])
        hdr = {"alg": "ES256", "typ": "passport", "x5u": X5U}
        old_tok = pki.openssl_sign_compact(os.path.join(self.tmp, "old"), "leaf.key",
                                           json.dumps(hdr, separators=(",", ":")),
                                           json.dumps(self.claims(), separators=(",", ":")))
        rows = [
            # name, token, verify kwargs, verdict, reason
            ("accept", good, {}, "accept", ""),
            ("accept via x5u map", good, {"chain": [], "x5u_map": {X5U: [self.pki["leaf_pem"]]}},
             "accept", ""),
            ("openssl-signed passport accepted", self.signed_by_openssl(hdr), {}, "accept", ""),
            ("bad signature", pki.flip_signature(good), {}, "reject", "PPT_SIG_INVALID"),
            ("typ JWT", self.signed_by_openssl(dict(hdr, typ="JWT")), {}, "reject", "PPT_TYP"),
            # recorded: the library checks the (empty) signature's size before alg
            ("alg none", alg_none, {}, "reject", "PPT_SIG_LENGTH"),
            ("mky match (glue)", good, {"key": self.point}, "accept", ""),
            ("mky mismatch (glue)", good, {"key": "04" + "11" * 64}, "reject", "MKY_MISMATCH"),
            ("mky missing (glue)", self.generate(self.claims(mky=None)), {"key": self.point},
             "reject", "MKY_MISSING"),
            ("stale via at", good, {"at": AT + 604801}, "reject", "PPT_STALE"),
            ("ppt foo", self.generate(self.claims(), ppt="foo"), {}, "reject",
             "PPT_PPT_UNSUPPORTED"),
            ("x5u not in map (glue)", good, {"chain": [], "x5u_map": {}}, "reject",
             "PPT_X5U_UNRESOLVED"),
            ("expired leaf (expired at 'at' and now)", old_tok,
             {"chain": [self.old["leaf_pem"]], "anchors": [self.old["root_pem"]]},
             "reject", "CERT_EXPIRED"),
            # recorded behaviours that differ from the STIR rules
            ("recorded: iat an hour in the future accepted",
             self.generate(self.claims(iat=AT + 3600)), {}, "accept", ""),
            ("recorded: orig.tn outside TNAuthList accepted",
             self.generate(self.claims(orig={"tn": "19995550000"})), {}, "accept", ""),
            ("recorded: unknown crit accepted",
             self.signed_by_openssl(dict(hdr, crit=["foo"], foo=1)), {}, "accept", ""),
            ("recorded: missing typ accepted",
             self.signed_by_openssl({"alg": "ES256", "x5u": X5U}), {}, "accept", ""),
            ("recorded: ppt shaken without attest/origid accepted",
             self.generate(self.claims(), ppt="shaken"), {}, "accept", ""),
            ("recorded: no trust anchor is a processing error", good, {"anchors": []},
             "reject", ""),
            ("recorded: missing alg accepted",
             self.signed_by_openssl({"typ": "passport", "x5u": X5U}), {}, "accept", ""),
            ("recorded: exp before iat and at ignored",
             self.generate(self.claims(exp=AT - 10)), {}, "accept", ""),
            ("recorded: IAT (upper case) taken for iat", self.signed_claims(
                hdr, json.dumps(self.claims(iat=None, IAT=AT), separators=(",", ":"))), {},
             "accept", ""),
            ("recorded: Typ (upper case) taken for typ",
             self.signed_by_openssl({"alg": "ES256", "Typ": "JWT", "x5u": X5U}), {}, "reject",
             "PPT_TYP"),
            ("recorded: duplicate typ, last wins", self.signed_claims(
                '{"alg":"ES256","typ":"JWT","typ":"passport","x5u":"%s"}' % X5U,
                json.dumps(self.claims(), separators=(",", ":"))), {}, "accept", ""),
            ("66-byte signature refused", pad_sig(good, 1), {}, "reject", "PPT_SIG_LENGTH"),
            ("padded header: signature over the received segment", pad_header(good), {},
             "reject", "PPT_SIG_INVALID"),
            # a whole SIP Identity header value goes to the library unchanged
            ("Identity header value accepted", good + ";info=<%s>;alg=ES256" % X5U, {},
             "accept", ""),
            ("Identity info differs from x5u", good + ";info=<https://other.example/x.pem>;alg=ES256",
             {}, "reject", "PPT_INFO_MISMATCH"),
            ("Identity alg parameter ES384", good + ";info=<%s>;alg=ES384" % X5U, {}, "reject",
             "PPT_IDENTITY_PARAM"),
            ("recorded: Identity ppt=shaken on a PASSporT without ppt accepted",
             good + ";info=<%s>;alg=ES256;ppt=shaken" % X5U, {}, "accept", ""),
        ]
        for name, token, kwargs, verdict, reason in rows:
            with self.subTest(name):
                resp = self.verify(token, **kwargs)
                self.assertIn("result", resp, resp)
                res = resp["result"]
                self.assertEqual((res["verdict"], res["reason"]), (verdict, reason), res)

    def test_expired_only_at_evaluation_time_is_unsupported(self):
        """The library reads the wall clock for certificate validity: a leaf valid now but
        expired at `at` cannot be judged at `at`, so the adapter answers unimplemented."""
        resp = self.verify(self.generate(self.claims(iat=2524608000)), at=2524608000)  # 2050
        self.assertEqual(resp["error"]["code"], "unimplemented", resp)

    def test_critical_tnauthlist_recorded(self):
        """Go crypto/x509 refuses the unknown critical extension; the C API gives only -101."""
        tok = pki.openssl_sign_compact(os.path.join(self.tmp, "crit"), "leaf.key",
                                       json.dumps({"alg": "ES256", "typ": "passport", "x5u": X5U},
                                                  separators=(",", ":")),
                                       json.dumps(self.claims(), separators=(",", ":")))
        res = self.verify(tok, chain=[self.crit["leaf_pem"]], anchors=[self.crit["root_pem"]])
        self.assertEqual(res["result"]["verdict"], "reject", res)
        self.assertIn("-101", res["result"]["native"])

    def test_protocol(self):
        hello = self.peer.call("hello", {})["result"]
        self.assertEqual(hello["protocol"], "stirmls-interop/1")
        self.assertEqual(hello["kinds"], ["passport"])
        rows = [
            ("not JSON", "{nope", None, "bad_request"),
            ("no id", '{"op":"hello"}', None, "bad_request"),
            ("params not object", '{"id":7,"op":"verify","params":[]}', 7, "bad_request"),
            ("duplicate member", '{"id":8,"id":8,"op":"hello"}', None, "bad_request"),
            ("unknown op", '{"id":9,"op":"frobnicate","params":{}}', 9, "unimplemented"),
            ("cert_chain kind", '{"id":10,"op":"verify","params":{"kind":"cert_chain",'
             '"at":0,"input":{}}}', 10, "unimplemented"),
            ("verify without at", '{"id":11,"op":"verify","params":{"kind":"passport",'
             '"input":{}}}', 11, "bad_request"),
            ("passport not a string", '{"id":12,"op":"verify","params":{"kind":"passport",'
             '"at":1,"input":{"passport":5}}}', 12, "bad_request"),
            ("generate without key", '{"id":13,"op":"generate","params":{"kind":"passport",'
             '"claims":{}}}', 13, "bad_request"),
        ]
        for name, line, rid, code in rows:
            with self.subTest(name):
                resp = self.peer.send_line(line)
                self.assertEqual(resp["id"], rid)
                self.assertEqual(resp["error"]["code"], code, resp)
        resp = self.peer.send_line("x" * ((1 << 20) + 10))
        self.assertEqual(resp["error"]["code"], "bad_request")


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
