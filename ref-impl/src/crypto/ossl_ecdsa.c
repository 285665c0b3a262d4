/*
 * ossl_ecdsa.c: ECDSA P-256/SHA-256 signing with deterministic nonces (RFC 6979 §3.2, HMAC-SHA256)
 * and verification in both encodings: raw R||S (JWS ES256, RFC 7518 §3.4) and DER (MLS, RFC 9420 §5.1.2).
 *
 * OpenSSL 3.0 has no deterministic ECDSA, so the signature equation is computed here with BIGNUM
 * and EC_POINT arithmetic. Verification goes through EVP_DigestVerify.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "ossl_internal.h"
#include "stirmls/mutant.h"

#define QLEN 32

static int hmac(const uint8_t K[QLEN], const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
                const uint8_t *c, size_t clen, const uint8_t *d, size_t dlen, uint8_t out[QLEN])
{
    uint8_t msg[QLEN + 1 + QLEN + QLEN];
    size_t n = 0;
    memcpy(msg + n, a, alen), n += alen;
    if (blen)
        memcpy(msg + n, b, blen), n += blen;
    if (clen)
        memcpy(msg + n, c, clen), n += clen;
    if (dlen)
        memcpy(msg + n, d, dlen), n += dlen;
    unsigned int olen = 0;
    return HMAC(EVP_sha256(), K, QLEN, msg, n, out, &olen) != NULL && olen == QLEN;
}

stirmls_reason stirmls_ecdsa_sign_digest(const stirmls_key *key, const uint8_t h1[QLEN],
                                         uint8_t sig[STIRMLS_ES256_SIG_LEN])
{
    stirmls_reason rc = STIRMLS_R_INTERNAL;
    const EC_GROUP *g = stirmls_ossl_p256();
    const BIGNUM *q = g ? EC_GROUP_get0_order(g) : NULL;
    uint8_t x[QLEN], h1red[QLEN], V[QLEN], K[QLEN];
    static const uint8_t zero = 0x00, one = 0x01;
    BN_CTX *bn = BN_CTX_new();
    BIGNUM *h = BN_bin2bn(h1, QLEN, NULL), *bx = NULL, *k = NULL, *r = NULL, *s = NULL,
           *kinv = NULL, *t = NULL;
    EC_POINT *R = g ? EC_POINT_new(g) : NULL;
    if (q == NULL || bn == NULL || h == NULL || R == NULL || !stirmls_ossl_key_scalar(key, x))
        goto out;
    bx = BN_bin2bn(x, QLEN, NULL);
    k = BN_new(), r = BN_new(), s = BN_new(), kinv = BN_new(), t = BN_new();
    if (bx == NULL || k == NULL || r == NULL || s == NULL || kinv == NULL || t == NULL)
        goto out;
    /* bits2octets(h1) = int2octets(bits2int(h1) mod q); qlen = hlen = 256, so bits2int is identity */
    if (!BN_nnmod(t, h, q, bn) || BN_bn2binpad(t, h1red, QLEN) != QLEN)
        goto out;
    memset(V, 0x01, QLEN);
    memset(K, 0x00, QLEN);
    if (!hmac(K, V, QLEN, &zero, 1, x, QLEN, h1red, QLEN, K) || !hmac(K, V, QLEN, 0, 0, 0, 0, 0, 0, V) ||
        !hmac(K, V, QLEN, &one, 1, x, QLEN, h1red, QLEN, K) || !hmac(K, V, QLEN, 0, 0, 0, 0, 0, 0, V))
        goto out;
    for (int attempt = 0; attempt < 64; attempt++) {
        if (!hmac(K, V, QLEN, 0, 0, 0, 0, 0, 0, V) || !BN_bin2bn(V, QLEN, k))
            goto out;
        if (!BN_is_zero(k) && BN_cmp(k, q) < 0) {
            /* r = (kG).x mod q; s = k^-1 (h + r x) mod q */
            if (!EC_POINT_mul(g, R, k, NULL, NULL, bn) ||
                !EC_POINT_get_affine_coordinates(g, R, t, NULL, bn) || !BN_nnmod(r, t, q, bn) ||
                !BN_mod_inverse(kinv, k, q, bn) || !BN_mod_mul(t, r, bx, q, bn) ||
                !BN_mod_add(t, t, h, q, bn) || !BN_mod_mul(s, kinv, t, q, bn))
                goto out;
            if (!BN_is_zero(r) && !BN_is_zero(s)) {
                if (BN_bn2binpad(r, sig, QLEN) != QLEN || BN_bn2binpad(s, sig + QLEN, QLEN) != QLEN)
                    goto out;
                rc = STIRMLS_R_OK;
                goto out;
            }
        }
        if (!hmac(K, V, QLEN, &zero, 1, 0, 0, 0, 0, K) || !hmac(K, V, QLEN, 0, 0, 0, 0, 0, 0, V))
            goto out;
    }
out:
    OPENSSL_cleanse(x, sizeof x);
    OPENSSL_cleanse(K, sizeof K);
    OPENSSL_cleanse(V, sizeof V);
    BN_clear_free(bx);
    BN_clear_free(k);
    BN_clear_free(kinv);
    BN_free(h);
    BN_free(r);
    BN_free(s);
    BN_free(t);
    EC_POINT_free(R);
    BN_CTX_free(bn);
    return rc;
}

stirmls_reason stirmls_ecdsa_sign_raw(const stirmls_key *k, const void *msg, size_t len,
                                      uint8_t sig[STIRMLS_ES256_SIG_LEN])
{
    uint8_t digest[STIRMLS_SHA256_LEN];
    if (stirmls_sha256_r(msg, len, digest) != STIRMLS_R_OK)
        return STIRMLS_R_INTERNAL;
    return stirmls_ecdsa_sign_digest(k, digest, sig);
}

stirmls_reason stirmls_ecdsa_raw_to_der(const uint8_t raw[STIRMLS_ES256_SIG_LEN], uint8_t **der,
                                        size_t *derlen)
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, QLEN, NULL), *s = BN_bin2bn(raw + QLEN, QLEN, NULL);
    if (es == NULL || r == NULL || s == NULL || !ECDSA_SIG_set0(es, r, s)) {
        ECDSA_SIG_free(es);
        BN_free(r);
        BN_free(s);
        return STIRMLS_R_INTERNAL;
    }
    unsigned char *p = NULL;
    int n = i2d_ECDSA_SIG(es, &p);
    ECDSA_SIG_free(es);
    if (n <= 0)
        return STIRMLS_R_INTERNAL;
    uint8_t *copy = malloc((size_t)n);
    if (copy != NULL)
        memcpy(copy, p, (size_t)n);
    OPENSSL_free(p);
    if (copy == NULL)
        return STIRMLS_R_INTERNAL;
    *der = copy;
    *derlen = (size_t)n;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_ecdsa_der_to_raw(const uint8_t *der, size_t derlen,
                                        uint8_t raw[STIRMLS_ES256_SIG_LEN])
{
    const unsigned char *p = der;
    ERR_clear_error();
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)derlen);
    stirmls_reason rc = STIRMLS_R_MLS_SIGNATURE_FORMAT;
    if (es == NULL) /* bad DER, unless OpenSSL ran out of memory reading it */
        return stirmls_ossl_oom() ? STIRMLS_R_INTERNAL : rc;
    /* canonical DER only: re-encoding must give the same bytes */
    unsigned char *re = NULL;
    int n = i2d_ECDSA_SIG(es, &re);
    if (n <= 0)
        rc = STIRMLS_R_INTERNAL;
    else if ((size_t)(p - der) == derlen && n > 0 && (size_t)n == derlen && memcmp(re, der, derlen) == 0 &&
        BN_num_bytes(ECDSA_SIG_get0_r(es)) <= QLEN && BN_num_bytes(ECDSA_SIG_get0_s(es)) <= QLEN &&
        BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, QLEN) == QLEN &&
        BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + QLEN, QLEN) == QLEN)
        rc = STIRMLS_R_OK;
    OPENSSL_free(re);
    ECDSA_SIG_free(es);
    return rc;
}

stirmls_reason stirmls_ecdsa_sign_der(const stirmls_key *k, const void *msg, size_t len,
                                      uint8_t **sig, size_t *siglen)
{
    uint8_t raw[STIRMLS_ES256_SIG_LEN];
    stirmls_reason rc = stirmls_ecdsa_sign_raw(k, msg, len, raw);
    if (rc != STIRMLS_R_OK)
        return rc;
    return stirmls_ecdsa_raw_to_der(raw, sig, siglen);
}

/* ECDSA verification (SEC 1 §4.1.4) written out, as signing is: every OpenSSL call below fails
 * only on an error (allocation), never on a mismatch, so "does not verify" (0) and "could not
 * tell" (-1) stay apart. EVP_DigestVerify returns 0 for both when memory runs out (found by the
 * allocation-failure sweep). */
static int verify_rs(const stirmls_key *key, const void *msg, size_t len, const BIGNUM *r,
                     const BIGNUM *s)
{
    const EC_GROUP *g = stirmls_ossl_p256();
    const BIGNUM *q = g ? EC_GROUP_get0_order(g) : NULL;
    uint8_t pt[STIRMLS_P256_POINT_LEN], h1[QLEN];
    int ret = -1;
    BN_CTX *bn = BN_CTX_new();
    BIGNUM *e = NULL, *w = BN_new(), *u1 = BN_new(), *u2 = BN_new(), *x = BN_new();
    EC_POINT *Q = g ? EC_POINT_new(g) : NULL, *R = g ? EC_POINT_new(g) : NULL;
    stirmls_key_point(key, pt);
    if (q == NULL || bn == NULL || w == NULL || u1 == NULL || u2 == NULL || x == NULL || Q == NULL ||
        R == NULL || stirmls_sha256_r(msg, len, h1) != STIRMLS_R_OK ||
        (e = BN_bin2bn(h1, QLEN, NULL)) == NULL)
        goto out;
    if (BN_is_zero(r) || BN_is_zero(s) || BN_is_negative(r) || BN_is_negative(s) ||
        BN_cmp(r, q) >= 0 || BN_cmp(s, q) >= 0) {
        ret = 0;
        goto out;
    }
    /* w = s^-1, u1 = e w, u2 = r w (mod q); R = u1 G + u2 Q; valid iff R != O and R.x = r (mod q) */
    if (!EC_POINT_oct2point(g, Q, pt, sizeof pt, bn) || BN_mod_inverse(w, s, q, bn) == NULL ||
        !BN_mod_mul(u1, e, w, q, bn) || !BN_mod_mul(u2, r, w, q, bn) ||
        !EC_POINT_mul(g, R, u1, Q, u2, bn))
        goto out;
    if (EC_POINT_is_at_infinity(g, R)) {
        ret = 0;
        goto out;
    }
    if (!EC_POINT_get_affine_coordinates(g, R, x, NULL, bn) || !BN_nnmod(x, x, q, bn))
        goto out;
    ret = BN_cmp(x, r) == 0;
out:
    BN_free(e);
    BN_free(w);
    BN_free(u1);
    BN_free(u2);
    BN_free(x);
    EC_POINT_free(Q);
    EC_POINT_free(R);
    BN_CTX_free(bn);
    return ret;
}

stirmls_reason stirmls_ecdsa_verify_der(const stirmls_key *k, const void *msg, size_t len,
                                        const uint8_t *sig, size_t siglen)
{
    uint8_t raw[STIRMLS_ES256_SIG_LEN];
    stirmls_reason rc = stirmls_ecdsa_der_to_raw(sig, siglen, raw);
    if (rc != STIRMLS_R_OK)
        return rc;
    BIGNUM *r = BN_bin2bn(raw, QLEN, NULL), *s = BN_bin2bn(raw + QLEN, QLEN, NULL);
    int v = r != NULL && s != NULL ? verify_rs(k, msg, len, r, s) : -1;
    BN_free(r);
    BN_free(s);
    return v < 0 ? STIRMLS_R_INTERNAL : v ? STIRMLS_R_OK : STIRMLS_R_MLS_LEAF_SIGNATURE;
}

stirmls_reason stirmls_ecdsa_verify_raw(const stirmls_key *k, const void *msg, size_t len,
                                        const uint8_t *sig, size_t siglen)
{
    if (siglen != STIRMLS_ES256_SIG_LEN)
        return STIRMLS_R_PPT_SIG_LENGTH;
    const EC_GROUP *g = stirmls_ossl_p256();
    BIGNUM *r = BN_bin2bn(sig, QLEN, NULL), *s = BN_bin2bn(sig + QLEN, QLEN, NULL);
    stirmls_reason rc = STIRMLS_R_INTERNAL;
    if (g == NULL || r == NULL || s == NULL)
        goto out;
    const BIGNUM *q = EC_GROUP_get0_order(g);
    if (BN_is_zero(r) || BN_is_zero(s) || BN_cmp(r, q) >= 0 || BN_cmp(s, q) >= 0) {
        rc = STIRMLS_R_PPT_SIG_RANGE;
        goto out;
    }
    int v = verify_rs(k, msg, len, r, s);
#if STIRMLS_MUTANT_ID == 30 /* mutant 30: skip the PASSporT signature check */
    rc = v < 0 ? STIRMLS_R_INTERNAL : STIRMLS_R_OK;
#else
    rc = v < 0 ? STIRMLS_R_INTERNAL : v ? STIRMLS_R_OK : STIRMLS_R_PPT_SIG_INVALID;
#endif
out:
    BN_free(r);
    BN_free(s);
    return rc;
}
