/* writer.c: a growable owned byte buffer with MLS vector helpers. Failures are sticky. */
#include <stdlib.h>
#include <string.h>
#include "stirmls/base.h"

void stirmls_buf_init(stirmls_buf *b)
{
    memset(b, 0, sizeof *b);
}

void stirmls_buf_cleanup(stirmls_buf *b)
{
    free(b->ptr);
    stirmls_buf_init(b);
}

void stirmls_buf_reset(stirmls_buf *b)
{
    b->len = 0;
    b->failed = 0;
}

static int reserve(stirmls_buf *b, size_t n)
{
    if (b->failed)
        return 0;
    if (b->cap - b->len > n) /* keep one byte spare for a terminating NUL */
        return 1;
    if (n > (size_t)-1 / 2 - b->len) {
        b->failed = 1;
        return 0;
    }
    size_t want = b->cap ? b->cap : 64;
    while (want - b->len <= n)
        want *= 2;
    uint8_t *p = realloc(b->ptr, want);
    if (p == NULL) {
        b->failed = 1;
        return 0;
    }
    b->ptr = p;
    b->cap = want;
    return 1;
}

void stirmls_buf_put(stirmls_buf *b, const void *p, size_t n)
{
    if (!reserve(b, n))
        return;
    if (n)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = 0;
}

static void put_be(stirmls_buf *b, uint64_t v, size_t n)
{
    uint8_t tmp[8];
    for (size_t i = 0; i < n; i++)
        tmp[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    stirmls_buf_put(b, tmp, n);
}

void stirmls_buf_put_u8(stirmls_buf *b, uint8_t v) { put_be(b, v, 1); }
void stirmls_buf_put_u16(stirmls_buf *b, uint16_t v) { put_be(b, v, 2); }
void stirmls_buf_put_u32(stirmls_buf *b, uint32_t v) { put_be(b, v, 4); }
void stirmls_buf_put_u64(stirmls_buf *b, uint64_t v) { put_be(b, v, 8); }

void stirmls_buf_put_str(stirmls_buf *b, const char *s)
{
    stirmls_buf_put(b, s, strlen(s));
}

static size_t varint_size(uint32_t v)
{
    return v < 64 ? 1 : v < 16384 ? 2 : 4;
}

static void encode_varint(uint8_t *out, uint32_t v, size_t n)
{
    if (n == 1) {
        out[0] = (uint8_t)v;
    } else if (n == 2) {
        out[0] = (uint8_t)(0x40 | (v >> 8));
        out[1] = (uint8_t)v;
    } else {
        out[0] = (uint8_t)(0x80 | (v >> 24));
        out[1] = (uint8_t)(v >> 16);
        out[2] = (uint8_t)(v >> 8);
        out[3] = (uint8_t)v;
    }
}

void stirmls_buf_put_varint(stirmls_buf *b, uint32_t v)
{
    if (v >= (1u << 30)) {
        b->failed = 1;
        return;
    }
    uint8_t tmp[4];
    size_t n = varint_size(v);
    encode_varint(tmp, v, n);
    stirmls_buf_put(b, tmp, n);
}

void stirmls_buf_put_opaque(stirmls_buf *b, const void *p, size_t n)
{
    if (n >= (1u << 30)) {
        b->failed = 1;
        return;
    }
    stirmls_buf_put_varint(b, (uint32_t)n);
    stirmls_buf_put(b, p, n);
}

size_t stirmls_buf_vec_open(stirmls_buf *b)
{
    return b->len;
}

void stirmls_buf_vec_close(stirmls_buf *b, size_t mark)
{
    if (b->failed || mark > b->len)
        return;
    size_t body = b->len - mark;
    if (body >= (1u << 30)) {
        b->failed = 1;
        return;
    }
    size_t n = varint_size((uint32_t)body);
    if (!reserve(b, n))
        return;
    memmove(b->ptr + mark + n, b->ptr + mark, body);
    encode_varint(b->ptr + mark, (uint32_t)body, n);
    b->len += n;
    b->ptr[b->len] = 0;
}

stirmls_reason stirmls_buf_status(const stirmls_buf *b)
{
    return b->failed ? STIRMLS_R_INTERNAL : STIRMLS_R_OK;
}

uint8_t *stirmls_buf_take(stirmls_buf *b, size_t *len)
{
    if (b->failed) {
        stirmls_buf_cleanup(b);
        return NULL;
    }
    if (b->ptr == NULL && !reserve(b, 0))
        return NULL;
    if (b->ptr != NULL && b->len == 0)
        b->ptr[0] = 0;
    uint8_t *p = b->ptr;
    *len = b->len;
    stirmls_buf_init(b);
    return p;
}
