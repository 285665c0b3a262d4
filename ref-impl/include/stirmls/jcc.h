/*
 * jcc.h: JWT claim constraints certificate extensions, decoded into plain C structs.
 *
 *   RFC 8226 §8  JWTClaimConstraints (id-pe 27, 1.3.6.1.5.5.7.1.27):
 *     SEQUENCE { mustInclude [0] JWTClaimNames OPTIONAL,
 *                permittedValues [1] SEQUENCE SIZE (1..MAX) OF
 *                    SEQUENCE { claim IA5String, permitted SEQUENCE SIZE (1..MAX) OF UTF8String } OPTIONAL }
 *   RFC 9118     EnhancedJWTClaimConstraints (id-pe 33, 1.3.6.1.5.5.7.1.33): the same plus
 *                mustExclude [2] JWTClaimNames OPTIONAL.
 *   JWTClaimNames ::= SEQUENCE SIZE (1..MAX) OF IA5String. Tags are EXPLICIT (JCC-03); at least
 *   one field must be present. Any violation: CERT_JCC_INVALID. Both extensions on one
 *   certificate: CERT_JCC_BOTH (JCC-04).
 * Only decoding: applying the constraints to PASSporT claims belongs to the PASSporT layer.
 */
#ifndef STIRMLS_JCC_H
#define STIRMLS_JCC_H

#include "stirmls/cert.h"

typedef struct stirmls_jcc_permitted {
    char *claim;   /* owned by the stirmls_jcc */
    size_t n;
    char **values; /* owned by the stirmls_jcc; UTF-8, NUL-terminated */
} stirmls_jcc_permitted;

typedef struct stirmls_jcc {
    int enhanced; /* 1 for RFC 9118 (id-pe 33), 0 for RFC 8226 (id-pe 27) */
    size_t n_include;
    char **must_include;
    size_t n_permitted;
    stirmls_jcc_permitted *permitted;
    size_t n_exclude;
    char **must_exclude;
} stirmls_jcc;

void stirmls_jcc_free(stirmls_jcc *j);
/* Decode an extension value. *out owned on success. */
STIRMLS_MUST_USE stirmls_reason stirmls_jcc_decode(const uint8_t *der, size_t len, int enhanced,
                                                   stirmls_jcc **out, stirmls_detail *d);
/* The certificate's constraints: OK with *out owned, or *out = NULL when it has neither extension. */
STIRMLS_MUST_USE stirmls_reason stirmls_cert_jcc(const stirmls_cert *c, stirmls_jcc **out, stirmls_detail *d);
/* Encode (for the test PKI); appends the extension value to b. */
STIRMLS_MUST_USE stirmls_reason stirmls_jcc_encode(const stirmls_jcc *j, stirmls_buf *b);

#endif
