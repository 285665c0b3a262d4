/*
 * crypto.h: P-256 keys, SHA-256 and ECDSA, behind opaque types.
 * src/crypto/ is the only place that includes OpenSSL headers; the domain layers (stir/, mls/)
 * call these functions.
 *
 * Signing is deterministic (RFC 6979, HMAC-SHA256 nonces), so generated vectors are byte-stable.
 */
#ifndef STIRMLS_CRYPTO_H
#define STIRMLS_CRYPTO_H

#include "stirmls/base.h"

#define STIRMLS_P256_POINT_LEN 65 /* 0x04 || X || Y */
#define STIRMLS_P256_SCALAR_LEN 32
#define STIRMLS_ES256_SIG_LEN 64 /* R || S */
#define STIRMLS_SHA256_LEN 32

typedef struct stirmls_key stirmls_key; /* opaque; owned; freed with stirmls_key_free */

void stirmls_key_free(stirmls_key *k);
stirmls_key *stirmls_key_up_ref(stirmls_key *k); /* returns k with one more reference */

/* A P-256 key derived from (seed, name): the scalar is HMAC-SHA256(seed, "stirmls-key-v1" 0x00 name
 * 0x00 counter) for the first counter giving 1 <= d < n. Same inputs, same key, on any machine. */
STIRMLS_MUST_USE stirmls_reason stirmls_key_derive(const uint8_t *seed, size_t seedlen,
                                                   const char *name, stirmls_key **out);
/* A P-256 private key from a 32-byte big-endian scalar. */
STIRMLS_MUST_USE stirmls_reason stirmls_key_from_scalar(const uint8_t d[32], stirmls_key **out);
/* A public-only key from a 65-byte uncompressed point; MLS_KEY_FORMAT unless exactly that and on the curve. */
STIRMLS_MUST_USE stirmls_reason stirmls_key_from_point(const uint8_t *pt, size_t len, stirmls_key **out);
/* Read a PEM private key (PKCS#8 or SEC1) or public key (SPKI). USAGE/PEM_INVALID on failure;
 * CERT_KEY_TYPE when the key is not P-256. */
STIRMLS_MUST_USE stirmls_reason stirmls_key_from_pem(const char *pem, size_t len, stirmls_key **out);
/* PEM of the private key (PKCS#8), owned, free() it. NULL for a public-only key. */
char *stirmls_key_private_pem(const stirmls_key *k);
/* PEM of the public key (SPKI), owned, free() it. */
char *stirmls_key_public_pem(const stirmls_key *k);
int stirmls_key_has_private(const stirmls_key *k);
/* The 65-byte uncompressed point. */
void stirmls_key_point(const stirmls_key *k, uint8_t out[STIRMLS_P256_POINT_LEN]);
/* The underlying EVP_PKEY*, for other files of src/crypto/ only (borrowed). */
void *stirmls_key_evp(const stirmls_key *k);
/* Wrap an EVP_PKEY* (takes one reference of it on success). CERT_KEY_TYPE if not P-256. */
STIRMLS_MUST_USE stirmls_reason stirmls_key_from_evp(void *evp_pkey, stirmls_key **out);

/* SHA-256; INTERNAL when OpenSSL cannot allocate its context. The void form zero-fills out on
 * that failure: use the _r form wherever the digest is signed, compared or published. */
STIRMLS_MUST_USE stirmls_reason stirmls_sha256_r(const void *data, size_t len,
                                                 uint8_t out[STIRMLS_SHA256_LEN]);
void stirmls_sha256(const void *data, size_t len, uint8_t out[STIRMLS_SHA256_LEN]);

/* ECDSA P-256 with SHA-256 over msg. Deterministic (RFC 6979). */
STIRMLS_MUST_USE stirmls_reason stirmls_ecdsa_sign_raw(const stirmls_key *k, const void *msg,
                                                       size_t len, uint8_t sig[STIRMLS_ES256_SIG_LEN]);
/* DER ECDSA-Sig-Value, written to an owned buffer (free()). */
STIRMLS_MUST_USE stirmls_reason stirmls_ecdsa_sign_der(const stirmls_key *k, const void *msg,
                                                       size_t len, uint8_t **sig, size_t *siglen);
/* Sign a precomputed SHA-256 digest (raw R||S). */
STIRMLS_MUST_USE stirmls_reason stirmls_ecdsa_sign_digest(const stirmls_key *k,
                                                          const uint8_t digest[STIRMLS_SHA256_LEN],
                                                          uint8_t sig[STIRMLS_ES256_SIG_LEN]);
/* Verify R||S (JWS ES256). PPT_SIG_LENGTH if siglen != 64; PPT_SIG_RANGE if R or S is 0 or >= n;
 * PPT_SIG_INVALID if it does not verify. */
STIRMLS_MUST_USE stirmls_reason stirmls_ecdsa_verify_raw(const stirmls_key *k, const void *msg,
                                                         size_t len, const uint8_t *sig, size_t siglen);
/* Verify DER (MLS). MLS_SIGNATURE_FORMAT if not canonical DER; MLS_LEAF_SIGNATURE if it does not verify
 * (callers map it to the signature they were checking). */
STIRMLS_MUST_USE stirmls_reason stirmls_ecdsa_verify_der(const stirmls_key *k, const void *msg,
                                                         size_t len, const uint8_t *sig, size_t siglen);
/* Convert between R||S and DER. */
STIRMLS_MUST_USE stirmls_reason stirmls_ecdsa_raw_to_der(const uint8_t raw[STIRMLS_ES256_SIG_LEN],
                                                         uint8_t **der, size_t *derlen);
STIRMLS_MUST_USE stirmls_reason stirmls_ecdsa_der_to_raw(const uint8_t *der, size_t derlen,
                                                         uint8_t raw[STIRMLS_ES256_SIG_LEN]);

/* The library's OpenSSL version string, for reports. */
const char *stirmls_crypto_version(void);

#endif
