/* ossl_key.c: P-256 keys (derive, import, export) on OpenSSL 3. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include "ossl_internal.h"

struct stirmls_key {
    EVP_PKEY *pkey; /* a key made from a point alone gets it on first use (stirmls_key_evp) */
    int has_priv;
    uint8_t d[STIRMLS_P256_SCALAR_LEN];
    uint8_t point[STIRMLS_P256_POINT_LEN];
    atomic_int refs; /* shared across threads through the chain cache */
};

static EC_GROUP *p256_group;
static pthread_once_t p256_once = PTHREAD_ONCE_INIT;

static void p256_init(void)
{
    p256_group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
}

const EC_GROUP *stirmls_ossl_p256(void)
{
    pthread_once(&p256_once, p256_init);
    return p256_group;
}

void stirmls_key_free(stirmls_key *k)
{
    if (k == NULL || atomic_fetch_sub(&k->refs, 1) > 1)
        return;
    EVP_PKEY_free(k->pkey);
    OPENSSL_cleanse(k->d, sizeof k->d);
    free(k);
}

stirmls_key *stirmls_key_up_ref(stirmls_key *k)
{
    if (k != NULL)
        atomic_fetch_add(&k->refs, 1);
    return k;
}

int stirmls_key_has_private(const stirmls_key *k)
{
    return k->has_priv;
}

void stirmls_key_point(const stirmls_key *k, uint8_t out[STIRMLS_P256_POINT_LEN])
{
    memcpy(out, k->point, STIRMLS_P256_POINT_LEN);
}

static stirmls_reason build_pkey(stirmls_key *k);

/* Verification needs only the point (ossl_ecdsa.c); the EVP_PKEY of a public key made from a
 * point (a provider call, about a fifth of an ECDSA verification) is built when first asked for.
 * NULL when it cannot be built (allocation failure). */
void *stirmls_key_evp(const stirmls_key *k)
{
    if (k->pkey == NULL)
        (void)build_pkey((stirmls_key *)(uintptr_t)k);
    return k->pkey;
}

int stirmls_ossl_key_scalar(const stirmls_key *k, uint8_t d[STIRMLS_P256_SCALAR_LEN])
{
    if (!k->has_priv)
        return 0;
    memcpy(d, k->d, STIRMLS_P256_SCALAR_LEN);
    return 1;
}

/* Build the EVP_PKEY from the point (and scalar when has_priv). */
static stirmls_reason build_pkey(stirmls_key *k)
{
    stirmls_reason rc = STIRMLS_R_INTERNAL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    BIGNUM *priv = NULL;
    if (bld == NULL)
        goto out;
    if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, k->point, sizeof k->point))
        goto out;
    if (k->has_priv) {
        priv = BN_bin2bn(k->d, sizeof k->d, NULL);
        if (priv == NULL || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv))
            goto out;
    }
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &k->pkey, k->has_priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                          params) <= 0)
        goto out;
    rc = STIRMLS_R_OK;
out:
    BN_clear_free(priv);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    return rc;
}

static stirmls_key *key_new(void)
{
    stirmls_key *k = calloc(1, sizeof *k);
    if (k != NULL)
        atomic_init(&k->refs, 1);
    return k;
}

stirmls_reason stirmls_key_from_scalar(const uint8_t d[32], stirmls_key **out)
{
    stirmls_reason rc = STIRMLS_R_INTERNAL;
    const EC_GROUP *g = stirmls_ossl_p256();
    BN_CTX *bn = BN_CTX_new();
    BIGNUM *x = BN_bin2bn(d, 32, NULL);
    EC_POINT *p = g ? EC_POINT_new(g) : NULL;
    stirmls_key *k = key_new();
    if (bn == NULL || x == NULL || p == NULL || k == NULL)
        goto out;
    if (BN_is_zero(x) || BN_cmp(x, EC_GROUP_get0_order(g)) >= 0) {
        rc = STIRMLS_R_USAGE;
        goto out;
    }
    if (!EC_POINT_mul(g, p, x, NULL, NULL, bn) ||
        EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, k->point, sizeof k->point, bn) !=
            sizeof k->point)
        goto out;
    memcpy(k->d, d, 32);
    k->has_priv = 1;
    rc = build_pkey(k);
    if (rc == STIRMLS_R_OK) {
        *out = k;
        k = NULL;
    }
out:
    stirmls_key_free(k);
    EC_POINT_free(p);
    BN_clear_free(x);
    BN_CTX_free(bn);
    return rc;
}

stirmls_reason stirmls_ossl_derive(const uint8_t *seed, size_t seedlen, const char *domain, const char *name,
                                   const EVP_MD *md, stirmls_ossl_try_scalar try_scalar, void *ctx)
{
    size_t domainlen = strlen(domain) + 1, namelen = strlen(name);
    size_t msglen = domainlen + namelen + 2; /* domain NUL name NUL counter */
    uint8_t *msg = malloc(msglen);
    if (msg == NULL)
        return STIRMLS_R_INTERNAL;
    memcpy(msg, domain, domainlen);
    memcpy(msg + domainlen, name, namelen);
    msg[domainlen + namelen] = 0;
    stirmls_reason rc = STIRMLS_R_INTERNAL;
    for (unsigned counter = 0; counter < 256; counter++) {
        uint8_t d[EVP_MAX_MD_SIZE];
        unsigned int dlen = 0;
        msg[msglen - 1] = (uint8_t)counter;
        if (HMAC(md, seed, (int)seedlen, msg, msglen, d, &dlen) == NULL)
            break;
        rc = try_scalar(d, dlen, ctx);
        OPENSSL_cleanse(d, sizeof d);
        if (rc != STIRMLS_R_USAGE) /* USAGE: scalar out of range, try the next counter */
            break;
    }
    free(msg);
    return rc;
}

static stirmls_reason p256_from_digest(const uint8_t *d, size_t len, void *out)
{
    (void)len; /* 32, HMAC-SHA256 */
    return stirmls_key_from_scalar(d, out);
}

stirmls_reason stirmls_key_derive(const uint8_t *seed, size_t seedlen, const char *name,
                                  stirmls_key **out)
{
    return stirmls_ossl_derive(seed, seedlen, "stirmls-key-v1", name, EVP_sha256(), p256_from_digest, out);
}

int stirmls_ossl_oom(void)
{
    unsigned long e;
    while ((e = ERR_get_error()) != 0)
        if (ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE)
            return 1;
    return 0;
}

stirmls_reason stirmls_key_from_point(const uint8_t *pt, size_t len, stirmls_key **out)
{
    if (len != STIRMLS_P256_POINT_LEN || pt[0] != 0x04)
        return STIRMLS_R_MLS_KEY_FORMAT;
    stirmls_reason rc = STIRMLS_R_MLS_KEY_FORMAT;
    const EC_GROUP *g = stirmls_ossl_p256();
    EC_POINT *p = g ? EC_POINT_new(g) : NULL;
    stirmls_key *k = key_new();
    if (p == NULL || k == NULL) {
        rc = STIRMLS_R_INTERNAL;
        goto out;
    }
    ERR_clear_error();
    /* OpenSSL's oct2point of an uncompressed point sets it through
     * EC_POINT_set_affine_coordinates, which rejects a point off the curve: no second check */
    if (!EC_POINT_oct2point(g, p, pt, len, NULL)) {
        /* not on the curve, unless OpenSSL ran out of memory deciding it */
        rc = stirmls_ossl_oom() ? STIRMLS_R_INTERNAL : STIRMLS_R_MLS_KEY_FORMAT;
        goto out;
    }
    memcpy(k->point, pt, len);
    rc = STIRMLS_R_OK; /* the EVP_PKEY is built on first use (stirmls_key_evp) */
    *out = k;
    k = NULL;
out:
    stirmls_key_free(k);
    EC_POINT_free(p);
    return rc;
}

stirmls_reason stirmls_key_from_evp(void *evp_pkey, stirmls_key **out)
{
    EVP_PKEY *pkey = evp_pkey;
    char group[64];
    size_t glen = 0;
    if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC ||
        !EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                        &glen) ||
        strcmp(group, "prime256v1") != 0)
        return STIRMLS_R_CERT_KEY_TYPE;
    stirmls_key *k = key_new();
    if (k == NULL)
        return STIRMLS_R_INTERNAL;
    size_t plen = 0;
    BIGNUM *priv = NULL;
    /* the point in uncompressed form, whatever form the key was stored in */
    if (EVP_PKEY_set_utf8_string_param(pkey, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                       "uncompressed") <= 0 ||
        !EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, k->point,
                                         sizeof k->point, &plen) ||
        plen != sizeof k->point) {
        stirmls_key_free(k);
        return STIRMLS_R_CERT_KEY_TYPE;
    }
    if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &priv) && priv != NULL) {
        k->has_priv = BN_bn2binpad(priv, k->d, sizeof k->d) == (int)sizeof k->d;
        BN_clear_free(priv);
    }
    if (!EVP_PKEY_up_ref(pkey)) {
        stirmls_key_free(k);
        return STIRMLS_R_INTERNAL;
    }
    k->pkey = pkey;
    *out = k;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_key_from_pem(const char *pem, size_t len, stirmls_key **out)
{
    if (len > INT32_MAX)
        return STIRMLS_R_USAGE;
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    if (bio == NULL)
        return STIRMLS_R_INTERNAL;
    EVP_PKEY *pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    if (pkey == NULL) {
        (void)BIO_reset(bio);
        pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    }
    BIO_free(bio);
    if (pkey == NULL)
        return STIRMLS_R_PEM_INVALID;
    stirmls_reason rc = stirmls_key_from_evp(pkey, out);
    EVP_PKEY_free(pkey);
    return rc;
}

static char *bio_to_string(BIO *bio)
{
    char *data = NULL;
    long n = BIO_get_mem_data(bio, &data);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s != NULL) {
        memcpy(s, data, (size_t)n);
        s[n] = 0;
    }
    return s;
}

char *stirmls_key_private_pem(const stirmls_key *k)
{
    if (!k->has_priv)
        return NULL;
    BIO *bio = BIO_new(BIO_s_mem());
    char *s = NULL;
    if (bio != NULL && PEM_write_bio_PrivateKey(bio, stirmls_key_evp(k), NULL, NULL, 0, NULL, NULL))
        s = bio_to_string(bio);
    BIO_free(bio);
    return s;
}

char *stirmls_key_public_pem(const stirmls_key *k)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *s = NULL;
    if (bio != NULL && stirmls_key_evp(k) != NULL && PEM_write_bio_PUBKEY(bio, stirmls_key_evp(k)))
        s = bio_to_string(bio);
    BIO_free(bio);
    return s;
}

stirmls_reason stirmls_sha256_r(const void *data, size_t len, uint8_t out[STIRMLS_SHA256_LEN])
{
    unsigned int n = 0;
    return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) == 1 && n == STIRMLS_SHA256_LEN
               ? STIRMLS_R_OK
               : STIRMLS_R_INTERNAL;
}

void stirmls_sha256(const void *data, size_t len, uint8_t out[STIRMLS_SHA256_LEN])
{
    /* EVP_Digest allocates: on failure the output was left uninitialised (found by the
     * allocation-failure sweep); zero it so nothing depends on stack garbage */
    if (stirmls_sha256_r(data, len, out) != STIRMLS_R_OK)
        memset(out, 0, STIRMLS_SHA256_LEN);
}

const char *stirmls_crypto_version(void)
{
    return OpenSSL_version(OPENSSL_VERSION);
}
