/* ossl_internal.h: shared between the files of src/crypto/ only (they alone include OpenSSL). */
#ifndef STIRMLS_OSSL_INTERNAL_H
#define STIRMLS_OSSL_INTERNAL_H

#include <openssl/ec.h>
#include <openssl/evp.h>
#include "stirmls/crypto.h"

/* The P-256 group, created once. */
const EC_GROUP *stirmls_ossl_p256(void);
/* Copy the private scalar; 0 for a public-only key. */
int stirmls_ossl_key_scalar(const stirmls_key *k, uint8_t d[STIRMLS_P256_SCALAR_LEN]);

/* Deterministic key derivation: HMAC-md(seed, domain 0x00 name 0x00 counter) for counter 0, 1, ...
 * is handed to try_scalar until it returns something other than STIRMLS_R_USAGE (the scalar out
 * of range); that result (stirmls_key_derive, stirmls_altkey_derive_p384). */
typedef stirmls_reason (*stirmls_ossl_try_scalar)(const uint8_t *digest, size_t len, void *ctx);
stirmls_reason stirmls_ossl_derive(const uint8_t *seed, size_t seedlen, const char *domain, const char *name,
                                   const EVP_MD *md, stirmls_ossl_try_scalar try_scalar, void *ctx);

/* 1 when OpenSSL's error queue holds an allocation failure (ERR_R_MALLOC_FAILURE); empties the
 * queue. Tells "out of memory" (INTERNAL) from "invalid input" after a failed OpenSSL call. */
int stirmls_ossl_oom(void);

#endif
