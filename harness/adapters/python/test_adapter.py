#!/usr/bin/python3
"""
test_adapter.py: drives ONE Python peer adapter process over stdio (stirmls-interop/1).

Fixtures come from the openssl command line at test time (testlib/openssl_pki.py); PASSporTs
from the adapter's own generate op, and, for headers generate refuses to write (typ JWT, crit),
from `openssl dgst`. Every negative row asserts the exact reason.

Run: /usr/bin/python3 harness/adapters/python/test_adapter.py
"""
import base64
import hashlib
import http.server
import json
import os
import shutil
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
import tempfile
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "testlib"))

import openssl_pki as pki  # noqa: E402

X5U = "https://cert.example.org/leaf.pem"


def mky_for(point_hex):
    return [{"alg": "sha-256",
             "dig": ":".join("%02X" % b for b in hashlib.sha256(bytes.fromhex(point_hex)).digest())}]


class PythonPeerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="pypeer-test-")
        cls.pki = pki.make_pki(os.path.join(cls.tmp, "a"))
        cls.crit = pki.make_pki(os.path.join(cls.tmp, "crit"), critical_tnauth=True)
        cls.point = pki.raw_public_point(os.path.join(cls.tmp, "a"), "leaf.key")
        cls.other_point = pki.raw_public_point(os.path.join(cls.tmp, "a"), "root.key")
        cls.peer = pki.AdapterProcess(["/usr/bin/python3", os.path.join(HERE, "adapter.py")])

    @classmethod
    def tearDownClass(cls):
        resp, rc = cls.peer.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        assert resp["result"] == {} and rc == 0, (resp, rc)

    # ---- helpers ---------------------------------------------------------------------------
    def claims(self, **over):
        c = {"orig": {"tn": "12155551212"}, "dest": {"uri": ["mimi://provider.example"]},
             "iat": pki.T_INSIDE, "mky": mky_for(self.point)}
        c.update(over)
        return {k: v for k, v in c.items() if v is not None}

    def generate(self, claims, key_pem=None, ppt=None):
        params = {"kind": "passport", "key": key_pem or self.pki["leaf_key_pem"], "x5u": X5U,
                  "claims": claims}
        if ppt:
            params["ppt"] = ppt
        resp = self.peer.call("generate", params)
        return resp["result"]["artifact"]["passport"]

    def verify(self, token, at=pki.T_INSIDE + 60, chain=None, anchors=None, key=None,
               x5u_map=None, kind="passport", extra=None):
        inp = {"passport": token, "chain": [self.pki["leaf_pem"]] if chain is None else chain}
        if key is not None:
            inp["signature_key"] = key
        if x5u_map is not None:
            inp["x5u_map"] = x5u_map
        inp.update(extra or {})
        params = {"case": "pypeer/test", "kind": kind, "at": at,
                  "trust_anchors": [self.pki["root_pem"]] if anchors is None else anchors,
                  "input": inp,
                  "policy": {"profile": "mls", "strict": True, "trust_spc": [],
                             "max_age": 604800, "skew": 300}}
        resp = self.peer.call("verify", params)
        self.assertIn("result", resp, resp)
        return resp["result"]

    def signed_by_openssl(self, header):
        return pki.openssl_sign_compact(os.path.join(self.tmp, "a"), "leaf.key",
                                        json.dumps(header, separators=(",", ":"), sort_keys=True),
                                        json.dumps(self.claims(), separators=(",", ":"),
                                                   sort_keys=True))

    # ---- x5u fetched from a loopback repository (input.x5u_fetch) -----------------------------
    def test_x5u_fetch(self):
        leaf = self.pki["leaf_pem"].encode("ascii")

        class Repo(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                if self.path != "/case/0.pem":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/pem-certificate-chain")
                self.send_header("Content-Length", str(len(leaf)))
                self.end_headers()
                self.wfile.write(leaf)

            def log_message(self, *args):
                pass

        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Repo)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        base = "http://127.0.0.1:%d" % srv.server_address[1]
        good = self.generate(self.claims())
        rows = [
            ("fetched", {X5U: base + "/case/0.pem"}, None, "accept", ""),
            ("404", {X5U: base + "/case/1.pem"}, None, "reject", "PPT_X5U_UNRESOLVED"),
            ("not loopback", {X5U: base.replace("127.0.0.1", "localhost") + "/case/0.pem"}, None,
             "reject", "PPT_X5U_UNRESOLVED"),
            ("https refused", {X5U: base.replace("http:", "https:") + "/case/0.pem"}, None,
             "reject", "PPT_X5U_UNRESOLVED"),
            ("other url", {"https://elsewhere.example/x.pem": base + "/case/0.pem"}, None,
             "reject", "PPT_X5U_UNRESOLVED"),
            ("x5u_map wins", {X5U: base + "/case/0.pem"}, {}, "reject", "PPT_X5U_UNRESOLVED"),
        ]
        try:
            for name, fetch, x5u_map, verdict, reason in rows:
                with self.subTest(name):
                    res = self.verify(good, chain=[], key=self.point, x5u_map=x5u_map,
                                      extra={"x5u_fetch": fetch})
                    self.assertEqual((res["verdict"], res["reason"]), (verdict, reason), res)
        finally:
            srv.shutdown()
            srv.server_close()

    # ---- the table -------------------------------------------------------------------------
    def test_passport_table(self):
        good = self.generate(self.claims())
        alg_none = ".".join([pki.b64url(b'{"alg":"none","typ":"passport"}'),
                             good.split(".")[1], ""])
        rows = [
            # name, token, verify kwargs, verdict, reason
            ("accept", good, {"key": self.point}, "accept", ""),
            ("accept via x5u map", good,
             {"chain": [], "x5u_map": {X5U: [self.pki["leaf_pem"]]}, "key": self.point},
             "accept", ""),
            ("bad signature", pki.flip_signature(good), {}, "reject", "PPT_SIG_INVALID"),
            ("typ JWT", self.signed_by_openssl({"alg": "ES256", "typ": "JWT", "x5u": X5U}), {},
             "reject", "PPT_TYP"),
            ("openssl-signed passport accepted", self.signed_by_openssl(
                {"alg": "ES256", "typ": "passport", "x5u": X5U}), {"key": self.point},
             "accept", ""),
            ("crit unknown", self.signed_by_openssl(
                {"alg": "ES256", "crit": ["foo"], "foo": 1, "typ": "passport", "x5u": X5U}), {},
             "reject", "PPT_CRIT_UNKNOWN"),
            ("alg none", alg_none, {}, "reject", "PPT_ALG_NONE"),
            ("mky match", good, {"key": self.point}, "accept", ""),
            ("mky mismatch", good, {"key": self.other_point}, "reject", "MKY_MISMATCH"),
            ("mky missing", self.generate(self.claims(mky=None)), {"key": self.point},
             "reject", "MKY_MISSING"),
            ("expired leaf via at", good, {"at": pki.T_AFTER_LEAF}, "reject", "CERT_EXPIRED"),
            ("leaf not yet valid", good, {"at": pki.T_2025 - 86400}, "reject",
             "CERT_NOT_YET_VALID"),
            ("no trust anchor", good, {"anchors": []}, "reject", "CERT_UNTRUSTED"),
            ("iat in the future", self.generate(self.claims(iat=pki.T_INSIDE + 3600)), {},
             "reject", "PPT_IAT_FUTURE"),
            ("stale", good, {"at": pki.T_INSIDE + 604801}, "reject", "PPT_STALE"),
            ("orig not covered", self.generate(self.claims(orig={"tn": "12155551213"})), {},
             "reject", "TN_NOT_COVERED"),
            ("ppt shaken", self.generate(self.claims(), ppt="shaken"), {}, "reject",
             "PPT_PPT_UNSUPPORTED"),
            ("x5u not in map", good, {"chain": [], "x5u_map": {}}, "reject",
             "PPT_X5U_UNRESOLVED"),
            ("two segments", "abc.def", {}, "reject", "PPT_MALFORMED"),
        ]
        for name, token, kwargs, verdict, reason in rows:
            with self.subTest(name):
                res = self.verify(token, **kwargs)
                self.assertEqual((res["verdict"], res["reason"]), (verdict, reason), res)
                if verdict == "accept":
                    self.assertEqual(res["identities"], [{"type": "tn", "value": "12155551212"}])

    def test_critical_tnauthlist_is_rejected_by_openssl(self):
        """Recorded behaviour (TNA-11): OpenSSL does not know the TNAuthList OID, so a critical
        TNAuthList fails path validation. The adapter reports it, it does not hide it."""
        res = self.peer.call("verify", {
            "case": "pypeer/crit", "kind": "cert_chain", "at": pki.T_INSIDE,
            "trust_anchors": [self.crit["root_pem"]],
            "input": {"chain": [self.crit["leaf_pem"]]}, "policy": {}})["result"]
        self.assertEqual((res["verdict"], res["reason"]), ("reject", "CERT_UNKNOWN_CRITICAL_EXT"))
        self.assertIn("unhandled critical extension", res["native"])

    def test_cert_chain_table(self):
        rows = [
            ("accept", {"chain": [self.pki["leaf_pem"]]}, pki.T_INSIDE, "accept", ""),
            ("tn covered", {"chain": [self.pki["leaf_pem"]], "tn": "12155551212"}, pki.T_INSIDE,
             "accept", ""),
            ("tn not covered", {"chain": [self.pki["leaf_pem"]], "tn": "12155551299"},
             pki.T_INSIDE, "reject", "TN_NOT_COVERED"),
            ("expired", {"chain": [self.pki["leaf_pem"]]}, pki.T_AFTER_LEAF, "reject",
             "CERT_EXPIRED"),
            ("root without TNAuthList as leaf", {"chain": [self.pki["root_pem"]]}, pki.T_INSIDE,
             "reject", "CERT_NO_TNAUTHLIST"),
            ("garbage PEM", {"chain": ["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]},
             pki.T_INSIDE, "reject", "CERT_PARSE"),
        ]
        for name, inp, at, verdict, reason in rows:
            with self.subTest(name):
                res = self.peer.call("verify", {
                    "case": "pypeer/chain", "kind": "cert_chain", "at": at,
                    "trust_anchors": [self.pki["root_pem"]], "input": inp,
                    "policy": {"profile": "mls"}})["result"]
                self.assertEqual((res["verdict"], res["reason"]), (verdict, reason), res)
                if verdict == "accept":
                    self.assertEqual(res["identities"], [{"type": "tn", "value": "12155551212"}])

    def test_tnauthlist_table(self):
        """TNAuthList variants: decoded by pyasn1-modules rfc8226, coverage by adapter glue.
        Rows named "recorded:" pin library behaviour that differs from the rules."""
        rows = [
            # name, TNAuthList DER hex, tn, trust_spc, verdict, reason, identities
            ("range covers", "3014A1123010160B3132313535353530313030020164", "12155550199", [],
             "accept", "", [{"type": "range", "value": "12155550100/100"}]),
            ("range end not covered", "3014A1123010160B3132313535353530313030020164",
             "12155550200", [], "reject", "TN_NOT_COVERED", None),
            ("range no carry into a 12th digit", "3014A1123010160B3132313535353530313030020164",
             "112155550150", [], "reject", "TN_NOT_COVERED", None),
            ("spc only, untrusted", "3008A00616043730394A", "12155551212", [], "reject",
             "SPC_NOT_TRUSTED", None),
            ("spc trusted", "3008A00616043730394A", "12155551212", ["709J"], "accept", "",
             [{"type": "spc", "value": "709J"}]),
            ("empty list (SIZE via isInconsistent)", "3000", None, [], "reject",
             "CERT_TNAUTHLIST_INVALID", None),
            ("count 1", "3014A1123010160B3132313535353530313030020101", None, [], "reject",
             "CERT_TNAUTHLIST_INVALID", None),
            ("tn with a letter", "3010A20E160C313231353535353132313241", None, [], "reject",
             "CERT_TNAUTHLIST_INVALID", None),
            ("implicit tag", "300680043730394A", None, [], "reject", "CERT_TNAUTHLIST_INVALID",
             None),
            ("UTF8String", "300FA20D0C0B3132313535353531323132", None, [], "reject",
             "CERT_TNAUTHLIST_INVALID", None),
            ("trailing byte", "300FA20D160B313231353535353132313200", None, [], "reject",
             "CERT_TNAUTHLIST_INVALID", None),
            ("recorded: range extension element refused (no ... in rfc8226)",
             "3016A1143012160B31323135353535303130300201640500", None, [], "reject",
             "CERT_TNAUTHLIST_INVALID", None),
            ("recorded: non-minimal DER length accepted", "30810FA20D160B3132313535353531323132",
             "12155551212", [], "accept", "", [{"type": "tn", "value": "12155551212"}]),
        ]
        for i, (name, der, tn, spc, verdict, reason, ids) in enumerate(rows):
            with self.subTest(name):
                made = pki.make_pki(os.path.join(self.tmp, "tna%d" % i), tnauth=pki.der_hex(der))
                inp = {"chain": [made["leaf_pem"]]}
                if tn is not None:
                    inp["tn"] = tn
                res = self.peer.call("verify", {
                    "case": "pypeer/tna", "kind": "cert_chain", "at": pki.T_INSIDE,
                    "trust_anchors": [made["root_pem"]], "input": inp,
                    "policy": {"profile": "mls", "trust_spc": spc}})["result"]
                self.assertEqual((res["verdict"], res["reason"]), (verdict, reason), res)
                if ids is not None:
                    self.assertEqual(res["identities"], ids)

    def test_recorded_no_stir_profile(self):
        """OpenSSL's default verification (no purpose) does not apply TNA-10: an end-entity
        certificate without digitalSignature is accepted (docs/interop-findings.md P10)."""
        made = pki.make_pki(os.path.join(self.tmp, "ku"), leaf_ku="critical,keyAgreement")
        res = self.peer.call("verify", {
            "case": "pypeer/ku", "kind": "cert_chain", "at": pki.T_INSIDE,
            "trust_anchors": [made["root_pem"]], "input": {"chain": [made["leaf_pem"]]},
            "policy": {}})["result"]
        self.assertEqual((res["verdict"], res["reason"]), ("accept", ""), res)

    def test_recorded_jose_leniency(self):
        """jwcrypto behaviours that differ from the rules (docs/interop-findings.md P5-P8)."""
        good = self.generate(self.claims())
        head, body, sig = good.split(".")
        raw = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
        self.assertTrue(len(head) % 4 and len(sig) % 4, "the padding rows need padding to add")
        std = base64.b64encode(raw).decode().rstrip("=")
        dup = pki.openssl_sign_compact(
            os.path.join(self.tmp, "a"), "leaf.key",
            '{"alg":"ES256","typ":"JWT","typ":"passport","x5u":"%s"}' % X5U,
            json.dumps(self.claims(), separators=(",", ":"), sort_keys=True))
        rows = [
            ("P5 66-byte signature", ".".join(
                [head, body, pki.b64url(b"\0" + raw[:32] + b"\0" + raw[32:])])),
            ("P6 padded signature", ".".join([head, body, sig + "=" * (-len(sig) % 4)])),
            ("P7 padded header (signature over the unpadded one)", ".".join(
                [head + "=" * (-len(head) % 4), body, sig])),
            ("P8 duplicate typ, last wins", dup),
        ]
        if "+" in std or "/" in std:
            rows.append(("P6 standard base64 alphabet", ".".join([head, body, std])))
        for name, token in rows:
            with self.subTest(name):
                res = self.verify(token)
                self.assertEqual((res["verdict"], res["reason"]), ("accept", ""), res)

    def test_generate_is_deterministic_json(self):
        token = self.generate(self.claims())
        head, body, _sig = token.split(".")
        self.assertEqual(pki.b64url(b'{"alg":"ES256","typ":"passport","x5u":"' + X5U.encode()
                                    + b'"}'), head)
        self.assertEqual(pki.b64url(json.dumps(self.claims(), sort_keys=True,
                                               separators=(",", ":")).encode()), body)

    def test_protocol(self):
        hello = self.peer.call("hello", {})["result"]
        self.assertEqual(hello["protocol"], "stirmls-interop/1")
        self.assertEqual(hello["kinds"], ["cert_chain", "passport"])
        self.assertEqual(hello["credential_types"], [])
        rows = [
            ("not JSON", "{nope", None, "bad_request"),
            ("no id", '{"op":"hello"}', None, "bad_request"),
            ("params not object", '{"id":7,"op":"verify","params":[]}', 7, "bad_request"),
            ("duplicate member", '{"id":8,"id":8,"op":"hello"}', None, "bad_request"),
            ("unknown op", '{"id":9,"op":"frobnicate","params":{}}', 9, "unimplemented"),
            ("key_package kind", '{"id":10,"op":"verify","params":{"kind":"key_package",'
             '"at":0,"input":{}}}', 10, "unimplemented"),
            ("verify without at", '{"id":11,"op":"verify","params":{"kind":"passport",'
             '"input":{}}}', 11, "bad_request"),
            ("at beyond year 9999", '{"id":13,"op":"verify","params":{"kind":"passport",'
             '"at":253402300800,"input":{"passport":"a.b.c"}}}', 13, "unimplemented"),
            ("passport not a string", '{"id":12,"op":"verify","params":{"kind":"passport",'
             '"at":1,"input":{"passport":5}}}', 12, "bad_request"),
        ]
        for name, line, rid, code in rows:
            with self.subTest(name):
                resp = self.peer.send_line(line)
                self.assertEqual(resp["id"], rid)
                self.assertEqual(resp["error"]["code"], code, resp)


if __name__ == "__main__":
    unittest.main(verbosity=2)
