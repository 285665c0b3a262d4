/* hex.c: hex encoding for keys, credentials and test vectors. */
#include <stdlib.h>
#include "stirmls/codec.h"

void stirmls_hex_encode(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = 0;
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

stirmls_reason stirmls_hex_decode(const char *in, size_t inlen, uint8_t **out, size_t *outlen)
{
    while (inlen > 0 && is_space(in[0])) {
        in++;
        inlen--;
    }
    while (inlen > 0 && is_space(in[inlen - 1]))
        inlen--;
    if (inlen % 2 != 0)
        return STIRMLS_R_HEX_INVALID;
    uint8_t *buf = malloc(inlen / 2 + 1);
    if (buf == NULL)
        return STIRMLS_R_INTERNAL;
    for (size_t i = 0; i < inlen / 2; i++) {
        int hi = nibble(in[2 * i]), lo = nibble(in[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(buf);
            return STIRMLS_R_HEX_INVALID;
        }
        buf[i] = (uint8_t)(hi << 4 | lo);
    }
    *out = buf;
    *outlen = inlen / 2;
    return STIRMLS_R_OK;
}
