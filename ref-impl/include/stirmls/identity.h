/*
 * identity.h: the SIP Identity header value (RFC 8224 §4.1) around a PASSporT, for the SIP
 * profile and interop with STIR/SHAKEN tools:
 *     token ";info=<" URI ">" [";alg=" alg] [";ppt=" ppt] *(";" other-param)
 */
#ifndef STIRMLS_IDENTITY_H
#define STIRMLS_IDENTITY_H

#include "stirmls/passport.h"

typedef struct stirmls_identity_params {
    stirmls_slice token; /* the compact PASSporT (borrowed from the input) */
    stirmls_slice info;  /* the URI inside <>, or empty when absent */
    stirmls_slice alg;   /* empty when absent */
    stirmls_slice ppt;   /* empty when absent (quotes, if any, removed) */
} stirmls_identity_params;

/* Split a header value. PPT_MALFORMED: empty token, a parameter without '=' or with an empty
 * value, info not enclosed in <>, a repeated info/alg/ppt parameter. No parameters at all is
 * accepted (the token alone). */
STIRMLS_MUST_USE stirmls_reason stirmls_identity_split(const char *value, size_t len,
                                                       stirmls_identity_params *out,
                                                       stirmls_detail *d);
/* The parameters against the parsed PASSporT: info must equal x5u byte for byte when both are
 * present (PPT_INFO_MISMATCH); alg, when present, must be ES256 and ppt, when present, must equal
 * the header ppt (PPT_IDENTITY_PARAM). */
STIRMLS_MUST_USE stirmls_reason stirmls_identity_check(const stirmls_identity_params *ip,
                                                       const stirmls_passport *p,
                                                       stirmls_detail *d);

#endif
