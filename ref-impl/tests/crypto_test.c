/* crypto_test.c: deterministic ECDSA against RFC 6979 A.2.5, DER verification against the MLS
 * working group's crypto-basics vector, key derivation and the R||S range rules. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/testlib.h"

/* RFC 6979 A.2.5: ECDSA, 256 bits (prime field), SHA-256 */
static const char rfc6979_x[] = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
static const char rfc6979_U[] = "04"
                                "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
                                "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299";

struct rfc6979_case {
    const char *msg;
    const char *r, *s;
};

static const struct rfc6979_case rfc6979_cases[] = {
    {"sample", "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
     "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"},
    {"test", "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
     "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"},
};

START_TEST(rfc6979_known_answers)
{
    const struct rfc6979_case *c = &rfc6979_cases[_i];
    uint8_t *x = tl_hex(rfc6979_x, NULL), *U = tl_hex(rfc6979_U, NULL);
    uint8_t *r = tl_hex(c->r, NULL), *s = tl_hex(c->s, NULL);
    stirmls_key *k = NULL;
    ck_assert_int_eq(stirmls_key_from_scalar(x, &k), STIRMLS_R_OK);
    uint8_t pt[65], sig[64];
    stirmls_key_point(k, pt);
    ck_assert(memcmp(pt, U, 65) == 0);
    ck_assert_int_eq(stirmls_ecdsa_sign_raw(k, c->msg, strlen(c->msg), sig), STIRMLS_R_OK);
    ck_assert_msg(memcmp(sig, r, 32) == 0, "r differs for %s", c->msg);
    ck_assert_msg(memcmp(sig + 32, s, 32) == 0, "s differs for %s", c->msg);
    ck_assert_int_eq(stirmls_ecdsa_verify_raw(k, c->msg, strlen(c->msg), sig, 64), STIRMLS_R_OK);
    sig[10] ^= 1;
    ck_assert_int_eq(stirmls_ecdsa_verify_raw(k, c->msg, strlen(c->msg), sig, 64), STIRMLS_R_PPT_SIG_INVALID);
    stirmls_key_free(k);
    free(x), free(U), free(r), free(s);
}
END_TEST

/* crypto-basics.json, cipher suite 2, sign_with_label: SignContent = label<V> || content<V> with
 * label "MLS 1.0 " + label; DER signature made by another implementation. */
START_TEST(mls_sign_with_label_vector_verifies)
{
    json_error_t jerr;
    json_t *root = json_load_file(tl_mlswg_path("crypto-basics.json"), 0, &jerr);
    ck_assert_msg(root != NULL, "%s", jerr.text);
    json_t *entry = NULL, *e;
    size_t i;
    json_array_foreach(root, i, e) if (json_integer_value(json_object_get(e, "cipher_suite")) == 2) entry = e;
    ck_assert(entry != NULL);
    json_t *swl = json_object_get(entry, "sign_with_label");
    size_t publen, contentlen, siglen, privlen;
    uint8_t *pub = tl_hex(json_string_value(json_object_get(swl, "pub")), &publen);
    uint8_t *priv = tl_hex(json_string_value(json_object_get(swl, "priv")), &privlen);
    uint8_t *content = tl_hex(json_string_value(json_object_get(swl, "content")), &contentlen);
    uint8_t *sig = tl_hex(json_string_value(json_object_get(swl, "signature")), &siglen);
    char label[64];
    snprintf(label, sizeof label, "MLS 1.0 %s", json_string_value(json_object_get(swl, "label")));
    stirmls_buf tbs;
    stirmls_buf_init(&tbs);
    stirmls_buf_put_opaque(&tbs, label, strlen(label));
    stirmls_buf_put_opaque(&tbs, content, contentlen);
    stirmls_key *k = NULL, *signer = NULL;
    ck_assert_int_eq(stirmls_key_from_point(pub, publen, &k), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_ecdsa_verify_der(k, tbs.ptr, tbs.len, sig, siglen), STIRMLS_R_OK);
    /* our own signature over the same input verifies with the vector's public key */
    ck_assert_uint_eq(privlen, 32);
    ck_assert_int_eq(stirmls_key_from_scalar(priv, &signer), STIRMLS_R_OK);
    uint8_t pt[65];
    stirmls_key_point(signer, pt);
    ck_assert(memcmp(pt, pub, 65) == 0);
    uint8_t *mine;
    size_t minelen;
    ck_assert_int_eq(stirmls_ecdsa_sign_der(signer, tbs.ptr, tbs.len, &mine, &minelen), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_ecdsa_verify_der(k, tbs.ptr, tbs.len, mine, minelen), STIRMLS_R_OK);
    free(mine);
    /* without the "MLS 1.0 " prefix the vector's signature must fail */
    stirmls_buf bare;
    stirmls_buf_init(&bare);
    stirmls_buf_put_opaque(&bare, label + 8, strlen(label + 8));
    stirmls_buf_put_opaque(&bare, content, contentlen);
    ck_assert_int_eq(stirmls_ecdsa_verify_der(k, bare.ptr, bare.len, sig, siglen), STIRMLS_R_MLS_LEAF_SIGNATURE);
    /* the same signature as raw R||S is not DER */
    uint8_t raw[64];
    ck_assert_int_eq(stirmls_ecdsa_der_to_raw(sig, siglen, raw), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_ecdsa_verify_der(k, tbs.ptr, tbs.len, raw, 64), STIRMLS_R_MLS_SIGNATURE_FORMAT);
    ck_assert_int_eq(stirmls_ecdsa_verify_raw(k, tbs.ptr, tbs.len, raw, 64), STIRMLS_R_OK);
    /* and the DER form inside a JWS is a length error */
    ck_assert_int_eq(stirmls_ecdsa_verify_raw(k, tbs.ptr, tbs.len, sig, siglen), STIRMLS_R_PPT_SIG_LENGTH);
    stirmls_buf_cleanup(&bare);
    stirmls_buf_cleanup(&tbs);
    stirmls_key_free(k);
    stirmls_key_free(signer);
    free(pub), free(priv), free(content), free(sig);
    json_decref(root);
}
END_TEST

START_TEST(derive_is_deterministic_and_name_separated)
{
    const uint8_t seed[] = "stirmls-test-seed";
    stirmls_key *a = NULL, *b = NULL, *c = NULL;
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, "alice", &a), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, "alice", &b), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, "bob", &c), STIRMLS_R_OK);
    uint8_t pa[65], pb[65], pc[65];
    stirmls_key_point(a, pa), stirmls_key_point(b, pb), stirmls_key_point(c, pc);
    ck_assert(memcmp(pa, pb, 65) == 0);
    ck_assert(memcmp(pa, pc, 65) != 0);
    /* PEM round trip keeps the key */
    char *pem = stirmls_key_private_pem(a);
    ck_assert(pem != NULL);
    stirmls_key *d = NULL;
    ck_assert_int_eq(stirmls_key_from_pem(pem, strlen(pem), &d), STIRMLS_R_OK);
    ck_assert(stirmls_key_has_private(d));
    uint8_t s1[64], s2[64];
    ck_assert_int_eq(stirmls_ecdsa_sign_raw(a, "m", 1, s1), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_ecdsa_sign_raw(d, "m", 1, s2), STIRMLS_R_OK);
    ck_assert(memcmp(s1, s2, 64) == 0);
    char *pub = stirmls_key_public_pem(a);
    stirmls_key *e = NULL;
    ck_assert_int_eq(stirmls_key_from_pem(pub, strlen(pub), &e), STIRMLS_R_OK);
    ck_assert(!stirmls_key_has_private(e));
    ck_assert_int_eq(stirmls_ecdsa_verify_raw(e, "m", 1, s1, 64), STIRMLS_R_OK);
    free(pem), free(pub);
    stirmls_key_free(a), stirmls_key_free(b), stirmls_key_free(c), stirmls_key_free(d), stirmls_key_free(e);
}
END_TEST

START_TEST(raw_signature_range_and_point_format)
{
    uint8_t *x = tl_hex(rfc6979_x, NULL);
    stirmls_key *k = NULL;
    ck_assert_int_eq(stirmls_key_from_scalar(x, &k), STIRMLS_R_OK);
    uint8_t sig[64];
    memset(sig, 0, sizeof sig);
    sig[31] = 1; /* r = 1, s = 0 */
    ck_assert_int_eq(stirmls_ecdsa_verify_raw(k, "m", 1, sig, 64), STIRMLS_R_PPT_SIG_RANGE);
    memset(sig, 0xff, sizeof sig); /* r, s >= n */
    ck_assert_int_eq(stirmls_ecdsa_verify_raw(k, "m", 1, sig, 64), STIRMLS_R_PPT_SIG_RANGE);
    ck_assert_int_eq(stirmls_ecdsa_verify_raw(k, "m", 1, sig, 63), STIRMLS_R_PPT_SIG_LENGTH);
    /* compressed, raw X||Y and off-curve points are not MLS signature keys */
    uint8_t pt[65];
    stirmls_key_point(k, pt);
    stirmls_key *bad = NULL;
    uint8_t compressed[33];
    compressed[0] = (uint8_t)(0x02 | (pt[64] & 1));
    memcpy(compressed + 1, pt + 1, 32);
    ck_assert_int_eq(stirmls_key_from_point(compressed, 33, &bad), STIRMLS_R_MLS_KEY_FORMAT);
    ck_assert_int_eq(stirmls_key_from_point(pt + 1, 64, &bad), STIRMLS_R_MLS_KEY_FORMAT);
    pt[64] ^= 1;
    ck_assert_int_eq(stirmls_key_from_point(pt, 65, &bad), STIRMLS_R_MLS_KEY_FORMAT);
    stirmls_key_free(k);
    free(x);
}
END_TEST

START_TEST(sha256_known_answer)
{
    /* FIPS 180-2 example: SHA-256("abc") */
    uint8_t d[32];
    char hex[65];
    stirmls_sha256("abc", 3, d);
    stirmls_hex_encode(d, 32, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

Suite *crypto_suite(void);
Suite *crypto_suite(void)
{
    Suite *s = suite_create("crypto");
    TCase *tc = tcase_create("ecdsa");
    tcase_add_loop_test(tc, rfc6979_known_answers, 0, sizeof rfc6979_cases / sizeof rfc6979_cases[0]);
    tcase_add_test(tc, mls_sign_with_label_vector_verifies);
    tcase_add_test(tc, derive_is_deterministic_and_name_separated);
    tcase_add_test(tc, raw_signature_range_and_point_format);
    tcase_add_test(tc, sha256_known_answer);
    suite_add_tcase(s, tc);
    return s;
}
