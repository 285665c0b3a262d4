/* certcli_test.c: outside truth and the CLI contract for the certificate verbs.
 *   - certificates made by the openssl command line (TNAuthList added with -addext / -extfile,
 *     RSA and P-384 leaves) judged by `stirmls cert verify` and `stirmls tnauthlist decode`;
 *   - exit codes 0/1/2, one stderr line on usage errors, JSON shape;
 *   - `pki generate` twice with the same seed gives identical files. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/testlib.h"

static char *dir;   /* openssl artefacts */
static char *pkdir; /* pki generate output */

static const char ossl_script[] =
    "set -e\n"
    "cat > req.cnf <<'EOF'\n[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=unused\nEOF\n"
    "cat > ext.cnf <<'EOF'\n"
    "[leaf]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
    "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n"
    "1.3.6.1.5.5.7.1.26=critical,DER:30:08:A0:06:16:04:37:30:39:4A\n"
    "[range]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
    "1.3.6.1.5.5.7.1.26=DER:30:14:A1:12:30:10:16:0B:31:32:31:35:35:35:35:30:31:30:30:02:01:64\n"
    "[unknown]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
    "1.3.6.1.5.5.7.1.26=DER:30:08:A0:06:16:04:37:30:39:4A\n1.2.3.4.5=critical,DER:05:00\n"
    "[nods]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyAgreement\n"
    "1.3.6.1.5.5.7.1.26=DER:30:08:A0:06:16:04:37:30:39:4A\n"
    "EOF\n"
    "O='openssl -config req.cnf'\n"
    /* the issue's own example: a self-signed certificate with the TNAuthList added by -addext */
    "openssl req -x509 -config req.cnf -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout self.key"
    " -subj '/C=US/O=ossl/CN=SHAKEN 709J' -days 30 -sha256 -addext 'keyUsage=critical,digitalSignature'"
    " -addext '1.3.6.1.5.5.7.1.26=DER:30:08:A0:06:16:04:37:30:39:4A' -out self.pem 2>/dev/null\n"
    "openssl req -x509 -config req.cnf -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout root.key"
    " -subj '/C=US/O=ossl/CN=ossl root' -days 3650 -sha256 -addext 'basicConstraints=critical,CA:TRUE'"
    " -addext 'keyUsage=critical,keyCertSign,cRLSign' -addext 'subjectKeyIdentifier=hash' -out root.pem 2>/dev/null\n"
    "leaf() { openssl req -new -config req.cnf $2 -nodes -keyout $1.key -subj \"/C=US/O=ossl/CN=$1\" -out $1.csr 2>/dev/null\n"
    "  openssl x509 -req -in $1.csr -CA root.pem -CAkey root.key -set_serial $4 -days 365 -sha256"
    " -extfile ext.cnf -extensions $3 -out $1.pem 2>/dev/null; }\n"
    "leaf spc '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1' leaf 2\n"
    "leaf range '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1' range 3\n"
    "leaf rsa '-newkey rsa:2048' leaf 4\n"
    "leaf p384 '-newkey ec -pkeyopt ec_paramgen_curve:secp384r1' leaf 5\n"
    "leaf unknown '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1' unknown 6\n"
    "leaf nods '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1' nods 7\n"
    "openssl x509 -in range.pem -outform DER -out range.der\n"
    "printf '\\060\\006\\200\\004709J' > implicit.der\n"
    "printf '\\060\\024\\241\\022\\060\\020\\026\\01312155550100\\002\\001\\144' > range-ext.der\n"
    "cat > jcc.cnf <<'EOF'\nasn1=SEQUENCE:jcc\n[jcc]\nf0=EXPLICIT:0,SEQUENCE:inc\nf1=EXPLICIT:1,SEQUENCE:perm\n"
    "f2=EXPLICIT:2,SEQUENCE:exc\n[inc]\na=IA5STRING:orig\n[perm]\np=SEQUENCE:pv\n[pv]\nc=IA5STRING:ppt\n"
    "v=SEQUENCE:vals\n[vals]\nv1=UTF8String:shaken\nv2=UTF8String:div\n[exc]\na=IA5STRING:mky\nEOF\n"
    "openssl asn1parse -genconf jcc.cnf -out jcc.der -noout\n"
    "printf 'hello\\n' > text.txt\n: > empty.txt\n";

static void setup(void)
{
    ck_assert_msg(tl_have("openssl"), "the openssl command line is needed for these tests");
    dir = tl_tmpdir();
    pkdir = tl_tmpdir();
    char path[4096];
    snprintf(path, sizeof path, "%s/make.sh", dir);
    FILE *f = fopen(path, "w");
    ck_assert(f != NULL);
    fputs(ossl_script, f);
    fclose(f);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && sh make.sh", dir);
    ck_assert_msg(system(cmd) == 0, "openssl script failed");
}

static void teardown(void)
{
    tl_rmdir(dir);
    tl_rmdir(pkdir);
    free(dir);
    free(pkdir);
}

static const char *in_dir(const char *d, const char *name)
{
    static char buf[4][4096];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", d, name);
    return buf[k];
}

/* notBefore of a certificate file, read with our own parser. */
static uint64_t cert_time(const char *name, int after)
{
    size_t len;
    char *pem = tl_read(in_dir(dir, name), &len);
    ck_assert(pem != NULL);
    stirmls_cert_list l;
    stirmls_cert_list_init(&l);
    ck_assert_int_eq(stirmls_cert_list_parse((uint8_t *)pem, len, &l, NULL), STIRMLS_R_OK);
    uint64_t t = after ? stirmls_cert_not_after(l.certs[0]) : stirmls_cert_not_before(l.certs[0]);
    stirmls_cert_list_cleanup(&l);
    free(pem);
    return t;
}

static json_t *run_json(const char *const *args, int want_exit)
{
    char *out, *err;
    int rc = tl_run_cli(args, &out, &err);
    ck_assert_msg(rc == want_exit, "%s %s: exit %d, want %d; stdout %s stderr %s", args[0], args[1], rc, want_exit, out,
                  err);
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    ck_assert_msg(j != NULL, "stdout is not JSON: %s", out);
    free(out);
    free(err);
    return j;
}

struct ossl_case {
    const char *name, *leaf, *trust;
    int at_offset; /* seconds after notBefore; -1: exactly notAfter; -2: notAfter + 1 */
    const char *tn;
    const char *want; /* "" = accept */
    const char *identity;
};

static const struct ossl_case ossl_cases[] = {
    {"req -x509 -addext TNAuthList (self-signed)", "self.pem", "self.pem", 60, NULL, "", "709J"},
    {"critical TNAuthList from openssl x509 -extfile", "spc.pem", "root.pem", 60, NULL, "", "709J"},
    {"range TNAuthList, TN at the range end", "range.pem", "root.pem", 60, "12155550199", "", "12155550100/100"},
    {"range TNAuthList, TN past the range", "range.pem", "root.pem", 60, "12155550200", "TN_NOT_COVERED", NULL},
    {"SPC leaf vouching for a TN", "spc.pem", "root.pem", 60, "12155550123", "SPC_NOT_TRUSTED", NULL},
    {"RSA leaf", "rsa.pem", "root.pem", 60, NULL, "CERT_KEY_TYPE", NULL},
    {"P-384 leaf", "p384.pem", "root.pem", 60, NULL, "CERT_KEY_TYPE", NULL},
    {"unknown critical extension", "unknown.pem", "root.pem", 60, NULL, "CERT_UNKNOWN_CRITICAL_EXT", NULL},
    {"keyUsage without digitalSignature", "nods.pem", "root.pem", 60, NULL, "CERT_KEY_USAGE", NULL},
    {"exactly at notAfter", "spc.pem", "root.pem", -1, NULL, "", "709J"},
    {"one second after notAfter", "spc.pem", "root.pem", -2, NULL, "CERT_EXPIRED", NULL},
    {"one second before notBefore", "spc.pem", "root.pem", -3, NULL, "CERT_NOT_YET_VALID", NULL},
    {"untrusted: leaf against another root", "spc.pem", "self.pem", 60, NULL, "CERT_UNTRUSTED", NULL},
};

START_TEST(openssl_made_certificates)
{
    const struct ossl_case *c = &ossl_cases[_i];
    uint64_t at = c->at_offset >= 0 ? cert_time(c->leaf, 0) + (uint64_t)c->at_offset
                  : c->at_offset == -1 ? cert_time(c->leaf, 1)
                  : c->at_offset == -2 ? cert_time(c->leaf, 1) + 1
                                       : cert_time(c->leaf, 0) - 1;
    char atbuf[32];
    snprintf(atbuf, sizeof atbuf, "%llu", (unsigned long long)at);
    const char *args[12] = {"cert", "verify", "--chain", in_dir(dir, c->leaf), "--trust", in_dir(dir, c->trust),
                            "--at", atbuf};
    if (c->tn)
        args[8] = "--tn", args[9] = c->tn;
    json_t *j = run_json(args, c->want[0] ? 1 : 0);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), c->want);
    ck_assert_str_eq(json_string_value(json_object_get(j, "verdict")), c->want[0] ? "reject" : "accept");
    if (c->identity) {
        json_t *ids = json_object_get(j, "identities");
        ck_assert(json_array_size(ids) == 1);
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ids, 0), "value")), c->identity);
    }
    json_decref(j);
}
END_TEST

START_TEST(decode_openssl_certificates)
{
    const char *a1[] = {"tnauthlist", "decode", in_dir(dir, "self.pem"), NULL};
    json_t *j = run_json(a1, 0);
    char *s = json_dumps(json_object_get(j, "entries"), JSON_COMPACT | JSON_SORT_KEYS);
    ck_assert_str_eq(s, "[{\"type\":\"spc\",\"value\":\"709J\"}]");
    free(s), json_decref(j);
    const char *a2[] = {"tnauthlist", "decode", in_dir(dir, "range.der"), NULL}; /* DER certificate */
    j = run_json(a2, 0);
    s = json_dumps(json_object_get(j, "entries"), JSON_COMPACT | JSON_SORT_KEYS);
    ck_assert_str_eq(s, "[{\"count\":100,\"start\":\"12155550100\",\"type\":\"range\"}]");
    free(s), json_decref(j);
    const char *a3[] = {"tnauthlist", "decode", in_dir(dir, "range-ext.der"), NULL}; /* extension value */
    j = run_json(a3, 0);
    ck_assert(json_array_size(json_object_get(j, "entries")) == 1);
    json_decref(j);
    const char *a4[] = {"tnauthlist", "decode", in_dir(dir, "implicit.der"), NULL};
    j = run_json(a4, 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), "TNAUTH_IMPLICIT_TAG");
    json_decref(j);
    const char *a5[] = {"tnauthlist", "decode", in_dir(dir, "root.pem"), NULL};
    j = run_json(a5, 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), "CERT_NO_TNAUTHLIST");
    json_decref(j);
}
END_TEST

/* EnhancedJWTClaimConstraints encoded by `openssl asn1parse -genconf` decode as intended. */
START_TEST(jcc_made_by_openssl)
{
    size_t len;
    char *der = tl_read(in_dir(dir, "jcc.der"), &len);
    ck_assert(der != NULL);
    stirmls_jcc *j = NULL;
    ck_assert_int_eq(stirmls_jcc_decode((uint8_t *)der, len, 1, &j, NULL), STIRMLS_R_OK);
    ck_assert(j->n_include == 1 && j->n_permitted == 1 && j->n_exclude == 1 && j->permitted[0].n == 2);
    ck_assert_str_eq(j->must_include[0], "orig");
    ck_assert_str_eq(j->permitted[0].claim, "ppt");
    ck_assert_str_eq(j->permitted[0].values[1], "div");
    ck_assert_str_eq(j->must_exclude[0], "mky");
    stirmls_buf b;
    stirmls_buf_init(&b);
    ck_assert_int_eq(stirmls_jcc_encode(j, &b), STIRMLS_R_OK);
    ck_assert(b.len == len && memcmp(b.ptr, der, len) == 0);
    stirmls_buf_cleanup(&b);
    stirmls_jcc_free(j);
    free(der);
}
END_TEST

/* ---- usage errors: exit 2 and exactly one line on stderr --------------------------------- */

struct usage_case {
    const char *name;
    const char *args[10]; /* "@x" is replaced by the openssl directory's x */
};

static const struct usage_case usage_cases[] = {
    {"tnauthlist without sub-command", {"tnauthlist"}},
    {"encode without entries", {"tnauthlist", "encode"}},
    {"encode bad TN", {"tnauthlist", "encode", "--one", "12a"}},
    {"encode range count 1", {"tnauthlist", "encode", "--range", "100:1"}},
    {"encode range without colon", {"tnauthlist", "encode", "--range", "100"}},
    {"encode unknown option", {"tnauthlist", "encode", "--bogus"}},
    {"decode missing file", {"tnauthlist", "decode", "/nonexistent/x.der"}},
    {"decode empty file", {"tnauthlist", "decode", "@empty.txt"}},
    {"decode text file", {"tnauthlist", "decode", "@text.txt"}},
    {"verify without --at", {"cert", "verify", "--chain", "@spc.pem", "--trust", "@root.pem"}},
    {"verify bad --at", {"cert", "verify", "--chain", "@spc.pem", "--trust", "@root.pem", "--at", "soon"}},
    {"verify chain without PEM", {"cert", "verify", "--chain", "@text.txt", "--trust", "@root.pem", "--at", "1"}},
    {"verify missing trust", {"cert", "verify", "--chain", "@spc.pem", "--trust", "/nonexistent", "--at", "1"}},
    {"verify --tn not a telephone number", {"cert", "verify", "--chain", "@spc.pem", "--trust", "@root.pem", "--at", "1", "--tn", "tel:+1-215-CALL-NOW"}},
    {"pki without --seed", {"pki", "generate", "--out", "/tmp"}},
    {"cert unknown sub-command", {"cert", "frobnicate"}},
};

START_TEST(usage_errors)
{
    const struct usage_case *c = &usage_cases[_i];
    const char *args[11] = {0};
    for (size_t i = 0; i < 10 && c->args[i]; i++)
        args[i] = c->args[i][0] == '@' ? in_dir(dir, c->args[i] + 1) : c->args[i];
    char *out, *err;
    int rc = tl_run_cli(args, &out, &err);
    ck_assert_msg(rc == 2, "%s: exit %d", c->name, rc);
    size_t nl = 0;
    for (char *p = err; *p; p++)
        nl += *p == '\n';
    ck_assert_msg(nl == 1 && strncmp(err, "stirmls: ", 9) == 0, "%s: stderr '%s'", c->name, err);
    ck_assert_str_eq(out, "");
    free(out), free(err);
}
END_TEST

START_TEST(help_and_encode_known_answer)
{
    static const char *const verbs[] = {"tnauthlist", "cert", "pki"};
    for (size_t i = 0; i < 3; i++) {
        const char *args[] = {verbs[i], "--help", NULL};
        char *out, *err;
        ck_assert_int_eq(tl_run_cli(args, &out, &err), 0);
        ck_assert(strstr(out, "usage:") != NULL);
        free(out), free(err);
    }
    const char *args[] = {"tnauthlist", "encode", "--spc", "709J", "--hex", NULL};
    char *out, *err;
    ck_assert_int_eq(tl_run_cli(args, &out, &err), 0);
    ck_assert_str_eq(out, "3008a00616043730394a\n");
    free(out), free(err);
    const char *args2[] = {"tnauthlist", "encode", "--range", "12155550100:100", "--hex", NULL};
    ck_assert_int_eq(tl_run_cli(args2, &out, &err), 0);
    ck_assert_str_eq(out, "3014a1123010160b3132313535353530313030020164\n");
    free(out), free(err);
}
END_TEST

/* The encoder and the decoder agree on the largest counts: 2^64-1 is written in nine INTEGER
 * octets (a leading 00) and read back, printed as a decimal string (above 2^63-1). */
START_TEST(encode_decode_largest_count)
{
    static const struct {
        const char *count, *hex;
        int as_string;
    } rows[] = {{"9223372036854775807", "3011a10f300d16013502087fffffffffffffff\n", 0},
                {"9223372036854775808", "3012a110300e1601350209008000000000000000\n", 1},
                {"18446744073709551615", "3012a110300e160135020900ffffffffffffffff\n", 1}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char range[40], path[512];
        snprintf(range, sizeof range, "5:%s", rows[i].count);
        const char *enc[] = {"tnauthlist", "encode", "--range", range, "--hex", NULL};
        char *out, *err;
        ck_assert_int_eq(tl_run_cli(enc, &out, &err), 0);
        ck_assert_str_eq(out, rows[i].hex);
        size_t len;
        uint8_t *der = tl_hex(out, &len);
        snprintf(path, sizeof path, "%s/count%zu.der", dir, i);
        FILE *f = fopen(path, "wb");
        ck_assert(f != NULL && fwrite(der, 1, len, f) == len && fclose(f) == 0);
        free(der), free(out), free(err);
        const char *dec[] = {"tnauthlist", "decode", path, NULL};
        json_t *j = run_json(dec, 0);
        json_t *c = json_object_get(json_array_get(json_object_get(j, "entries"), 0), "count");
        if (rows[i].as_string)
            ck_assert_str_eq(json_string_value(c), rows[i].count);
        else
            ck_assert(json_is_integer(c) && json_integer_value(c) == INT64_MAX);
        json_decref(j);
    }
}
END_TEST

/* ---- pki generate ---------------------------------------------------------------------- */

static const char *const pki_names[] = {"root", "sti-ca", "spc-ee", "range-ee", "deleg-ca", "deleg-one", "deleg-ca2", "deleg2-one"};

START_TEST(pki_generate_is_deterministic_and_verifies)
{
    char *other = tl_tmpdir();
    const char *a1[] = {"pki", "generate", "--seed", "unit", "--out", pkdir, NULL};
    const char *a2[] = {"pki", "generate", "--seed", "unit", "--out", other, NULL};
    json_decref(run_json(a1, 0));
    json_decref(run_json(a2, 0));
    for (size_t i = 0; i < sizeof pki_names / sizeof pki_names[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s.pem", pki_names[i]);
        size_t l1, l2;
        char *x = tl_read(in_dir(pkdir, name), &l1), *y = tl_read(in_dir(other, name), &l2);
        ck_assert_msg(x && y && l1 == l2 && memcmp(x, y, l1) == 0, "%s differs between runs", name);
        free(x), free(y);
        if (i == 0)
            continue;
        snprintf(name, sizeof name, "%s.chain.pem", pki_names[i]);
        const char *v[] = {"cert", "verify", "--chain", in_dir(pkdir, name), "--trust", in_dir(pkdir, "root.pem"),
                           "--at", "1780000000", NULL};
        int want = strstr(pki_names[i], "-ca") ? 1 : 0; /* CA certificates are not signers */
        json_t *j = run_json(v, want);
        if (want)
            ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), "CERT_KEY_USAGE");
        json_decref(j);
    }
    /* outside truth for the deterministic signatures: the openssl command line verifies the chains */
    for (size_t i = 1; i < sizeof pki_names / sizeof pki_names[0]; i++) {
        char cmd[8192], name[64];
        snprintf(name, sizeof name, "%s.chain.pem", pki_names[i]);
        snprintf(cmd, sizeof cmd, "openssl verify -attime 1780000000 -CAfile '%s' -untrusted '%s' '%s' >/dev/null 2>&1",
                 in_dir(pkdir, "root.pem"), in_dir(pkdir, name), in_dir(pkdir, name));
        ck_assert_msg(system(cmd) == 0, "openssl verify rejects %s", name);
    }
    const char *a3[] = {"pki", "generate", "--seed", "other-seed", "--out", other, NULL};
    json_decref(run_json(a3, 0));
    size_t l1, l2;
    char *x = tl_read(in_dir(pkdir, "root.pem"), &l1), *y = tl_read(in_dir(other, "root.pem"), &l2);
    ck_assert(x && y && !(l1 == l2 && memcmp(x, y, l1) == 0));
    free(x), free(y);
    tl_rmdir(other);
    free(other);
}
END_TEST

START_TEST(verify_json_shape)
{
    const char *g[] = {"pki", "generate", "--seed", "shape", "--out", pkdir, NULL};
    json_decref(run_json(g, 0));
    const char *v[] = {"cert", "verify", "--chain", in_dir(pkdir, "deleg-one.chain.pem"), "--trust",
                       in_dir(pkdir, "root.pem"), "--at", "1780000000", "--tn", "12155550123", NULL};
    json_t *j = run_json(v, 0);
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    ck_assert_str_eq(s, "{\"carrier_asserted\":false,\"detail\":\"\",\"identities\":[{\"type\":\"tn\",\"value\":"
                        "\"12155550123\"}],\"not_after\":1798761600,\"path_length\":4,\"reason\":\"\",\"verdict\":"
                        "\"accept\"}");
    free(s), json_decref(j);
    const char *w[] = {"cert", "verify", "--chain", in_dir(pkdir, "spc-ee.chain.pem"), "--trust",
                       in_dir(pkdir, "root.pem"), "--at", "1780000000", "--tn", "12155550123", "--trust-spc", "709J", NULL};
    j = run_json(w, 0);
    ck_assert(json_is_true(json_object_get(j, "carrier_asserted")));
    json_decref(j);
    const char *x[] = {"cert", "verify", "--chain", in_dir(pkdir, "spc-ee.chain.pem"), "--trust",
                       in_dir(pkdir, "root.pem"), "--at", "1", NULL};
    j = run_json(x, 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), "CERT_NOT_YET_VALID");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "certificate")), 0);
    json_decref(j);
}
END_TEST

Suite *certcli_suite(void);
Suite *certcli_suite(void)
{
    Suite *s = suite_create("certcli");
    TCase *tc = tcase_create("cli");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, openssl_made_certificates, 0, sizeof ossl_cases / sizeof ossl_cases[0]);
    tcase_add_test(tc, decode_openssl_certificates);
    tcase_add_test(tc, jcc_made_by_openssl);
    tcase_add_loop_test(tc, usage_errors, 0, sizeof usage_cases / sizeof usage_cases[0]);
    tcase_add_test(tc, help_and_encode_known_answer);
    tcase_add_test(tc, encode_decode_largest_count);
    tcase_add_test(tc, pki_generate_is_deterministic_and_verifies);
    tcase_add_test(tc, verify_json_shape);
    suite_add_tcase(s, tc);
    return s;
}
