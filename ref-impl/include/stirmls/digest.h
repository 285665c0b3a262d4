/*
 * digest.h: the SHA-2 hash functions by output length, for structures whose hash depends on an
 * MLS cipher suite (RFC 9420 §5.1: suites 1-3 SHA-256, 7 SHA-384, 4-6 SHA-512). Signatures stay
 * P-256 only (crypto.h); this only hashes.
 */
#ifndef STIRMLS_DIGEST_H
#define STIRMLS_DIGEST_H

#include "stirmls/base.h"

#define STIRMLS_DIGEST_MAX 64

/* SHA-256 (len 32), SHA-384 (48) or SHA-512 (64) of data into out; USAGE for another len,
 * INTERNAL when OpenSSL cannot allocate. */
STIRMLS_MUST_USE stirmls_reason stirmls_digest_r(size_t len, const void *data, size_t n,
                                                 uint8_t out[STIRMLS_DIGEST_MAX]);

#endif
