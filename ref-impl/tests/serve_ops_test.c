/* serve_ops_test.c: the answers of `stirmls serve` (stirmls-interop/1) with real artefacts of the
 * deterministic test PKI: each row is one request line (a template whose @NAME@ placeholders are
 * replaced by the JSON of an artefact) and the exact verdict and reason, or error code, expected.
 * All rows go to one serve process; the generate rows are then verified in a second one. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "stirmls.h"
#include "testlib/serve_client.h"
#include "testlib/testlib.h"

#define AT (STIRMLS_PKI_NOT_BEFORE + 86400u)
#define X5U "https://certs.example.test/deleg-one.pem"

static json_t *art;      /* artefact name -> JSON value */
static json_t *answers;  /* one response per row */
static json_t *answers2; /* one verify response per generate row, by id */
static json_t *sent;     /* the filled request of each row (objects) */
static json_t *sent2;    /* the filled check request of each generate row, by row index (or null) */

/* ---- artefacts ------------------------------------------------------------------------------ */

static void put_hex(const char *name, const uint8_t *b, size_t n)
{
    char *h = malloc(2 * n + 1);
    ck_assert(h != NULL);
    stirmls_hex_encode(b, n, h);
    json_object_set_new(art, name, json_string(h));
    free(h);
}

static void put_point(const char *name, const stirmls_key *k)
{
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    stirmls_key_point(k, pt);
    put_hex(name, pt, sizeof pt);
}

/* Claims for orig 12155550123 (deleg-one's TN) with mky naming key k. */
static char *claims_for(const stirmls_key *k)
{
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    stirmls_key_point(k, pt);
    char *entry = stirmls_mky_entry_json(pt, sizeof pt);
    json_t *c = json_pack("{s:{s:[s]},s:I,s:[o],s:{s:s}}", "dest", "tn", "12155550100", "iat",
                          (json_int_t)AT, "mky", json_loads(entry, 0, NULL), "orig", "tn", "12155550123");
    ck_assert(c != NULL);
    char *s = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(c);
    free(entry);
    return s;
}

static char *sign(const stirmls_key *signer, const stirmls_key *mky_key)
{
    char *claims = claims_for(mky_key), *tok = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    ck_assert_int_eq(stirmls_passport_sign(signer, X5U, NULL, claims, strlen(claims), &tok, &d), STIRMLS_R_OK);
    free(claims);
    return tok;
}

static void put_credential(const char *name, stirmls_credential *c)
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_credential_write(&b, c);
    ck_assert(!b.failed);
    put_hex(name, b.ptr, b.len);
    stirmls_buf_cleanup(&b);
}

static void put_key_package(const stirmls_pki_entry *leaf)
{
    const char *credhex = json_string_value(json_object_get(art, "CRED_CERT"));
    size_t clen, outlen;
    uint8_t *cred = tl_hex(credhex, &clen), *out = NULL;
    stirmls_kp_params p;
    stirmls_detail d;
    stirmls_detail_init(&d);
    memset(&p, 0, sizeof p);
    p.signature_key = leaf->key;
    p.credential.ptr = cred;
    p.credential.len = clen;
    p.not_before = STIRMLS_PKI_NOT_BEFORE;
    p.not_after = STIRMLS_PKI_NOT_BEFORE + 30u * 86400u;
    p.seed = (const uint8_t *)"serve-test";
    p.seedlen = 10;
    p.key_name = "serve-test";
    ck_assert_int_eq(stirmls_keypackage_build(&p, 1, &out, &outlen, &d), STIRMLS_R_OK);
    put_hex("KP", out, outlen);
    free(cred), free(out);
}

static void put_pem(json_t *arr, const stirmls_cert *c)
{
    char *pem = stirmls_cert_pem(c);
    ck_assert(pem != NULL);
    json_array_append_new(arr, json_string(pem));
    free(pem);
}

static void make_artefacts(void)
{
    stirmls_pki pki;
    stirmls_pki_opts po;
    stirmls_detail d;
    stirmls_key *mls = NULL, *other = NULL;
    stirmls_detail_init(&d);
    stirmls_pki_opts_init(&po, (const uint8_t *)"serve-test", 10);
    ck_assert_int_eq(stirmls_pki_generate(&po, &pki, &d), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_key_derive((const uint8_t *)"serve-test", 10, "mls-client", &mls), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_key_derive((const uint8_t *)"serve-test", 10, "someone-else", &other), STIRMLS_R_OK);
    art = json_object();
    json_object_set_new(art, "AT", json_integer(AT));
    json_object_set_new(art, "X5U", json_string(X5U));
    json_t *root = json_array(), *chain = json_array();
    put_pem(root, stirmls_pki_find(&pki, "root")->cert);
    json_object_set_new(art, "ROOT", root);
    /* deleg-one's chain, leaf first, without the root */
    stirmls_credential cc = {.type = STIRMLS_CRED_STIR_CERTIFICATE_DEFAULT, .kind = STIRMLS_CRED_KIND_STIR_CERTIFICATE};
    const stirmls_pki_entry *leaf = stirmls_pki_find(&pki, "deleg-one");
    for (const stirmls_pki_entry *e = leaf; strcmp(e->name, e->issuer) != 0; e = stirmls_pki_find(&pki, e->issuer)) {
        put_pem(chain, e->cert);
        cc.certs[cc.ncerts++] = stirmls_cert_der(e->cert);
    }
    json_object_set_new(art, "CHAIN", chain);
    json_object_set_new(art, "MAP", json_pack("{s:O}", X5U, chain));
    char *kpem = stirmls_key_private_pem(leaf->key);
    json_object_set_new(art, "KEY", json_string(kpem));
    free(kpem);
    put_point("LEAFKEY", leaf->key);
    put_point("MLSKEY", mls);
    char *tok = sign(leaf->key, mls), *other_tok = sign(leaf->key, other);
    json_object_set_new(art, "PPT", json_string(tok));
    json_object_set_new(art, "PPT_OTHER_MKY", json_string(other_tok));
    char *claims = claims_for(mls);
    json_object_set_new(art, "CLAIMS", json_loads(claims, 0, NULL));
    size_t n = strlen(tok);
    char *bad = strdup(tok);
    bad[n - 20] = bad[n - 20] == 'A' ? 'B' : 'A'; /* inside the signature */
    json_object_set_new(art, "PPT_BADSIG", json_string(bad));
    put_credential("CRED_CERT", &cc);
    stirmls_credential cp = cc;
    cp.type = STIRMLS_CRED_STIR_PASSPORT_DEFAULT;
    cp.kind = STIRMLS_CRED_KIND_STIR_PASSPORT;
    cp.passport.ptr = (const uint8_t *)tok;
    cp.passport.len = n;
    put_credential("CRED_PPT", &cp);
    put_key_package(leaf);
    free(tok), free(other_tok), free(bad), free(claims);
    stirmls_key_free(mls), stirmls_key_free(other);
    stirmls_pki_cleanup(&pki);
}

/* Replace every @NAME@ by the compact JSON of art[NAME]. Owned. */
static char *fill(const char *tmpl)
{
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    ck_assert(out != NULL);
    for (const char *p = tmpl; *p;) {
        const char *end = p[0] == '@' ? strchr(p + 1, '@') : NULL;
        char *piece = NULL, name[32];
        size_t plen = 1;
        if (end != NULL && (size_t)(end - p - 1) < sizeof name) {
            memcpy(name, p + 1, (size_t)(end - p - 1));
            name[end - p - 1] = 0;
            json_t *v = json_object_get(art, name);
            ck_assert_msg(v != NULL, "no artefact %s", name);
            piece = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            plen = strlen(piece);
        }
        while (len + plen + 2 > cap)
            ck_assert((out = realloc(out, cap *= 2)) != NULL);
        memcpy(out + len, piece ? piece : p, plen);
        len += plen;
        p = piece ? end + 1 : p + 1;
        free(piece);
    }
    out[len] = 0;
    return out;
}

/* ---- the rows ------------------------------------------------------------------------------- */

struct row {
    const char *name;
    const char *req;     /* the request line (template), without id */
    const char *verdict; /* "accept" / "reject", or NULL when an error is expected */
    const char *reason;  /* the reason, or the error code */
    const char *check;   /* generate rows: the verify request, @ART@ = the artefact */
};

#define VERIFY(kind, anchors, input, policy)                                                        \
    "\"op\":\"verify\",\"params\":{\"case\":\"t\",\"kind\":\"" kind "\",\"at\":@AT@,"          \
    "\"trust_anchors\":" anchors ",\"input\":" input ",\"policy\":" policy "}"

static const struct row rows[] = {
    /* cert_chain */
    {"chain accept", VERIFY("cert_chain", "@ROOT@", "{\"chain\":@CHAIN@}", "{}"), "accept", "", NULL},
    {"chain covers tn", VERIFY("cert_chain", "@ROOT@", "{\"chain\":@CHAIN@,\"tn\":\"12155550123\"}", "{}"),
     "accept", "", NULL},
    {"chain other tn", VERIFY("cert_chain", "@ROOT@", "{\"chain\":@CHAIN@,\"tn\":\"12025550100\"}", "{}"),
     "reject", "TN_NOT_COVERED", NULL},
    {"chain no anchor", VERIFY("cert_chain", "[]", "{\"chain\":@CHAIN@}", "{}"), "reject", "CERT_UNTRUSTED", NULL},
    {"chain empty", VERIFY("cert_chain", "@ROOT@", "{\"chain\":[]}", "{}"), "reject", "CERT_CHAIN_EMPTY", NULL},
    {"chain not a certificate", VERIFY("cert_chain", "@ROOT@", "{\"chain\":[\"garbage\"]}", "{}"), "reject",
     "PEM_INVALID", NULL},
    /* passport */
    {"passport accept", VERIFY("passport", "@ROOT@", "{\"passport\":@PPT@,\"chain\":@CHAIN@,\"signature_key\":@MLSKEY@}", "{}"),
     "accept", "", NULL},
    {"passport mky mismatch",
     VERIFY("passport", "@ROOT@", "{\"passport\":@PPT_OTHER_MKY@,\"chain\":@CHAIN@,\"signature_key\":@MLSKEY@}", "{}"),
     "reject", "MKY_MISMATCH", NULL},
    {"passport bad signature",
     VERIFY("passport", "@ROOT@", "{\"passport\":@PPT_BADSIG@,\"chain\":@CHAIN@,\"signature_key\":@MLSKEY@}", "{}"),
     "reject", "PPT_SIG_INVALID", NULL},
    {"passport x5u via map",
     VERIFY("passport", "@ROOT@", "{\"passport\":@PPT@,\"x5u_map\":@MAP@,\"signature_key\":@MLSKEY@}", "{}"),
     "accept", "", NULL},
    {"passport x5u unresolved", VERIFY("passport", "@ROOT@", "{\"passport\":@PPT@,\"signature_key\":@MLSKEY@}", "{}"),
     "reject", "PPT_X5U_UNRESOLVED", NULL},
    /* x5u_fetch (serve_fetch.c): only http://127.0.0.1 is ever contacted, x5u_map wins; a fetch
     * that fails leaves the x5u unresolved (the positive path: harness/tests/x5u_test.c) */
    {"passport x5u_fetch not loopback",
     VERIFY("passport", "@ROOT@", "{\"passport\":@PPT@,\"x5u_fetch\":{\"" X5U "\":\"http://localhost:1/a.pem\"},\"signature_key\":@MLSKEY@}", "{}"),
     "reject", "PPT_X5U_UNRESOLVED", NULL},
    {"passport x5u_fetch https",
     VERIFY("passport", "@ROOT@", "{\"passport\":@PPT@,\"x5u_fetch\":{\"" X5U "\":\"https://127.0.0.1:1/a.pem\"},\"signature_key\":@MLSKEY@}", "{}"),
     "reject", "PPT_X5U_UNRESOLVED", NULL},
    {"passport x5u_fetch refused",
     VERIFY("passport", "@ROOT@", "{\"passport\":@PPT@,\"x5u_fetch\":{\"" X5U "\":\"http://127.0.0.1:1/a.pem\"},\"signature_key\":@MLSKEY@}", "{}"),
     "reject", "PPT_X5U_UNRESOLVED", NULL},
    {"passport x5u_fetch not an object",
     VERIFY("passport", "@ROOT@", "{\"passport\":@PPT@,\"x5u_fetch\":[1],\"signature_key\":@MLSKEY@}", "{}"),
     "reject", "PPT_X5U_UNRESOLVED", NULL},
    {"passport x5u_map wins over x5u_fetch",
     VERIFY("passport", "@ROOT@", "{\"passport\":@PPT@,\"x5u_map\":@MAP@,\"x5u_fetch\":{\"" X5U "\":\"http://127.0.0.1:1/a.pem\"},\"signature_key\":@MLSKEY@}", "{}"),
     "accept", "", NULL},
    {"passport sip profile, no mky", VERIFY("passport", "@ROOT@", "{\"passport\":@PPT@,\"chain\":@CHAIN@}", "{\"profile\":\"sip\"}"),
     "accept", "", NULL},
    {"passport mls profile needs the key", VERIFY("passport", "@ROOT@", "{\"passport\":@PPT@,\"chain\":@CHAIN@}", "{}"),
     NULL, "bad_request", NULL},
    {"passport not a token", VERIFY("passport", "@ROOT@", "{\"passport\":\"x\",\"chain\":@CHAIN@,\"signature_key\":@MLSKEY@}", "{}"),
     "reject", "PPT_MALFORMED", NULL},
    {"passport with a NUL byte",
     VERIFY("passport", "@ROOT@", "{\"passport\":\"a.b.c\\u0000x\",\"chain\":@CHAIN@,\"signature_key\":@MLSKEY@}", "{}"),
     "reject", "B64URL_INVALID", NULL},
    /* credential */
    {"stir_certificate accept", VERIFY("credential", "@ROOT@", "{\"credential\":@CRED_CERT@,\"signature_key\":@LEAFKEY@}", "{}"),
     "accept", "", NULL},
    {"stir_certificate leaf key mismatch",
     VERIFY("credential", "@ROOT@", "{\"credential\":@CRED_CERT@,\"signature_key\":@MLSKEY@}", "{}"), "reject",
     "CRED_LEAF_KEY_MISMATCH", NULL},
    {"stir_passport accept", VERIFY("credential", "@ROOT@", "{\"credential\":@CRED_PPT@,\"signature_key\":@MLSKEY@}", "{}"),
     "accept", "", NULL},
    {"stir_passport mky mismatch",
     VERIFY("credential", "@ROOT@", "{\"credential\":@CRED_PPT@,\"signature_key\":@LEAFKEY@}", "{}"), "reject",
     "MKY_MISMATCH", NULL},
    {"credential other codepoints",
     VERIFY("credential", "@ROOT@", "{\"credential\":@CRED_CERT@,\"signature_key\":@LEAFKEY@}",
            "{\"credential_types\":{\"stir_certificate\":61600,\"stir_passport\":61601}}"),
     "reject", "CRED_TYPE_UNKNOWN", NULL},
    {"credential truncated", VERIFY("credential", "@ROOT@", "{\"credential\":\"f051\",\"signature_key\":@LEAFKEY@}", "{}"),
     "reject", "TRUNCATED", NULL},
    /* key_package */
    {"key_package accept", VERIFY("key_package", "@ROOT@", "{\"key_package\":@KP@}", "{}"), "accept", "", NULL},
    {"key_package lifetime too long", VERIFY("key_package", "@ROOT@", "{\"key_package\":@KP@}", "{\"max_lifetime\":86400}"),
     "reject", "MLS_LIFETIME_TOO_LONG", NULL},
    {"key_package untrusted", VERIFY("key_package", "[]", "{\"key_package\":@KP@}", "{}"), "reject", "CERT_UNTRUSTED",
     NULL},
    /* errors: the params, not the artefact */
    {"no at", "\"op\":\"verify\",\"params\":{\"kind\":\"cert_chain\",\"input\":{\"chain\":[]}}", NULL, "bad_request", NULL},
    {"anchor not a certificate", VERIFY("cert_chain", "[\"garbage\"]", "{\"chain\":@CHAIN@}", "{}"), NULL, "bad_request", NULL},
    {"credential not hex", VERIFY("credential", "@ROOT@", "{\"credential\":\"zz\",\"signature_key\":@LEAFKEY@}", "{}"), NULL,
     "bad_request", NULL},
    {"passport missing", VERIFY("passport", "@ROOT@", "{\"chain\":@CHAIN@}", "{}"), NULL, "bad_request", NULL},
    {"bad profile", VERIFY("cert_chain", "@ROOT@", "{\"chain\":@CHAIN@}", "{\"profile\":\"x\"}"), NULL, "bad_request", NULL},
    {"chain not an array", VERIFY("cert_chain", "@ROOT@", "{\"chain\":\"x\"}", "{}"), NULL, "bad_request", NULL},
    {"unknown kind", VERIFY("welcome", "@ROOT@", "{}", "{}"), NULL, "unimplemented", NULL},
    {"group_info without its hex", VERIFY("group_info", "@ROOT@", "{}", "{}"), NULL, "bad_request", NULL},
    {"group_info not hex", VERIFY("group_info", "@ROOT@", "{\"group_info\":\"zz\"}", "{}"), NULL, "bad_request", NULL},
    {"group_info not a GroupInfo", VERIFY("group_info", "@ROOT@", "{\"group_info\":\"00010005\"}", "{}"), "reject",
     "MLS_MESSAGE_WIRE_FORMAT", NULL},
    {"group_info bad warn_within", VERIFY("group_info", "@ROOT@", "{\"group_info\":\"00010004\"}", "{\"warn_within\":-1}"),
     NULL, "bad_request", NULL},
    {"group_message without its message", VERIFY("group_message", "@ROOT@", "{\"group_info\":\"00010004\"}", "{}"), NULL,
     "bad_request", NULL},
    {"generate unknown kind", "\"op\":\"generate\",\"params\":{\"kind\":\"credential\"}", NULL, "unimplemented", NULL},
    {"generate passport no key", "\"op\":\"generate\",\"params\":{\"kind\":\"passport\",\"key\":\"x\",\"claims\":{}}", NULL,
     "bad_request", NULL},
    /* generate, then verify the artefact */
    {"generate passport",
     "\"op\":\"generate\",\"params\":{\"kind\":\"passport\",\"key\":@KEY@,\"x5u\":@X5U@,\"claims\":@CLAIMS@}", "accept", "",
     VERIFY("passport", "@ROOT@", "{\"passport\":@ART@,\"x5u_map\":@MAP@,\"signature_key\":@MLSKEY@}", "{}")},
    {"generate key_package",
     "\"op\":\"generate\",\"params\":{\"kind\":\"key_package\",\"signature_key_pem\":@KEY@,\"credential\":@CRED_CERT@,"
     "\"not_before\":1767225600,\"not_after\":1769817600}",
     "accept", "", VERIFY("key_package", "@ROOT@", "{\"key_package\":@ART@}", "{}")},
};
#define NROWS (sizeof rows / sizeof rows[0])

static void batch(json_t *lines, json_t **out)
{
    size_t len = 0, i;
    json_t *l;
    json_array_foreach(lines, i, l) len += json_string_length(l) + 1;
    char *in = malloc(len + 1), *p = in;
    json_array_foreach(lines, i, l) p += sprintf(p, "%s\n", json_string_value(l));
    *out = tl_serve(in, len);
    free(in);
}

static void setup(void)
{
    make_artefacts();
    json_t *lines = json_array(), *checks = json_array();
    sent = json_array(), sent2 = json_array();
    for (size_t i = 0; i < NROWS; i++) {
        char *body = fill(rows[i].req), *line = malloc(strlen(body) + 32);
        sprintf(line, "{\"id\":%zu,%s}", i + 1, body);
        json_array_append_new(lines, json_string(line));
        json_t *o = json_loads(line, 0, NULL); /* NULL when it holds \u0000 */
        json_array_append_new(sent, o ? o : json_null());
        free(body), free(line);
    }
    batch(lines, &answers);
    ck_assert_int_eq(json_array_size(answers), NROWS);
    for (size_t i = 0; i < NROWS; i++) {
        json_t *a = json_object_get(json_object_get(json_array_get(answers, i), "result"), "artifact");
        if (rows[i].check == NULL || a == NULL) {
            json_array_append_new(sent2, json_null());
            continue;
        }
        json_object_set(art, "ART", json_object_iter_value(json_object_iter(a)));
        char *body = fill(rows[i].check), *line = malloc(strlen(body) + 32);
        sprintf(line, "{\"id\":%zu,%s}", i + 1, body);
        json_array_append_new(checks, json_string(line));
        json_array_append_new(sent2, json_loads(line, 0, NULL));
        free(body), free(line);
    }
    batch(checks, &answers2);
    json_decref(lines), json_decref(checks);
}

static void teardown(void)
{
    json_decref(art), json_decref(answers), json_decref(answers2);
    json_decref(sent), json_decref(sent2);
}

static json_t *answer_of(json_t *arr, size_t id)
{
    size_t i;
    json_t *a;
    json_array_foreach(arr, i, a) if ((size_t)json_integer_value(json_object_get(a, "id")) == id) return a;
    return NULL;
}

static void expect(const struct row *r, json_t *a)
{
    ck_assert_msg(a != NULL, "%s: no answer", r->name);
    json_t *res = json_object_get(a, "result"), *err = json_object_get(a, "error");
    char *dump = json_dumps(a, JSON_COMPACT);
    if (r->verdict == NULL) {
        ck_assert_msg(err != NULL, "%s: expected error %s, got %.300s", r->name, r->reason, dump);
        ck_assert_str_eq(json_string_value(json_object_get(err, "code")), r->reason);
    } else {
        ck_assert_msg(res != NULL, "%s: expected a result, got %.300s", r->name, dump);
        ck_assert_msg(strcmp(json_string_value(json_object_get(res, "verdict")), r->verdict) == 0 &&
                          strcmp(json_string_value(json_object_get(res, "reason")), r->reason) == 0,
                      "%s: expected %s %s, got %.300s", r->name, r->verdict, r->reason, dump);
        ck_assert(json_is_array(json_object_get(res, "identities")));
        ck_assert(json_is_string(json_object_get(res, "native")));
    }
    free(dump);
}

START_TEST(each_row_gets_its_answer)
{
    const struct row *r = &rows[_i];
    json_t *a = answer_of(answers, (size_t)_i + 1);
    if (r->check == NULL) {
        expect(r, a);
        return;
    }
    json_t *art_ = json_object_get(json_object_get(a, "result"), "artifact");
    ck_assert_msg(art_ != NULL && json_object_size(art_) == 1, "%s: no artifact", r->name);
    expect(r, answer_of(answers2, (size_t)_i + 1));
}
END_TEST

START_TEST(accepts_name_the_identity)
{
    json_t *res = json_object_get(answer_of(answers, 1), "result");
    json_t *id = json_array_get(json_object_get(res, "identities"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(id, "type")), "tn");
    ck_assert_str_eq(json_string_value(json_object_get(id, "value")), "12155550123");
    ck_assert_str_eq(json_string_value(json_object_get(id, "assurance")), "tn-authorized");
    ck_assert_str_eq(json_string_value(json_object_get(res, "assurance")), "tn-authorized");
}
END_TEST

/* ---- the harness against `stirmls serve`, with the rows as a vectors file ------------------ */

static json_t *expect_json(const struct row *r)
{
    if (strcmp(r->verdict, "accept") == 0)
        return json_pack("{s:s}", "verdict", "accept");
    return json_pack("{s:s,s:s}", "verdict", "reject", "reason", r->reason);
}

/* The vectors case of row i (NULL for the error rows: the harness scores verdicts). */
static json_t *vector_case(size_t i)
{
    const struct row *r = &rows[i];
    json_t *p = json_object_get(json_array_get(sent, i), "params");
    /* p is NULL for a request holding \u0000: the harness loads vectors without NUL support */
    if (r->verdict == NULL || p == NULL)
        return NULL;
    char id[80];
    size_t n = (size_t)snprintf(id, sizeof id, "serve/%s", r->name);
    for (size_t k = 6; k < n; k++)
        if (!((id[k] >= 'a' && id[k] <= 'z') || (id[k] >= '0' && id[k] <= '9') || id[k] == '_'))
            id[k] = '-';
    json_t *c = json_pack("{s:s,s:s,s:[],s:[],s:s}", "id", id, "why", r->name, "spec", "tags", "importance", "must");
    if (r->check == NULL) {
        json_object_update(c, p);
        json_object_del(c, "case");
        json_object_set_new(c, "expect", expect_json(r));
        return c;
    }
    json_t *vp = json_object_get(json_array_get(sent2, i), "params");
    const char *field = json_string_value(json_object_get(p, "kind"));
    json_t *input = json_deep_copy(json_object_get(vp, "input"));
    json_object_del(input, field);
    json_object_set_new(c, "op", json_string("generate"));
    json_object_set(c, "kind", json_object_get(p, "kind"));
    json_object_set(c, "at", json_object_get(vp, "at"));
    json_object_set(c, "trust_anchors", json_object_get(vp, "trust_anchors"));
    json_object_set(c, "params", p);
    json_object_set_new(c, "check", json_pack("{s:O,s:s,s:o,s:O,s:o}", "kind", json_object_get(vp, "kind"),
                                              "artifact_field", field, "input", input, "policy",
                                              json_object_get(vp, "policy"), "expect", expect_json(r)));
    return c;
}

static const char *harness_path(void)
{
    static char path[4096];
    const char *cli = getenv("STIRMLS_CLI");
    const char *slash = strrchr(cli, '/');
    snprintf(path, sizeof path, "%.*s/stirmls-harness", slash ? (int)(slash - cli) : 1, slash ? cli : ".");
    if (access(path, X_OK) != 0)
        snprintf(path, sizeof path, "%s", tl_repo_path("build/stirmls-harness"));
    return access(path, X_OK) == 0 ? path : NULL;
}

START_TEST(harness_passes_every_row)
{
    const char *harness = harness_path();
    if (harness == NULL)
        return; /* the harness is built by `make all` (release); nothing to drive here */
    char *dir = tl_tmpdir(), path[4096], cmd[16384];
    json_t *cases = json_array();
    for (size_t i = 0; i < NROWS; i++) {
        json_t *c = vector_case(i);
        if (c != NULL)
            json_array_append_new(cases, c);
    }
    json_t *file = json_pack("{s:s,s:s,s:o}", "schema", "stirmls-vectors/1", "family", "serve", "cases", cases);
    snprintf(path, sizeof path, "%s/vectors", dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/vectors/serve.json", dir);
    ck_assert_int_eq(json_dump_file(file, path, JSON_SORT_KEYS | JSON_INDENT(1)), 0);
    snprintf(cmd, sizeof cmd, "'%s' run --impl 'stirmls=%s serve' --vectors '%s/vectors' --out '%s/out' >/dev/null 2>&1",
             harness, getenv("STIRMLS_CLI"), dir, dir);
    int st = system(cmd);
    snprintf(path, sizeof path, "%s/out/report.json", dir);
    json_error_t e;
    json_t *rep = json_load_file(path, 0, &e), *r;
    ck_assert_msg(rep != NULL, "no report: %s", e.text);
    size_t i, n = 0;
    json_array_foreach(json_object_get(rep, "results"), i, r) {
        char *dump = json_dumps(r, JSON_COMPACT);
        ck_assert_msg(strcmp(json_string_value(json_object_get(r, "verdict")), "PASS") == 0, "%.600s", dump);
        free(dump);
        n++;
    }
    ck_assert_int_eq(n, json_array_size(cases));
    ck_assert_int_eq(WEXITSTATUS(st), 0);
    json_decref(rep), json_decref(file);
    tl_rmdir(dir);
    free(dir);
}
END_TEST

Suite *serve_ops_suite(void);
Suite *serve_ops_suite(void)
{
    Suite *s = suite_create("serve_ops");
    TCase *tc = tcase_create("rows");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, each_row_gets_its_answer, 0, NROWS);
    tcase_add_test(tc, accepts_name_the_identity);
    tcase_add_test(tc, harness_passes_every_row);
    suite_add_tcase(s, tc);
    return s;
}
