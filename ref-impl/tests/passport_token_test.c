/* passport_token_test.c: the compact form (PPT-01) and the ES256 signature (PPT-14, PPT-16):
 * padding, '+' '/', DER inside a JWS, R/S range, high S, wrong key, the received bytes are what is
 * verified, and truncation / trailing-byte / garbage sweeps. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/passport_fixture.h"

/* P-256 group order n, big-endian */
static const uint8_t order_n[32] = {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
                                    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17,
                                    0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};

static void sub_from_n(const uint8_t s[32], uint8_t out[32])
{
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int v = order_n[i] - s[i] - borrow;
        borrow = v < 0;
        out[i] = (uint8_t)(v + (borrow ? 256 : 0));
    }
}

/* Sign the default header/claims and hand back the pieces (owned). */
static void parts(char **hdr, char **claims, uint8_t sig[64])
{
    *hdr = pf_fill(PF_H0);
    *claims = pf_fill(PF_C0);
    stirmls_buf in;
    stirmls_buf_init(&in);
    stirmls_b64url_encode((const uint8_t *)*hdr, strlen(*hdr), &in);
    stirmls_buf_put_u8(&in, '.');
    stirmls_b64url_encode((const uint8_t *)*claims, strlen(*claims), &in);
    stirmls_key *k = pf_signer();
    ck_assert_int_eq(stirmls_ecdsa_sign_raw(k, in.ptr, in.len, sig), STIRMLS_R_OK);
    stirmls_key_free(k);
    stirmls_buf_cleanup(&in);
}

static stirmls_reason verify_with_sig(const uint8_t *sig, size_t siglen)
{
    char *h, *c, *tok;
    uint8_t good[64];
    parts(&h, &c, good);
    tok = stirmls_passport_assemble(h, strlen(h), c, strlen(c), sig, siglen);
    stirmls_reason rc = pf_verify(tok, 0, PF_IAT, UINT64_MAX, NULL, NULL);
    free(h), free(c), free(tok);
    return rc;
}

START_TEST(signature_encodings)
{
    char *h, *c;
    uint8_t sig[64], hi[64], bad[64];
    parts(&h, &c, sig);
    ck_assert_int_eq(verify_with_sig(sig, 64), STIRMLS_R_OK);
    /* DER ECDSA-Sig-Value inside a JWS */
    uint8_t *der = NULL;
    size_t derlen = 0;
    ck_assert_int_eq(stirmls_ecdsa_raw_to_der(sig, &der, &derlen), STIRMLS_R_OK);
    ck_assert_int_eq(verify_with_sig(der, derlen), STIRMLS_R_PPT_SIG_LENGTH);
    free(der);
    ck_assert_int_eq(verify_with_sig(sig, 63), STIRMLS_R_PPT_SIG_LENGTH);
    /* high S: (r, n - s) is also a valid signature; neither spec forbids it (OQ-20) */
    memcpy(hi, sig, 32);
    sub_from_n(sig + 32, hi + 32);
    ck_assert(memcmp(hi + 32, sig + 32, 32) != 0);
    ck_assert_int_eq(verify_with_sig(hi, 64), STIRMLS_R_OK);
    /* S = 0, S = n, R = n */
    memcpy(bad, sig, 32);
    memset(bad + 32, 0, 32);
    ck_assert_int_eq(verify_with_sig(bad, 64), STIRMLS_R_PPT_SIG_RANGE);
    memcpy(bad + 32, order_n, 32);
    ck_assert_int_eq(verify_with_sig(bad, 64), STIRMLS_R_PPT_SIG_RANGE);
    memcpy(bad, order_n, 32);
    memcpy(bad + 32, sig + 32, 32);
    ck_assert_int_eq(verify_with_sig(bad, 64), STIRMLS_R_PPT_SIG_RANGE);
    /* one flipped bit */
    memcpy(bad, sig, 64);
    bad[40] ^= 0x01;
    ck_assert_int_eq(verify_with_sig(bad, 64), STIRMLS_R_PPT_SIG_INVALID);
    free(h), free(c);
}
END_TEST

START_TEST(signature_wrong_key_and_received_bytes)
{
    char *tok = pf_token(PF_H0, PF_C0);
    stirmls_ppt_policy pol;
    stirmls_passport *p = NULL;
    stirmls_ppt_policy_init(&pol);
    ck_assert_int_eq(stirmls_passport_parse(tok, strlen(tok), &pol, &p, NULL), STIRMLS_R_OK);
    stirmls_key *other = pf_mls_key();
    stirmls_detail d;
    stirmls_detail_init(&d);
    ck_assert_int_eq(stirmls_passport_check_signature(p, other, &d), STIRMLS_R_PPT_SIG_INVALID);
    ck_assert_int_eq(d.reason, STIRMLS_R_PPT_SIG_INVALID);
    stirmls_key_free(other);
    stirmls_passport_free(p);
    /* a lenient verifier accepts non-deterministic JSON because it checks the received bytes;
     * the deterministic re-serialization of the same claims does not carry that signature */
    const char *loose = "{\"orig\":{\"tn\":\"12155551212\"}, " PF_D "," PF_I "," PF_M "}";
    char *ltok = pf_token(PF_H0, loose);
    ck_assert_int_eq(pf_verify(ltok, PF_LENIENT, PF_IAT, UINT64_MAX, NULL, NULL), STIRMLS_R_OK);
    ck_assert_int_eq(pf_verify(ltok, 0, PF_IAT, UINT64_MAX, NULL, NULL), STIRMLS_R_JSON_NONCANONICAL);
    char *filled = pf_fill(loose), *canon = pf_fill(PF_C0), *h = pf_fill(PF_H0);
    stirmls_passport *lp = NULL;
    pol.lenient = 1;
    ck_assert_int_eq(stirmls_passport_parse(ltok, strlen(ltok), &pol, &lp, NULL), STIRMLS_R_OK);
    char *swapped = stirmls_passport_assemble(h, strlen(h), canon, strlen(canon), lp->sig, lp->sig_len);
    ck_assert_int_eq(pf_verify(swapped, PF_LENIENT, PF_IAT, UINT64_MAX, NULL, NULL), STIRMLS_R_PPT_SIG_INVALID);
    stirmls_passport_free(lp);
    free(filled), free(canon), free(h), free(swapped), free(ltok), free(tok);
}
END_TEST

/* ---- compact form ------------------------------------------------------------------------- */

enum edit { E_NONE, E_APPEND, E_PREPEND, E_SIG_FIRST, E_HDR_FIRST, E_DROP_CLAIMS, E_DROP_SIG,
            E_CLAIMS_FIRST };

struct form_case {
    const char *name;
    enum edit edit;
    const char *text;
    stirmls_reason want;
};

static const struct form_case form_cases[] = {
    {"as signed", E_NONE, "", STIRMLS_R_OK},
    {"padding on the signature", E_APPEND, "==", STIRMLS_R_B64URL_PADDING},
    {"one '=' on the signature", E_APPEND, "=", STIRMLS_R_B64URL_PADDING},
    {"'+' in the signature", E_SIG_FIRST, "+", STIRMLS_R_B64URL_INVALID},
    {"'/' in the signature", E_SIG_FIRST, "/", STIRMLS_R_B64URL_INVALID},
    {"'+' in the header", E_HDR_FIRST, "+", STIRMLS_R_B64URL_INVALID},
    {"'/' in the claims", E_CLAIMS_FIRST, "/", STIRMLS_R_B64URL_INVALID},
    {"space in the header", E_HDR_FIRST, " ", STIRMLS_R_B64URL_INVALID},
    {"trailing newline", E_APPEND, "\n", STIRMLS_R_B64URL_INVALID},
    {"leading space", E_PREPEND, " ", STIRMLS_R_B64URL_INVALID},
    {"fourth segment", E_APPEND, ".AAAA", STIRMLS_R_PPT_MALFORMED},
    {"trailing dot", E_APPEND, ".", STIRMLS_R_PPT_MALFORMED},
    {"leading dot", E_PREPEND, ".", STIRMLS_R_PPT_MALFORMED},
    {"detached claims", E_DROP_CLAIMS, "", STIRMLS_R_PPT_MALFORMED},
    {"no signature", E_DROP_SIG, "", STIRMLS_R_PPT_MALFORMED},
    {"one more signature byte", E_APPEND, "A", STIRMLS_R_PPT_SIG_LENGTH},
};

static char *apply_edit(const char *tok, const struct form_case *c)
{
    size_t n = strlen(tok), t = strlen(c->text);
    const char *d1 = strchr(tok, '.'), *d2 = strrchr(tok, '.');
    char *out = calloc(1, n + t + 2);
    ck_assert_ptr_nonnull(out);
    switch (c->edit) {
    case E_NONE:
        strcpy(out, tok);
        break;
    case E_APPEND:
        strcpy(out, tok), strcat(out, c->text);
        break;
    case E_PREPEND:
        strcpy(out, c->text), strcat(out, tok);
        break;
    case E_SIG_FIRST:
        strcpy(out, tok), out[d2 - tok + 1] = c->text[0];
        break;
    case E_CLAIMS_FIRST:
        strcpy(out, tok), out[d1 - tok + 1] = c->text[0];
        break;
    case E_HDR_FIRST:
        strcpy(out, tok), out[0] = c->text[0];
        break;
    case E_DROP_CLAIMS:
        memcpy(out, tok, (size_t)(d1 - tok) + 1), strcat(out, d2);
        break;
    case E_DROP_SIG:
        memcpy(out, tok, (size_t)(d2 - tok) + 1);
        break;
    }
    return out;
}

START_TEST(compact_form_table)
{
    const struct form_case *c = &form_cases[_i];
    char *tok = pf_token(PF_H0, PF_C0), *t = apply_edit(tok, c);
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason rc = pf_verify(t, 0, PF_IAT, UINT64_MAX, NULL, &d);
    ck_assert_msg(rc == c->want, "%s: got %s (%s)", c->name, stirmls_reason_name(rc), d.text);
    free(tok), free(t);
}
END_TEST

START_TEST(length_limit)
{
    size_t n = STIRMLS_PASSPORT_MAX_LEN + 1;
    char *big = malloc(n + 1);
    memset(big, 'A', n);
    big[n] = 0;
    stirmls_ppt_policy pol;
    stirmls_passport *p = NULL;
    stirmls_ppt_policy_init(&pol);
    ck_assert_int_eq(stirmls_passport_parse(big, n, &pol, &p, NULL), STIRMLS_R_LENGTH_LIMIT);
    free(big);
}
END_TEST

/* Every strict prefix fails: before the signature segment is complete with PPT_MALFORMED (fewer
 * than three non-empty segments); inside the signature with B64URL_INVALID (impossible length or
 * non-zero trailing bits) or PPT_SIG_LENGTH (fewer than 64 bytes). */
START_TEST(truncation_sweep)
{
    char *tok = pf_token(PF_H0, PF_C0);
    size_t n = strlen(tok), sig_at = (size_t)(strrchr(tok, '.') - tok) + 1;
    stirmls_ppt_policy pol;
    stirmls_ppt_policy_init(&pol);
    for (size_t i = 0; i < n; i++) {
        stirmls_passport *p = NULL;
        stirmls_reason rc = stirmls_passport_parse(tok, i, &pol, &p, NULL);
        if (rc == STIRMLS_R_OK) {
            stirmls_key *k = pf_signer();
            rc = stirmls_passport_check_signature(p, k, NULL);
            stirmls_key_free(k);
            stirmls_passport_free(p);
        }
        if (i <= sig_at)
            ck_assert_msg(rc == STIRMLS_R_PPT_MALFORMED, "prefix %zu: %s", i, stirmls_reason_name(rc));
        else
            ck_assert_msg(rc == STIRMLS_R_B64URL_INVALID || rc == STIRMLS_R_PPT_SIG_LENGTH,
                          "prefix %zu: %s", i, stirmls_reason_name(rc));
    }
    free(tok);
}
END_TEST

/* Replacing any one byte with a character outside the alphabet, or with another alphabet
 * character, never yields an accepted token. */
START_TEST(garbage_sweep)
{
    char *tok = pf_token(PF_H0, PF_C0);
    size_t n = strlen(tok);
    static const char junk[] = {'!', 'A', '_', '.', 0x7f};
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < sizeof junk; j++) {
            if (tok[i] == junk[j])
                continue;
            char save = tok[i];
            tok[i] = junk[j];
            stirmls_reason rc = pf_verify(tok, PF_LENIENT, PF_IAT, UINT64_MAX, NULL, NULL);
            ck_assert_msg(rc != STIRMLS_R_OK, "byte %zu -> 0x%02x accepted", i, (unsigned)junk[j]);
            tok[i] = save;
        }
    }
    free(tok);
}
END_TEST

Suite *passport_token_suite(void);
Suite *passport_token_suite(void)
{
    Suite *s = suite_create("passport_token");
    TCase *tc = tcase_create("signature");
    tcase_add_test(tc, signature_encodings);
    tcase_add_test(tc, signature_wrong_key_and_received_bytes);
    suite_add_tcase(s, tc);
    tc = tcase_create("compact");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, compact_form_table, 0, sizeof form_cases / sizeof form_cases[0]);
    tcase_add_test(tc, length_limit);
    tcase_add_test(tc, truncation_sweep);
    tcase_add_test(tc, garbage_sweep);
    suite_add_tcase(s, tc);
    return s;
}
