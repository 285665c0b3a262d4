/* ossl_internal.h: shared between the files of src/crypto/ only (they alone include OpenSSL). */
#ifndef STIRMLS_OSSL_INTERNAL_H
#define STIRMLS_OSSL_INTERNAL_H

#include <openssl/ec.h>
#include "stirmls/crypto.h"

/* The P-256 group, created once. */
const EC_GROUP *stirmls_ossl_p256(void);
/* Copy the private scalar; 0 for a public-only key. */
int stirmls_ossl_key_scalar(const stirmls_key *k, uint8_t d[STIRMLS_P256_SCALAR_LEN]);

/* 1 when OpenSSL's error queue holds an allocation failure (ERR_R_MALLOC_FAILURE); empties the
 * queue. Tells "out of memory" (INTERNAL) from "invalid input" after a failed OpenSSL call. */
int stirmls_ossl_oom(void);

#endif
