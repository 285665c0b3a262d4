/*
 * b64url.h: base64url without padding (RFC 7515 §2, RFC 4648 §5), strict decoding.
 *
 * Decoding rejects: '=' (B64URL_PADDING); '+', '/', whitespace or any other byte outside
 * [A-Za-z0-9_-] (B64URL_INVALID); an impossible length (len % 4 == 1) and non-zero unused
 * trailing bits (B64URL_INVALID), so every byte string has exactly one accepted encoding.
 */
#ifndef STIRMLS_B64URL_H
#define STIRMLS_B64URL_H

#include "stirmls/base.h"

/* Length of the encoding of n bytes (no padding, no NUL). */
size_t stirmls_b64url_encoded_len(size_t n);
/* Append the encoding of in[0..n) to out. */
void stirmls_b64url_encode(const uint8_t *in, size_t n, stirmls_buf *out);
/* Decode in[0..len) and append the bytes to out. On failure out is unchanged in content length
 * and d (may be NULL) records the reason with the offset of the offending character
 * (relative to in, plus base). */
STIRMLS_MUST_USE stirmls_reason stirmls_b64url_decode(const char *in, size_t len, size_t base,
                                                      stirmls_buf *out, stirmls_detail *d);

/* The 6-bit value of one base64 character: url = 1 for the URL-safe alphabet (RFC 4648 §5),
 * 0 for the standard one (§4); -1 for any other byte, '=' included. */
int stirmls_base64_value(uint8_t c, int url);

#endif
