/* b64url.c: base64url without padding, strict (one accepted encoding per byte string). */
#include "stirmls/b64url.h"
#include "stirmls/mutant.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t stirmls_b64url_encoded_len(size_t n)
{
    return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

void stirmls_b64url_encode(const uint8_t *in, size_t n, stirmls_buf *out)
{
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        char q[4] = {alphabet[v >> 18], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63],
                     alphabet[v & 63]};
        stirmls_buf_put(out, q, 4);
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        char q[2] = {alphabet[v >> 18], alphabet[(v >> 12) & 63]};
        stirmls_buf_put(out, q, 2);
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        char q[3] = {alphabet[v >> 18], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63]};
        stirmls_buf_put(out, q, 3);
    }
}

int stirmls_base64_value(uint8_t c, int url)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == (url ? '-' : '+'))
        return 62;
    if (c == (url ? '_' : '/'))
        return 63;
    return -1;
}

static int sextet(uint8_t c)
{
    return stirmls_base64_value(c, 1);
}

/* Validate every character first, so the reason names the first bad byte. */
static stirmls_reason check_chars(const char *in, size_t len, size_t base, stirmls_detail *d)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)in[i];
        if (c == '=')
            return stirmls_fail_at(d, STIRMLS_R_B64URL_PADDING, base + i, "base64url '=' padding");
        if (sextet(c) < 0)
            return stirmls_fail_at(d, STIRMLS_R_B64URL_INVALID, base + i,
                                   "byte 0x%02x outside the base64url alphabet", c);
    }
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_b64url_decode(const char *in, size_t len, size_t base, stirmls_buf *out,
                                     stirmls_detail *d)
{
#if STIRMLS_MUTANT_ID == 28 /* mutant 28: accept base64url padding */
    while (len > 0 && in[len - 1] == '=')
        len--;
#endif
    stirmls_reason rc = check_chars(in, len, base, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    if (len % 4 == 1)
        return stirmls_fail_at(d, STIRMLS_R_B64URL_INVALID, base + len - 1,
                               "base64url length %zu is impossible", len);
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t start = out->len, n = 0;
    uint8_t chunk[192] = {0}; /* bytes are written out a chunk at a time */
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 6 | (uint32_t)sextet((uint8_t)in[i])) & 0xFFFFFF;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            chunk[n++] = (uint8_t)(acc >> bits);
            if (n == sizeof chunk) {
                stirmls_buf_put(out, chunk, n);
                n = 0;
            }
        }
    }
    if (n > 0)
        stirmls_buf_put(out, chunk, n);
    if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
        out->len = start;
        return stirmls_fail_at(d, STIRMLS_R_B64URL_INVALID, base + len - 1,
                               "base64url has non-zero trailing bits");
    }
    return stirmls_buf_status(out);
}
