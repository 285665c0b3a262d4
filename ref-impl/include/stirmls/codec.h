/*
 * codec.h: byte-level encodings shared by the domain layers.
 * Later modules add base64url, DER and JSON helpers to this layer (codec/), each with its own header.
 */
#ifndef STIRMLS_CODEC_H
#define STIRMLS_CODEC_H

#include "stirmls/base.h"

/* Lower-case hex of n bytes into out (2n+1 bytes, NUL-terminated). */
void stirmls_hex_encode(const uint8_t *in, size_t n, char *out);
/* Decode hex (either case, no separators, optional surrounding whitespace) into an owned
 * buffer freed with free(). HEX_INVALID on odd length or a non-hex character. */
STIRMLS_MUST_USE stirmls_reason stirmls_hex_decode(const char *in, size_t inlen, uint8_t **out,
                                                   size_t *outlen);

#endif
