/*
 * certkey.h: interim helper until the certificate layer is merged: the public key and notAfter
 * of the FIRST certificate of a PEM bundle, without any validation. (src/crypto/ossl_certkey.c)
 */
#ifndef STIRMLS_CERTKEY_H
#define STIRMLS_CERTKEY_H

#include "stirmls/crypto.h"

/* PEM_INVALID when there is no certificate, CERT_PARSE when it does not decode, CERT_KEY_TYPE
 * when its key is not P-256. *key owned; *not_after (may be NULL) in unix seconds. */
STIRMLS_MUST_USE stirmls_reason stirmls_key_from_cert_pem(const char *pem, size_t len,
                                                          stirmls_key **key, uint64_t *not_after);

#endif
