/*
 * reader.c: the one bounded reader. Every parser in the library reads untrusted bytes through
 * these functions and nothing else indexes raw input. Length checks are written as
 * `left < n` so they cannot overflow. A failed read leaves the reader unchanged.
 */
#include <string.h>
#include "stirmls/base.h"
#include "stirmls/mutant.h"

void stirmls_reader_init(stirmls_reader *r, const uint8_t *buf, size_t len)
{
    r->buf = buf;
    r->len = len;
    r->off = 0;
    r->base = 0;
}

size_t stirmls_reader_left(const stirmls_reader *r)
{
    return r->len - r->off;
}

size_t stirmls_reader_pos(const stirmls_reader *r)
{
    return r->base + r->off;
}

static stirmls_reason take(stirmls_reader *r, size_t n, const uint8_t **p)
{
    if (stirmls_reader_left(r) < n)
        return STIRMLS_R_TRUNCATED;
    *p = r->buf + r->off;
    r->off += n;
    return STIRMLS_R_OK;
}

static stirmls_reason read_be(stirmls_reader *r, size_t n, uint64_t *out)
{
    const uint8_t *p;
    if (take(r, n, &p) != STIRMLS_R_OK)
        return STIRMLS_R_TRUNCATED;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    *out = v;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_reader_u8(stirmls_reader *r, uint8_t *out)
{
    uint64_t v;
    stirmls_reason rc = read_be(r, 1, &v);
    if (rc == STIRMLS_R_OK)
        *out = (uint8_t)v;
    return rc;
}

stirmls_reason stirmls_reader_u16(stirmls_reader *r, uint16_t *out)
{
    uint64_t v;
    stirmls_reason rc = read_be(r, 2, &v);
    if (rc == STIRMLS_R_OK)
        *out = (uint16_t)v;
    return rc;
}

stirmls_reason stirmls_reader_u32(stirmls_reader *r, uint32_t *out)
{
    uint64_t v;
    stirmls_reason rc = read_be(r, 4, &v);
    if (rc == STIRMLS_R_OK)
        *out = (uint32_t)v;
    return rc;
}

stirmls_reason stirmls_reader_u64(stirmls_reader *r, uint64_t *out)
{
    return read_be(r, 8, out);
}

stirmls_reason stirmls_reader_peek(const stirmls_reader *r, uint8_t *out)
{
    if (stirmls_reader_left(r) < 1)
        return STIRMLS_R_TRUNCATED;
    *out = r->buf[r->off];
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_reader_bytes(stirmls_reader *r, size_t n, stirmls_slice *out)
{
    const uint8_t *p;
    if (take(r, n, &p) != STIRMLS_R_OK)
        return STIRMLS_R_TRUNCATED;
    out->ptr = p;
    out->len = n;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_reader_sub(stirmls_reader *r, size_t n, stirmls_reader *sub)
{
    size_t start = r->off;
    const uint8_t *p;
    if (take(r, n, &p) != STIRMLS_R_OK)
        return STIRMLS_R_TRUNCATED;
    sub->buf = p;
    sub->len = n;
    sub->off = 0;
    sub->base = r->base + start;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_reader_varint(stirmls_reader *r, uint32_t *out)
{
    stirmls_reader save = *r;
    uint8_t first;
    if (stirmls_reader_peek(r, &first) != STIRMLS_R_OK)
        return STIRMLS_R_TRUNCATED;
    unsigned prefix = first >> 6;
    if (prefix == 3)
        return STIRMLS_R_VARINT_PREFIX;
    size_t n = (size_t)1 << prefix; /* 1, 2 or 4 */
    uint64_t v;
    if (read_be(r, n, &v) != STIRMLS_R_OK) {
        *r = save;
        return STIRMLS_R_TRUNCATED;
    }
    v &= (n == 1) ? 0x3f : (n == 2) ? 0x3fff : 0x3fffffff;
    /* minimal form: a 2-byte form must carry >= 64, a 4-byte form >= 16384 */
#if STIRMLS_MUTANT_ID == 11 /* mutant 11: accept non-minimal varints */
    if (0 && ((n == 2 && v < 64) || (n == 4 && v < 16384))) {
#else
    if ((n == 2 && v < 64) || (n == 4 && v < 16384)) {
#endif
        *r = save;
        return STIRMLS_R_VARINT_NONMINIMAL;
    }
    *out = (uint32_t)v;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_reader_vec(stirmls_reader *r, stirmls_reader *sub)
{
    stirmls_reader save = *r;
    uint32_t n;
    stirmls_reason rc = stirmls_reader_varint(r, &n);
    if (rc != STIRMLS_R_OK)
        return rc;
    rc = stirmls_reader_sub(r, n, sub);
    if (rc != STIRMLS_R_OK)
        *r = save;
    return rc;
}

stirmls_reason stirmls_reader_opaque(stirmls_reader *r, stirmls_slice *out)
{
    stirmls_reader sub;
    stirmls_reason rc = stirmls_reader_vec(r, &sub);
    if (rc != STIRMLS_R_OK)
        return rc;
    out->ptr = sub.buf;
    out->len = sub.len;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_reader_finish(const stirmls_reader *r)
{
#if STIRMLS_MUTANT_ID == 12 /* mutant 12: ignore trailing bytes */
    (void)r;
    return STIRMLS_R_OK;
#else
    return stirmls_reader_left(r) == 0 ? STIRMLS_R_OK : STIRMLS_R_TRAILING_BYTES;
#endif
}

int stirmls_slice_eq(stirmls_slice a, stirmls_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

stirmls_slice stirmls_slice_str(const char *s)
{
    stirmls_slice out = {(const uint8_t *)s, strlen(s)};
    return out;
}
