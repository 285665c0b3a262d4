/*
 * allocfail_test.c: the allocation-failure sweep (jansson's test_chaos.c style). For each
 * operation that allocates: fail allocation N for N = 0, 1, 2, ... until the operation runs
 * without an injected failure. Every injected failure must end in a clean INTERNAL (or, where a
 * dependency absorbs it, the normal success with the right output); no crash, and no leak: the
 * debug profile of make check runs this under ASan/LSan, which fails the test's child process
 * on any leak.
 *
 * Three allocators are counted as one sequence:
 *   - the library's own malloc/calloc/realloc: the test binary (only) is linked with
 *     -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc (ref-impl.mk), so every call from
 *     libstirmls.a lands in __wrap_* below, which pass through unless armed;
 *   - jansson: the library installs its own json_set_alloc_funcs hook (codec/json.c, to tell an
 *     allocation failure from bad JSON), which calls malloc, so the --wrap sees jansson too;
 *   - OpenSSL: CRYPTO_set_mem_functions, which OpenSSL refuses once it has allocated anything. It
 *     is therefore called from a constructor of this file, before main() and before any suite
 *     runs (nothing in libcrypto allocates at load time). The test asserts the hooks took. This
 *     file includes an OpenSSL header for that one call: it drives OpenSSL's allocator, it does
 *     not use OpenSSL.
 * Before each sweep the operation runs once unarmed, so OpenSSL's lazy one-time initialisation
 * (providers, curve tables, error strings) is done and the sweep sees the steady state.
 */
#include <check.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include "testlib/passport_fixture.h"
#include "stirmls.h"

/* ---- the counting allocator ---------------------------------------------------------------- */

static int af_armed;     /* 1 while an operation runs under the sweep */
static long af_fail_at;  /* the index of the allocation to fail */
static long af_count;    /* allocations seen since arming */
static int af_injected;  /* a failure was injected in this run */
static int af_ossl_hooked;
static stirmls_detail af_d; /* the detail of the current run */

static int af_fail_now(void)
{
    if (!af_armed)
        return 0;
    if (af_count++ == af_fail_at) {
        af_injected = 1;
        return 1;
    }
    return 0;
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

void *__wrap_malloc(size_t n)
{
    return af_fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
    return af_fail_now() ? NULL : __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
    return af_fail_now() ? NULL : __real_realloc(p, n);
}

static void *af_ossl_malloc(size_t n, const char *file, int line)
{
    (void)file, (void)line;
    return af_fail_now() ? NULL : __real_malloc(n);
}

static void *af_ossl_realloc(void *p, size_t n, const char *file, int line)
{
    (void)file, (void)line;
    return af_fail_now() ? NULL : __real_realloc(p, n);
}

static void af_ossl_free(void *p, const char *file, int line)
{
    (void)file, (void)line;
    free(p);
}

__attribute__((constructor)) static void af_install(void)
{
    af_ossl_hooked = CRYPTO_set_mem_functions(af_ossl_malloc, af_ossl_realloc, af_ossl_free);
}

/* ---- fixtures (made before arming) ---------------------------------------------------------- */

static stirmls_key *fx_signer, *fx_mls;
static uint8_t fx_point[STIRMLS_P256_POINT_LEN];
static char *fx_token;
static uint8_t *fx_kp;
static size_t fx_kp_len;
static stirmls_pki fx_pki;
static stirmls_trust *fx_trust;
static const char fx_claims[] = "{\"orig\":{\"tn\":\"12155551212\"},\"iat\":1443208345,"
                                "\"dest\":{\"tn\":[\"12125551213\"],\"uri\":[\"sip:a@b\"]},"
                                "\"x\":[1,2,{\"z\":null,\"y\":true}]}";

static stirmls_reason accept_any(void *ctx, const stirmls_credential *cred,
                                 stirmls_slice signature_key, uint64_t at,
                                 uint64_t *credential_not_after, stirmls_identities *ids,
                                 stirmls_detail *d)
{
    (void)ctx, (void)cred, (void)signature_key, (void)at, (void)d;
    *credential_not_after = UINT64_MAX;
    return stirmls_identities_add(ids, "tn:12155551212");
}

static void kp_params(stirmls_kp_params *p, stirmls_buf *cred)
{
    stirmls_buf_init(cred);
    stirmls_buf_put_u16(cred, STIRMLS_CRED_BASIC);
    stirmls_buf_put_opaque(cred, "alice", 5);
    memset(p, 0, sizeof *p);
    p->signature_key = fx_mls;
    p->credential.ptr = cred->ptr, p->credential.len = cred->len;
    p->not_before = PF_IAT, p->not_after = PF_IAT + 86400;
    p->seed = fx_point, p->seedlen = sizeof fx_point;
    p->key_name = "allocfail";
}

static void fixtures(void)
{
    stirmls_kp_params p;
    stirmls_buf cred;
    ck_assert_msg(af_ossl_hooked == 1, "CRYPTO_set_mem_functions was refused: OpenSSL allocated "
                                       "before the constructor of allocfail_test.c");
    fx_signer = pf_signer();
    fx_mls = pf_mls_key();
    stirmls_key_point(fx_mls, fx_point);
    fx_token = pf_token(PF_H0, PF_C0);
    kp_params(&p, &cred);
    ck_assert_int_eq(stirmls_keypackage_build(&p, 1, &fx_kp, &fx_kp_len, NULL), STIRMLS_R_OK);
    stirmls_buf_cleanup(&cred);
    stirmls_pki_opts po;
    stirmls_cert_list anchors;
    stirmls_pki_opts_init(&po, fx_point, sizeof fx_point);
    ck_assert_int_eq(stirmls_pki_generate(&po, &fx_pki, NULL), STIRMLS_R_OK);
    stirmls_cert_list_init(&anchors);
    ck_assert_int_eq(stirmls_cert_list_push(&anchors, stirmls_cert_up_ref(stirmls_pki_find(&fx_pki, "root")->cert)),
                     STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_trust_new(&anchors, &fx_trust), STIRMLS_R_OK);
    stirmls_cert_list_cleanup(&anchors);
}

static void fixtures_free(void)
{
    stirmls_key_free(fx_signer);
    stirmls_key_free(fx_mls);
    free(fx_token);
    free(fx_kp);
    stirmls_trust_free(fx_trust);
    stirmls_pki_cleanup(&fx_pki);
}

/* ---- the operations ------------------------------------------------------------------------ */

static stirmls_reason op_b64url_decode(void)
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    const char *dot = strchr(fx_token, '.');
    stirmls_reason rc = stirmls_b64url_decode(dot + 1, strcspn(dot + 1, "."), 0, &b, &af_d);
    af_armed = 0; /* check's own asserts allocate */
    if (rc == STIRMLS_R_OK)
        ck_assert_ptr_nonnull(strstr((const char *)b.ptr, "\"iat\":1443208345"));
    stirmls_buf_cleanup(&b);
    return rc;
}

static stirmls_reason op_json_parse_serialize(void)
{
    stirmls_json *j = NULL;
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_reason rc = stirmls_json_parse(fx_claims, strlen(fx_claims), &j, &af_d);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_json_serialize(j, &b);
    af_armed = 0; /* check's own asserts allocate */
    if (rc == STIRMLS_R_OK)
        ck_assert_str_eq((const char *)b.ptr,
                         "{\"dest\":{\"tn\":[\"12125551213\"],\"uri\":[\"sip:a@b\"]},"
                         "\"iat\":1443208345,\"orig\":{\"tn\":\"12155551212\"},"
                         "\"x\":[1,2,{\"y\":true,\"z\":null}]}");
    stirmls_buf_cleanup(&b);
    stirmls_json_free(j);
    return rc;
}

static stirmls_reason op_json_check_deterministic(void)
{
    static const char t[] = "{\"a\":[1,\"\\u0001\"],\"b\":{\"c\":null}}";
    return stirmls_json_check_deterministic(t, strlen(t), &af_d);
}

static stirmls_reason op_passport_parse_verify(void)
{
    stirmls_ppt_policy pol;
    stirmls_passport *p = NULL;
    stirmls_ppt_result res;
    stirmls_ppt_policy_init(&pol);
    stirmls_reason rc = stirmls_passport_parse(fx_token, strlen(fx_token), &pol, &p, &af_d);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_passport_verify(p, fx_signer, UINT64_MAX, &pol, PF_IAT, fx_point,
                                     sizeof fx_point, &res, &af_d);
    stirmls_passport_free(p);
    return rc;
}

static stirmls_reason op_passport_sign(void)
{
    char *tok = NULL;
    stirmls_reason rc = stirmls_passport_sign(fx_signer, "https://cert.example.org/p.pem", "shaken",
                                              fx_claims, strlen(fx_claims), &tok, &af_d);
    af_armed = 0; /* check's own asserts allocate */
    if (rc == STIRMLS_R_OK)
        ck_assert_int_eq(strncmp(tok, "eyJ", 3), 0);
    free(tok);
    return rc;
}

static stirmls_reason op_keypackage_decode_verify(void)
{
    stirmls_cred_codepoints cp;
    stirmls_keypackage kp;
    stirmls_mls_options o;
    stirmls_cred_validators v;
    stirmls_mls_result res;
    stirmls_cred_codepoints_default(&cp);
    stirmls_mls_options_default(&o);
    stirmls_cred_validators_default(&v);
    v.basic.validate = accept_any;
    stirmls_reason rc = stirmls_keypackage_decode_message(fx_kp, fx_kp_len, &cp, &kp, &af_d);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_keypackage_verify(&kp, &o, &v, PF_IAT + 10, &res, &af_d);
    return rc;
}

static stirmls_reason op_keypackage_build(void)
{
    stirmls_kp_params p;
    stirmls_buf cred;
    uint8_t *out = NULL;
    size_t n = 0;
    kp_params(&p, &cred); /* a stirmls_buf: allocates, part of the sweep */
    stirmls_reason rc = stirmls_buf_status(&cred);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_keypackage_build(&p, 1, &out, &n, &af_d);
    af_armed = 0; /* check's own asserts allocate */
    if (rc == STIRMLS_R_OK)
        ck_assert(n == fx_kp_len && memcmp(out, fx_kp, n) == 0);
    free(out);
    stirmls_buf_cleanup(&cred);
    return rc;
}

/* A chain-validation cache hit: the chain is validated and stored with the sweep paused (chain
 * validation itself is not part of this sweep), then the same chain again under the sweep: a
 * failure in the cache's own allocations (key, result copy) falls back to a full validation. */
static stirmls_reason op_chaincache_hit(void)
{
    stirmls_cert *chain[2] = {stirmls_pki_find(&fx_pki, "range-ee")->cert, stirmls_pki_find(&fx_pki, "sti-ca")->cert};
    stirmls_chain_opts o;
    stirmls_chain_result r;
    int armed = af_armed;
    af_armed = 0;
    stirmls_chaincache *c = stirmls_chaincache_new(2);
    stirmls_chain_opts_init(&o, fx_trust, STIRMLS_PKI_NOT_BEFORE + 86400);
    o.tn = "12155550150";
    stirmls_reason rc = stirmls_chaincache_verify(c, chain, 2, &o, &r, NULL);
    stirmls_chain_result_cleanup(&r);
    af_armed = armed;
    if (rc == STIRMLS_R_OK)
        rc = stirmls_chaincache_verify(c, chain, 2, &o, &r, &af_d);
    af_armed = 0;
    if (rc == STIRMLS_R_OK && (r.identities == NULL || r.identities->n != 1 || r.leaf_key == NULL || r.path.n != 3))
        rc = STIRMLS_R_USAGE; /* a wrong result fails the sweep */
    stirmls_chain_result_cleanup(&r);
    stirmls_chaincache_free(c);
    return rc;
}

/* Extension lookups cannot fail: an allocation failure must not make the TNAuthList look absent. */
static stirmls_reason op_cert_extension_lookup(void)
{
    const stirmls_cert *leaf = stirmls_pki_find(&fx_pki, "range-ee")->cert;
    stirmls_slice v = {NULL, 0};
    int crit = -1;
    int n = stirmls_cert_extension_count(leaf, STIRMLS_TNAUTHLIST_OID);
    int has = stirmls_cert_extension(leaf, STIRMLS_TNAUTHLIST_OID, &v, &crit);
    int jcc = stirmls_cert_extension_count(leaf, STIRMLS_JCC_OID);
    return n == 1 && has == 1 && v.len > 0 && crit == 0 && jcc == 0 ? STIRMLS_R_OK : STIRMLS_R_USAGE;
}

static stirmls_reason op_hex_decode(void)
{
    uint8_t *out = NULL;
    size_t n = 0;
    stirmls_reason rc = stirmls_hex_decode("00ff10ab", 8, &out, &n);
    free(out);
    return rc;
}

static const struct af_case {
    const char *name;
    stirmls_reason (*op)(void);
} af_cases[] = {
    {"b64url decode", op_b64url_decode},
    {"json parse + serialize", op_json_parse_serialize},
    {"json check_deterministic", op_json_check_deterministic},
    {"passport parse + verify", op_passport_parse_verify},
    {"passport sign", op_passport_sign},
    {"keypackage decode + verify", op_keypackage_decode_verify},
    {"keypackage build", op_keypackage_build},
    {"hex decode", op_hex_decode},
    {"chain cache hit", op_chaincache_hit},
    {"certificate extension lookup", op_cert_extension_lookup},
};

#define AF_MAX_STEPS 20000

START_TEST(allocfail_sweep)
{
    const struct af_case *c = &af_cases[_i];
    fixtures();
    ck_assert_msg(c->op() == STIRMLS_R_OK, "%s: fails without injection", c->name);
    long n;
    for (n = 0; n < AF_MAX_STEPS; n++) {
        stirmls_detail_init(&af_d);
        af_count = 0, af_fail_at = n, af_injected = 0, af_armed = 1;
        stirmls_reason rc = c->op();
        af_armed = 0;
        if (!af_injected) {
            ck_assert_msg(rc == STIRMLS_R_OK, "%s: %s without injection", c->name,
                          stirmls_reason_name(rc));
            break;
        }
        ck_assert_msg(rc == STIRMLS_R_INTERNAL || rc == STIRMLS_R_OK,
                      "%s: allocation %ld failed, reason %s instead of INTERNAL (%s)", c->name, n,
                      stirmls_reason_name(rc), af_d.text);
    }
    ck_assert_msg(n < AF_MAX_STEPS, "%s: more than %d allocations", c->name, AF_MAX_STEPS);
    fixtures_free();
}
END_TEST

Suite *allocfail_suite(void);
Suite *allocfail_suite(void)
{
    Suite *s = suite_create("allocfail");
    TCase *tc = tcase_create("sweep");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, allocfail_sweep, 0, sizeof af_cases / sizeof af_cases[0]);
    suite_add_tcase(s, tc);
    return s;
}
