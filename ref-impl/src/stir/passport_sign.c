/* passport_sign.c: ES256 signing (deterministic JSON, RFC 6979 nonces) and verification over the
 * received signing input (PPT-14, PPT-16), and the verify pipeline. */
#include <stdlib.h>
#include <string.h>
#include "stirmls/b64url.h"
#include "stirmls/mky.h"
#include "passport_internal.h"

char *stirmls_passport_assemble(const void *header, size_t hlen, const void *claims, size_t clen,
                                const uint8_t *sig, size_t siglen)
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_b64url_encode(header, hlen, &b);
    stirmls_buf_put_u8(&b, '.');
    stirmls_b64url_encode(claims, clen, &b);
    stirmls_buf_put_u8(&b, '.');
    stirmls_b64url_encode(sig, siglen, &b);
    if (stirmls_buf_status(&b) != STIRMLS_R_OK) {
        stirmls_buf_cleanup(&b);
        return NULL;
    }
    size_t n = 0;
    return (char *)stirmls_buf_take(&b, &n);
}

stirmls_reason stirmls_passport_sign_bytes(const stirmls_key *k, const void *header, size_t hlen,
                                           const void *claims, size_t clen, char **token)
{
    stirmls_buf in;
    uint8_t sig[STIRMLS_ES256_SIG_LEN];
    stirmls_buf_init(&in);
    stirmls_b64url_encode(header, hlen, &in);
    stirmls_buf_put_u8(&in, '.');
    stirmls_b64url_encode(claims, clen, &in);
    stirmls_reason rc = stirmls_buf_status(&in);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_ecdsa_sign_raw(k, in.ptr, in.len, sig);
    stirmls_buf_cleanup(&in);
    if (rc != STIRMLS_R_OK)
        return rc;
    *token = stirmls_passport_assemble(header, hlen, claims, clen, sig, sizeof sig);
    return *token != NULL ? STIRMLS_R_OK : STIRMLS_R_INTERNAL;
}

static stirmls_reason build_header(const char *x5u, const char *ppt, stirmls_buf *out)
{
    stirmls_reason rc = STIRMLS_R_OK;
    stirmls_json *h = stirmls_json_new_object();
    if (h == NULL)
        return STIRMLS_R_INTERNAL;
    STIRMLS_TRY(stirmls_json_set_string(h, "alg", "ES256"));
    STIRMLS_TRY(stirmls_json_set_string(h, "typ", "passport"));
    if (ppt != NULL)
        STIRMLS_TRY(stirmls_json_set_string(h, "ppt", ppt));
    if (x5u != NULL)
        STIRMLS_TRY(stirmls_json_set_string(h, "x5u", x5u));
    rc = stirmls_json_serialize(h, out);
out:
    stirmls_json_free(h);
    return rc;
}

stirmls_reason stirmls_passport_sign(const stirmls_key *k, const char *x5u, const char *ppt,
                                     const char *claims_json, size_t claims_len, char **token,
                                     stirmls_detail *d)
{
    stirmls_reason rc = STIRMLS_R_OK;
    stirmls_json *c = NULL;
    stirmls_buf hb, cb;
    stirmls_buf_init(&hb);
    stirmls_buf_init(&cb);
    STIRMLS_TRY(stirmls_json_parse(claims_json, claims_len, &c, d));
    if (stirmls_json_typeof(c) != STIRMLS_JSON_OBJECT) {
        rc = stirmls_fail(d, STIRMLS_R_PPT_CLAIMS_NOT_OBJECT, "claims are not a JSON object");
        goto out;
    }
    rc = build_header(x5u, ppt, &hb);
    if (rc != STIRMLS_R_OK) {
        rc = stirmls_fail(d, rc, "header (x5u or ppt not UTF-8?)");
        goto out;
    }
    STIRMLS_TRY(stirmls_json_serialize(c, &cb));
    rc = stirmls_passport_sign_bytes(k, hb.ptr, hb.len, cb.ptr, cb.len, token);
    if (rc != STIRMLS_R_OK)
        stirmls_fail(d, rc, "signing failed");
out:
    stirmls_json_free(c);
    stirmls_buf_cleanup(&hb);
    stirmls_buf_cleanup(&cb);
    return rc;
}

stirmls_reason stirmls_passport_check_signature(const stirmls_passport *p, const stirmls_key *signer,
                                                stirmls_detail *d)
{
    stirmls_reason rc = stirmls_ecdsa_verify_raw(signer, p->token, p->signing_input_len, p->sig,
                                                 p->sig_len);
    if (rc == STIRMLS_R_OK)
        return rc;
    return stirmls_fail_at(d, rc, p->signing_input_len + 1, "ES256 signature (%zu bytes): %s",
                           p->sig_len, stirmls_reason_text(rc));
}

stirmls_reason stirmls_passport_verify(const stirmls_passport *p, const stirmls_key *signer,
                                       uint64_t signer_not_after, const stirmls_ppt_policy *pol,
                                       uint64_t at, const uint8_t *sigkey, size_t sigkey_len,
                                       stirmls_ppt_result *res, stirmls_detail *d)
{
    stirmls_reason rc = STIRMLS_R_OK;
    stirmls_ppt_result r;
    if (signer == NULL || (sigkey == NULL && pol->profile == STIRMLS_PPT_PROFILE_MLS))
        return stirmls_fail(d, STIRMLS_R_USAGE, "signer key and (MLS) signature key required");
    STIRMLS_TRY(stirmls_passport_check_time(p, pol, at, signer_not_after, &r, d));
    STIRMLS_TRY(stirmls_passport_check_signature(p, signer, d));
    if (sigkey != NULL)
        STIRMLS_TRY(stirmls_mky_check(p->mky, sigkey, sigkey_len, pol->lenient, d));
    if (res != NULL)
        *res = r;
out:
    return rc;
}
