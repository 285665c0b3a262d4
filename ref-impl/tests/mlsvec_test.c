/* mlsvec_test.c: the MLS working group's official vectors (ref-impl/tests/data/mlswg/) through the
 * MLS codec: crypto-basics (suite 2), deserialization, and every mls_key_package of messages.json. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/mlswg.h"
#include "testlib/testlib.h"

static json_t *suite2(json_t *root)
{
    size_t i;
    json_t *v;
    json_array_foreach(root, i, v) {
        if (json_integer_value(json_object_get(v, "cipher_suite")) == 2)
            return v;
    }
    ck_abort_msg("no cipher_suite 2 entry");
    return NULL;
}

START_TEST(crypto_basics_sign_with_label)
{
    json_t *root = tl_mlswg_load("crypto-basics.json");
    json_t *swl = json_object_get(suite2(root), "sign_with_label");
    size_t npub, ncontent, nsig, npriv;
    uint8_t *pub = tl_json_hex(swl, "pub", &npub), *content = tl_json_hex(swl, "content", &ncontent);
    uint8_t *sig = tl_json_hex(swl, "signature", &nsig), *priv = tl_json_hex(swl, "priv", &npriv);
    const char *label = json_string_value(json_object_get(swl, "label"));
    stirmls_key *k = NULL, *sk = NULL;
    ck_assert_int_eq(stirmls_key_from_point(pub, npub, &k), STIRMLS_R_OK);
    stirmls_slice c = {content, ncontent}, s = {sig, nsig};
    ck_assert_int_eq(stirmls_mls_verify_with_label(k, label, c, s), STIRMLS_R_OK);
    /* the same label without our prefix handling fails, and a flipped content bit fails */
    ck_assert_int_eq(stirmls_mls_verify_with_label(k, "MLS 1.0 SignWithLabel", c, s),
                     STIRMLS_R_MLS_LEAF_SIGNATURE);
    content[0] ^= 1;
    ck_assert_int_eq(stirmls_mls_verify_with_label(k, label, c, s), STIRMLS_R_MLS_LEAF_SIGNATURE);
    content[0] ^= 1;
    /* our signature with the vector's private key verifies too */
    ck_assert_uint_eq(npriv, 32);
    ck_assert_int_eq(stirmls_key_from_scalar(priv, &sk), STIRMLS_R_OK);
    uint8_t *mine = NULL;
    size_t minelen = 0;
    ck_assert_int_eq(stirmls_mls_sign_with_label(sk, label, c, &mine, &minelen), STIRMLS_R_OK);
    stirmls_slice ms = {mine, minelen};
    ck_assert_int_eq(stirmls_mls_verify_with_label(k, label, c, ms), STIRMLS_R_OK);
    free(mine);
    stirmls_key_free(k);
    stirmls_key_free(sk);
    free(pub), free(content), free(sig), free(priv);
    json_decref(root);
}
END_TEST

START_TEST(crypto_basics_ref_hash)
{
    json_t *root = tl_mlswg_load("crypto-basics.json");
    json_t *rh = json_object_get(suite2(root), "ref_hash");
    size_t nv, nout;
    uint8_t *value = tl_json_hex(rh, "value", &nv), *want = tl_json_hex(rh, "out", &nout);
    uint8_t got[32];
    stirmls_slice v = {value, nv};
    ck_assert_int_eq(stirmls_mls_ref_hash(json_string_value(json_object_get(rh, "label")), v, got),
                     STIRMLS_R_OK);
    ck_assert_uint_eq(nout, 32);
    ck_assert(memcmp(got, want, 32) == 0);
    free(value), free(want);
    json_decref(root);
}
END_TEST

/* deserialization.json through the codec's own vector reader: an opaque<V> whose header is the
 * vector's header must decode to exactly `length` bytes (the varint itself is in base_test). */
START_TEST(deserialization_through_opaque)
{
    json_t *root = tl_mlswg_load("deserialization.json");
    size_t i;
    json_t *v;
    json_array_foreach(root, i, v) {
        size_t n;
        uint8_t *hdr = tl_json_hex(v, "vlbytes_header", &n);
        size_t len = (size_t)json_integer_value(json_object_get(v, "length"));
        uint8_t *buf = calloc(1, n + len + 1);
        memcpy(buf, hdr, n);
        stirmls_reader r;
        stirmls_slice s;
        stirmls_reader_init(&r, buf, n + len);
        ck_assert_int_eq(stirmls_reader_opaque(&r, &s), STIRMLS_R_OK);
        ck_assert_int_eq(stirmls_reader_finish(&r), STIRMLS_R_OK);
        ck_assert_uint_eq(s.len, len);
        /* one byte short: truncated */
        stirmls_reader_init(&r, buf, n + len - (len ? 1 : 0));
        if (len)
            ck_assert_int_eq(stirmls_reader_opaque(&r, &s), STIRMLS_R_TRUNCATED);
        free(buf), free(hdr);
    }
    json_decref(root);
}
END_TEST

/* All 300 KeyPackages: decode, re-encode byte-identically; suite 2: both signatures verify. */
START_TEST(messages_key_packages)
{
    json_t *root = tl_mlswg_load("messages.json");
    stirmls_cred_codepoints cp;
    stirmls_cred_codepoints_default(&cp);
    size_t i, n_ok = 0, n_suite2 = 0, n_sig = 0;
    json_t *v;
    json_array_foreach(root, i, v) {
        size_t n;
        uint8_t *buf = tl_json_hex(v, "mls_key_package", &n);
        stirmls_keypackage kp;
        stirmls_detail d;
        stirmls_detail_init(&d);
        stirmls_reason rc = stirmls_keypackage_decode_message(buf, n, &cp, &kp, &d);
        ck_assert_msg(rc == STIRMLS_R_OK, "entry %zu: %s at %zu: %s", i, stirmls_reason_name(rc),
                      d.offset, d.text);
        stirmls_buf b;
        stirmls_buf_init(&b);
        stirmls_keypackage_write_message(&b, &kp);
        ck_assert_msg(b.len == n && memcmp(b.ptr, buf, n) == 0, "entry %zu re-encodes differently",
                      i);
        stirmls_buf_cleanup(&b);
        n_ok++;
        if (kp.cipher_suite == STIRMLS_MLS_SUITE_P256) {
            n_suite2++;
            rc = stirmls_keypackage_check_signatures(&kp, &d);
            ck_assert_msg(rc == STIRMLS_R_OK, "entry %zu: %s: %s", i, stirmls_reason_name(rc),
                          d.text);
            n_sig++;
        }
        free(buf);
    }
    ck_assert_uint_eq(n_ok, 300);
    ck_assert_uint_eq(n_suite2, 100);
    ck_assert_uint_eq(n_sig, 100);
    json_decref(root);
}
END_TEST

static stirmls_reason accept_any(void *ctx, const stirmls_credential *cred, stirmls_slice key,
                                 uint64_t at, uint64_t *not_after, stirmls_identities *ids,
                                 stirmls_detail *d)
{
    (void)ctx, (void)cred, (void)key, (void)at, (void)ids, (void)d;
    *not_after = UINT64_MAX;
    return STIRMLS_R_OK;
}

/* The 100 suite-2 KeyPackages pass every generic MLS check at their not_before: with the
 * default validators they stop at CRED_BASIC_NO_TN; with an accepting basic validator they pass,
 * and with capabilities_defaults_strict they stop at MLS_CAPABILITIES_DEFAULT_LISTED.
 * Suites 1 and 3 stop at MLS_CIPHER_SUITE. */
START_TEST(messages_full_verification)
{
    json_t *root = tl_mlswg_load("messages.json");
    stirmls_mls_options o;
    stirmls_mls_options_default(&o);
    stirmls_cred_validators dflt, acc;
    stirmls_cred_validators_default(&dflt);
    stirmls_cred_validators_default(&acc);
    acc.basic.validate = accept_any;
    size_t i, n2 = 0;
    json_t *v;
    json_array_foreach(root, i, v) {
        size_t n;
        uint8_t *buf = tl_json_hex(v, "mls_key_package", &n);
        stirmls_keypackage kp;
        ck_assert_int_eq(stirmls_keypackage_decode_message(buf, n, &o.codepoints, &kp, NULL),
                         STIRMLS_R_OK);
        stirmls_detail d;
        stirmls_detail_init(&d);
        stirmls_reason rc = stirmls_keypackage_verify(&kp, &o, &dflt, kp.leaf.not_before, NULL, &d);
        if (kp.cipher_suite != STIRMLS_MLS_SUITE_P256) {
            ck_assert_int_eq(rc, STIRMLS_R_MLS_CIPHER_SUITE);
        } else {
            n2++;
            ck_assert_msg(rc == STIRMLS_R_CRED_BASIC_NO_TN, "entry %zu: %s: %s", i,
                          stirmls_reason_name(rc), d.text);
            ck_assert_int_eq(stirmls_keypackage_verify(&kp, &o, &acc, kp.leaf.not_before, NULL,
                                                       NULL),
                             STIRMLS_R_OK);
            /* every one lists default extension and proposal types in its capabilities, which
             * RFC 9420 §7.2 forbids: why the verifier tolerates it by default */
            o.capabilities_defaults_strict = 1;
            ck_assert_int_eq(stirmls_keypackage_verify(&kp, &o, &acc, kp.leaf.not_before, NULL,
                                                       NULL),
                             STIRMLS_R_MLS_CAPABILITIES_DEFAULT_LISTED);
            o.capabilities_defaults_strict = 0;
        }
        free(buf);
    }
    ck_assert_uint_eq(n2, 100);
    json_decref(root);
}
END_TEST

Suite *mlsvec_suite(void);
Suite *mlsvec_suite(void)
{
    Suite *s = suite_create("mlsvec");
    TCase *tc = tcase_create("official");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, crypto_basics_sign_with_label);
    tcase_add_test(tc, crypto_basics_ref_hash);
    tcase_add_test(tc, deserialization_through_opaque);
    tcase_add_test(tc, messages_key_packages);
    tcase_add_test(tc, messages_full_verification);
    suite_add_tcase(s, tc);
    return s;
}
