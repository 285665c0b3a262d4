/* certcache_test.c: the certificate parse cache (certcache.h). The same DER gives the same shared
 * object (a hit parses nothing: the miss counter stays put), another DER another object; a
 * failure is not stored and reports the same reason as a plain parse; least recently used
 * eviction at capacity; capacity 0 stores nothing; a NULL cache is a plain parse; PEM bundles
 * parse through it with the same verdicts and details as without; and a KeyPackage
 * with a stir_passport credential verifies to the same result with and without the cache. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"

static const uint8_t seed[] = "certcache-test";
static stirmls_pki pki;
static stirmls_slice der_of[3]; /* root, sti-ca, range-ee */

static void setup(void)
{
    stirmls_pki_opts o;
    stirmls_pki_opts_init(&o, seed, sizeof seed - 1);
    ck_assert_int_eq(stirmls_pki_generate(&o, &pki, NULL), STIRMLS_R_OK);
    const char *names[3] = {"root", "sti-ca", "range-ee"};
    for (int i = 0; i < 3; i++)
        der_of[i] = stirmls_cert_der(stirmls_pki_find(&pki, names[i])->cert);
}

static void teardown(void)
{
    stirmls_pki_cleanup(&pki);
}

/* parse `which` through c; returns the object (owned by the test) */
static stirmls_cert *parse(stirmls_certcache *c, int which)
{
    stirmls_cert *x = NULL;
    ck_assert_int_eq(stirmls_certcache_parse(c, der_of[which].ptr, der_of[which].len, &x, NULL), STIRMLS_R_OK);
    stirmls_slice s = stirmls_cert_der(x);
    ck_assert_uint_eq(s.len, der_of[which].len);
    ck_assert(memcmp(s.ptr, der_of[which].ptr, s.len) == 0);
    return x;
}

static void expect_stats(const stirmls_certcache *c, uint64_t hits, uint64_t misses)
{
    uint64_t h = 99, m = 99;
    stirmls_certcache_stats(c, &h, &m);
    ck_assert_uint_eq(h, hits);
    ck_assert_uint_eq(m, misses);
}

/* Each row: a sequence of parses (index into der_of) with capacity, and for each step whether it
 * must be a hit (the same object as the last parse of that DER still held by the cache). */
struct seq_row {
    const char *name;
    size_t capacity;
    int steps[6];      /* -1 ends */
    int hit[6];
};

static const struct seq_row seqs[] = {
    {"same DER twice: one parse", 4, {0, 0, -1}, {0, 1}},
    {"different DERs: different objects", 4, {0, 1, 2, -1}, {0, 0, 0}},
    {"interleaved: each parsed once", 4, {0, 1, 0, 1, -1}, {0, 0, 1, 1}},
    {"capacity 0 stores nothing", 0, {0, 0, -1}, {0, 0}},
    {"LRU: B evicted, A kept (used last)", 2, {0, 1, 0, 2, 0, 1}, {0, 0, 1, 0, 1, 0}},
    {"capacity 1: alternating DERs always miss", 1, {0, 1, 0, 1, -1}, {0, 0, 0, 0}},
};

START_TEST(sequence)
{
    const struct seq_row *r = &seqs[_i];
    stirmls_certcache *c = stirmls_certcache_new(r->capacity);
    stirmls_cert *last[3] = {NULL, NULL, NULL};
    uint64_t hits = 0, misses = 0;
    ck_assert_ptr_nonnull(c);
    for (int k = 0; k < 6 && r->steps[k] >= 0; k++) {
        int w = r->steps[k];
        stirmls_cert *x = parse(c, w);
        if (r->hit[k]) {
            ck_assert_msg(x == last[w], "%s: step %d should share the cached object", r->name, k);
            hits++;
        } else {
            ck_assert_msg(x != last[w], "%s: step %d should parse again", r->name, k);
            misses++;
        }
        stirmls_cert_free(last[w]);
        last[w] = x;
        expect_stats(c, hits, misses);
    }
    for (int w = 0; w < 3; w++)
        stirmls_cert_free(last[w]);
    stirmls_certcache_free(c);
}
END_TEST

/* A failure is reported as by a plain parse and is not stored. */
START_TEST(failure_not_stored)
{
    stirmls_certcache *c = stirmls_certcache_new(4);
    stirmls_cert *x = NULL;
    stirmls_detail d1, d2;
    for (int k = 0; k < 2; k++) {
        stirmls_detail_init(&d1);
        stirmls_detail_init(&d2);
        ck_assert_int_eq(stirmls_certcache_parse(c, der_of[1].ptr, der_of[1].len - 1, &x, &d1), STIRMLS_R_CERT_PARSE);
        ck_assert_int_eq(stirmls_cert_from_der(der_of[1].ptr, der_of[1].len - 1, &x, &d2), STIRMLS_R_CERT_PARSE);
        ck_assert_str_eq(d1.text, d2.text);
        expect_stats(c, 0, (uint64_t)k + 1);
    }
    /* the valid DER with the same prefix is not confused with it */
    x = parse(c, 1);
    expect_stats(c, 0, 3);
    stirmls_cert_free(x);
    stirmls_certcache_free(c);
}
END_TEST

START_TEST(null_cache_and_free)
{
    stirmls_cert *a = parse(NULL, 2), *b = parse(NULL, 2);
    ck_assert_ptr_ne(a, b);
    expect_stats(NULL, 0, 0);
    stirmls_cert_free(a);
    stirmls_cert_free(b);
    stirmls_certcache_free(NULL);
    /* the cache's reference outlives the caller's, and the caller's outlives the cache */
    stirmls_certcache *c = stirmls_certcache_new(2);
    stirmls_cert *x = parse(c, 0);
    stirmls_certcache_free(c);
    ck_assert_uint_eq(stirmls_cert_der(x).len, der_of[0].len);
    stirmls_cert_free(x);
}
END_TEST

/* stirmls_certcache_list_parse: the same verdict and detail as stirmls_cert_list_parse for each
 * input, and a second parse of the same bundle shares the objects. */
static const char *const list_inputs[] = {
    "chain",                      /* the PEM bundle of range-ee (leaf, sti-ca) */
    "der",                        /* one DER certificate */
    "no block",                   /* PEM_INVALID */
    "bad body",                   /* a CERTIFICATE block that is not a certificate: CERT_PARSE */
};

static char *list_input(int i, size_t *len)
{
    char *t = NULL;
    if (i == 0)
        t = stirmls_pki_chain_pem(&pki, "range-ee");
    else if (i == 1) {
        t = malloc(der_of[1].len);
        memcpy(t, der_of[1].ptr, der_of[1].len);
        *len = der_of[1].len;
        return t;
    } else if (i == 2)
        t = strdup("hello\n");
    else
        t = strdup("-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n");
    *len = strlen(t);
    return t;
}

START_TEST(list_same_as_plain)
{
    size_t len = 0;
    char *in = list_input(_i, &len);
    stirmls_certcache *c = stirmls_certcache_new(4);
    stirmls_cert_list a, b, b2;
    stirmls_detail da, db;
    stirmls_cert_list_init(&a), stirmls_cert_list_init(&b), stirmls_cert_list_init(&b2);
    stirmls_detail_init(&da), stirmls_detail_init(&db);
    stirmls_reason ra = stirmls_cert_list_parse((const uint8_t *)in, len, &a, &da);
    stirmls_reason rb = stirmls_certcache_list_parse(c, (const uint8_t *)in, len, &b, &db);
    ck_assert_msg(ra == rb, "%s: %d vs %d", list_inputs[_i], ra, rb);
    ck_assert_str_eq(da.text, db.text);
    ck_assert_int_eq(da.cert_index, db.cert_index);
    ck_assert_uint_eq(a.n, b.n);
    if (ra == STIRMLS_R_OK) {
        ck_assert_int_eq(stirmls_certcache_list_parse(c, (const uint8_t *)in, len, &b2, NULL), STIRMLS_R_OK);
        for (size_t i = 0; i < b.n; i++) {
            ck_assert(stirmls_cert_der(a.certs[i]).len == stirmls_cert_der(b.certs[i]).len);
            ck_assert_ptr_eq(b.certs[i], b2.certs[i]); /* shared on the second parse */
        }
        expect_stats(c, b.n, b.n);
    }
    stirmls_cert_list_cleanup(&a), stirmls_cert_list_cleanup(&b), stirmls_cert_list_cleanup(&b2);
    stirmls_certcache_free(c);
    free(in);
}
END_TEST

/* ---- through the credential validators: the same answer with and without the cache ---------- */

static stirmls_reason verify_kp(stirmls_certcache *certs, uint64_t at, stirmls_mls_result *res, stirmls_detail *d)
{
    const stirmls_pki_entry *root = stirmls_pki_find(&pki, "root"), *ee = stirmls_pki_find(&pki, "range-ee");
    const stirmls_pki_entry *ca = stirmls_pki_find(&pki, "sti-ca");
    stirmls_cert_list anchors;
    stirmls_trust *trust = NULL;
    stirmls_key *mls = NULL;
    uint8_t pt[STIRMLS_P256_POINT_LEN], *cred = NULL, *kp = NULL;
    size_t credlen = 0, kplen = 0;
    char *token = NULL, claims[512];
    stirmls_cert_list_init(&anchors);
    ck_assert_int_eq(stirmls_cert_list_push(&anchors, stirmls_cert_up_ref(root->cert)), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_trust_new(&anchors, &trust), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, "member", &mls), STIRMLS_R_OK);
    stirmls_key_point(mls, pt);
    char *mky = stirmls_mky_entry_json(pt, sizeof pt);
    snprintf(claims, sizeof claims, "{\"dest\":{\"uri\":[\"mimi://p.test\"]},\"iat\":%llu,\"mky\":[%s],"
             "\"orig\":{\"tn\":\"12155550150\"}}", (unsigned long long)(STIRMLS_PKI_NOT_BEFORE + 86400), mky);
    free(mky);
    ck_assert_int_eq(stirmls_passport_sign(ee->key, "https://x.test/ee.pem", NULL, claims, strlen(claims), &token, NULL),
                     STIRMLS_R_OK);
    stirmls_credential c;
    memset(&c, 0, sizeof c);
    c.kind = STIRMLS_CRED_KIND_STIR_PASSPORT;
    c.type = STIRMLS_CRED_STIR_PASSPORT_DEFAULT;
    c.passport = (stirmls_slice){(const uint8_t *)token, strlen(token)};
    c.ncerts = 2;
    c.certs[0] = stirmls_cert_der(ee->cert);
    c.certs[1] = stirmls_cert_der(ca->cert);
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_credential_write(&b, &c);
    cred = stirmls_buf_take(&b, &credlen);
    stirmls_kp_params p;
    memset(&p, 0, sizeof p);
    p.signature_key = mls;
    p.credential = (stirmls_slice){cred, credlen};
    p.not_before = STIRMLS_PKI_NOT_BEFORE + 86400;
    p.not_after = STIRMLS_PKI_NOT_BEFORE + 2 * 86400;
    p.seed = seed;
    p.seedlen = sizeof seed - 1;
    p.key_name = "member";
    ck_assert_int_eq(stirmls_keypackage_build(&p, 1, &kp, &kplen, NULL), STIRMLS_R_OK);
    stirmls_stir_binding sb;
    stirmls_cred_validators v;
    stirmls_mls_options o;
    stirmls_keypackage k;
    int was = 0;
    stirmls_mls_options_default(&o);
    stirmls_stir_binding_init(&sb, trust);
    sb.certs = certs;
    stirmls_cred_validators_default(&v);
    stirmls_stir_validators(&sb, &v);
    stirmls_identities_init(&res->identities);
    stirmls_reason rc = stirmls_keypackage_decode_any(kp, kplen, &o.codepoints, &k, &was, d);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_keypackage_verify(&k, &o, &v, at, res, d);
    free(kp), free(cred), free(token);
    stirmls_key_free(mls);
    stirmls_trust_free(trust);
    stirmls_cert_list_cleanup(&anchors);
    return rc;
}

/* evaluation times: inside everything (twice: the second run hits), then after the KeyPackage's
 * lifetime (rejected by the lifetime check, before any certificate is parsed) */
static const uint64_t kp_at[] = {STIRMLS_PKI_NOT_BEFORE + 86400 + 60, STIRMLS_PKI_NOT_BEFORE + 86400 + 60,
                                 STIRMLS_PKI_NOT_BEFORE + 30 * 86400};

START_TEST(keypackage_same_with_cache)
{
    stirmls_certcache *shared = stirmls_certcache_new(8);
    for (size_t i = 0; i < sizeof kp_at / sizeof kp_at[0]; i++) {
        stirmls_mls_result r1, r2;
        stirmls_detail d1, d2;
        stirmls_detail_init(&d1);
        stirmls_detail_init(&d2);
        memset(&r1, 0, sizeof r1);
        memset(&r2, 0, sizeof r2);
        stirmls_reason a = verify_kp(NULL, kp_at[i], &r1, &d1), b = verify_kp(shared, kp_at[i], &r2, &d2);
        ck_assert_int_eq(a, b);
        ck_assert_str_eq(d1.text, d2.text);
        ck_assert_int_eq(d1.cert_index, d2.cert_index);
        ck_assert(memcmp(&r1, &r2, sizeof r1) == 0);
        ck_assert(i < 2 ? a == STIRMLS_R_OK : a != STIRMLS_R_OK);
        uint64_t hits = 0;
        stirmls_certcache_stats(shared, &hits, NULL);
        ck_assert_uint_eq(hits, i == 0 ? 0 : 2); /* the two certificates, parsed once */
    }
    stirmls_certcache_free(shared);
}
END_TEST

Suite *certcache_suite(void);
Suite *certcache_suite(void)
{
    Suite *s = suite_create("certcache");
    TCase *tc = tcase_create("certcache");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, sequence, 0, sizeof seqs / sizeof seqs[0]);
    tcase_add_test(tc, failure_not_stored);
    tcase_add_test(tc, null_cache_and_free);
    tcase_add_loop_test(tc, list_same_as_plain, 0, sizeof list_inputs / sizeof list_inputs[0]);
    tcase_add_test(tc, keypackage_same_with_cache);
    suite_add_tcase(s, tc);
    return s;
}
