/*
 * pemblock.h: a tiny PEM reader for packaging: the DER bytes of every
 * "-----BEGIN CERTIFICATE-----" block of a PEM bundle, in order (RFC 7468 strict base64 body,
 * whitespace between characters allowed). It does not parse the certificates; the certificate
 * layer does that.
 */
#ifndef STIRMLS_PEMBLOCK_H
#define STIRMLS_PEMBLOCK_H

#include "stirmls/base.h"

#define STIRMLS_PEM_MAX_BLOCKS 16

typedef struct stirmls_der_list {
    size_t n;
    uint8_t *der[STIRMLS_PEM_MAX_BLOCKS]; /* owned; freed by stirmls_der_list_cleanup */
    size_t len[STIRMLS_PEM_MAX_BLOCKS];
} stirmls_der_list;

/* PEM_INVALID when there is no CERTIFICATE block, a block is not closed or its base64 is bad;
 * LENGTH_LIMIT above STIRMLS_PEM_MAX_BLOCKS blocks. On failure out is left empty. */
STIRMLS_MUST_USE stirmls_reason stirmls_pem_certificates(const char *text, size_t len,
                                                         stirmls_der_list *out,
                                                         stirmls_detail *d);
void stirmls_der_list_cleanup(stirmls_der_list *l);

#endif
