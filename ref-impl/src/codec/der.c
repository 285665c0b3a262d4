/*
 * der.c: the strict DER reader and the DER writer helpers (see der.h for the exact rules).
 */
#include <string.h>
#include "stirmls/der.h"

stirmls_reason stirmls_der_peek_tag(const stirmls_reader *r, uint8_t *tag)
{
    return stirmls_reader_peek(r, tag);
}

static stirmls_reason read_length(stirmls_reader *r, size_t *len)
{
    uint8_t first;
    stirmls_reason rc = stirmls_reader_u8(r, &first);
    if (rc != STIRMLS_R_OK)
        return rc;
    if (first < 0x80) {
        *len = first;
        return STIRMLS_R_OK;
    }
    if (first == 0x80)
        return STIRMLS_R_DER_NONCANONICAL; /* indefinite length */
    size_t n = first & 0x7F;
    if (n > 4)
        return STIRMLS_R_DER_MALFORMED;
    size_t v = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t o;
        rc = stirmls_reader_u8(r, &o);
        if (rc != STIRMLS_R_OK)
            return rc;
        if (i == 0 && o == 0)
            return STIRMLS_R_DER_NONCANONICAL;
        v = (v << 8) | o;
    }
    if (v < 0x80)
        return STIRMLS_R_DER_NONCANONICAL;
    *len = v;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_der_tlv(stirmls_reader *r, uint8_t *tag, stirmls_reader *body)
{
    stirmls_reader t = *r;
    uint8_t id;
    size_t len;
    stirmls_reason rc = stirmls_reader_u8(&t, &id);
    if (rc == STIRMLS_R_OK && (id & 0x1F) == 0x1F)
        rc = STIRMLS_R_DER_MALFORMED;
    if (rc == STIRMLS_R_OK)
        rc = read_length(&t, &len);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_reader_sub(&t, len, body);
    if (rc != STIRMLS_R_OK)
        return rc;
    *tag = id;
    *r = t;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_der_expect(stirmls_reader *r, uint8_t tag, stirmls_reader *body)
{
    stirmls_reader t = *r;
    uint8_t id;
    stirmls_reason rc = stirmls_der_tlv(&t, &id, body);
    if (rc != STIRMLS_R_OK)
        return rc;
    if (id != tag)
        return STIRMLS_R_DER_MALFORMED;
    *r = t;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_der_uint64(stirmls_reader *r, uint64_t *out, int *negative)
{
    stirmls_reader t = *r, body;
    stirmls_reason rc = stirmls_der_expect(&t, STIRMLS_DER_INTEGER, &body);
    if (rc != STIRMLS_R_OK)
        return rc;
    size_t n = stirmls_reader_left(&body);
    stirmls_slice s;
    if (n == 0)
        return STIRMLS_R_DER_MALFORMED;
    if (stirmls_reader_bytes(&body, n, &s) != STIRMLS_R_OK)
        return STIRMLS_R_INTERNAL;
    if (n > 1 && ((s.ptr[0] == 0x00 && !(s.ptr[1] & 0x80)) || (s.ptr[0] == 0xFF && (s.ptr[1] & 0x80))))
        return STIRMLS_R_DER_NONCANONICAL;
    int neg = (s.ptr[0] & 0x80) != 0;
    /* a non-negative value of 64 bits needs a leading 00 when its top bit is set: 9 octets */
    size_t skip = !neg && n == 9 && s.ptr[0] == 0x00 ? 1 : 0;
    if (!neg && n - skip > 8)
        return STIRMLS_R_UNSUPPORTED;
    uint64_t v = 0;
    for (size_t i = skip; !neg && i < n; i++)
        v = (v << 8) | s.ptr[i];
    *out = v;
    *negative = neg;
    *r = t;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_der_bool(stirmls_reader *r, int *out)
{
    stirmls_reader t = *r, body;
    stirmls_reason rc = stirmls_der_expect(&t, STIRMLS_DER_BOOLEAN, &body);
    uint8_t v;
    if (rc != STIRMLS_R_OK)
        return rc;
    if (stirmls_reader_left(&body) != 1 || stirmls_reader_u8(&body, &v) != STIRMLS_R_OK)
        return STIRMLS_R_DER_MALFORMED;
    if (v != 0x00 && v != 0xFF)
        return STIRMLS_R_DER_NONCANONICAL;
    *out = v == 0xFF;
    *r = t;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_der_oid(stirmls_reader *r, stirmls_slice *out)
{
    stirmls_reader t = *r, body;
    stirmls_reason rc = stirmls_der_expect(&t, STIRMLS_DER_OID, &body);
    stirmls_slice s;
    if (rc != STIRMLS_R_OK)
        return rc;
    size_t n = stirmls_reader_left(&body);
    if (n == 0 || stirmls_reader_bytes(&body, n, &s) != STIRMLS_R_OK)
        return STIRMLS_R_DER_MALFORMED;
    if (s.ptr[n - 1] & 0x80)
        return STIRMLS_R_DER_MALFORMED;
    for (size_t i = 0; i < n; i++) /* a sub-identifier may not start with 0x80 */
        if (s.ptr[i] == 0x80 && (i == 0 || !(s.ptr[i - 1] & 0x80)))
            return STIRMLS_R_DER_NONCANONICAL;
    *out = s;
    *r = t;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_der_string(stirmls_reader *r, uint8_t tag, stirmls_slice *out)
{
    stirmls_reader t = *r, body;
    stirmls_reason rc = stirmls_der_expect(&t, tag, &body);
    stirmls_slice s;
    if (rc != STIRMLS_R_OK)
        return rc;
    if (stirmls_reader_bytes(&body, stirmls_reader_left(&body), &s) != STIRMLS_R_OK)
        return STIRMLS_R_INTERNAL;
    if (tag == STIRMLS_DER_IA5STRING)
        for (size_t i = 0; i < s.len; i++)
            if (s.ptr[i] & 0x80)
                return STIRMLS_R_DER_MALFORMED;
    *out = s;
    *r = t;
    return STIRMLS_R_OK;
}

static size_t put_base128(uint64_t v, uint8_t *out, size_t cap)
{
    uint8_t tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (uint8_t)(v & 0x7F);
        v >>= 7;
    } while (v);
    if (n > cap)
        return 0;
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(tmp[n - 1 - i] | (i + 1 < n ? 0x80 : 0));
    return n;
}

size_t stirmls_der_oid_from_text(const char *text, uint8_t *out, size_t cap)
{
    uint64_t arcs[32];
    size_t na = 0;
    const char *p = text;
    while (*p) {
        if (na == 32 || *p < '0' || *p > '9')
            return 0;
        uint64_t v = 0;
        while (*p >= '0' && *p <= '9') {
            if (v > (UINT64_MAX - 9) / 10)
                return 0;
            v = v * 10 + (uint64_t)(*p++ - '0');
        }
        arcs[na++] = v;
        if (*p == '.' && p[1])
            p++;
        else if (*p)
            return 0;
    }
    if (na < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39) || arcs[1] > UINT64_MAX - 80)
        return 0;
    size_t len = put_base128(arcs[0] * 40 + arcs[1], out, cap);
    for (size_t i = 2; len && i < na; i++) {
        size_t k = put_base128(arcs[i], out + len, cap - len);
        len = k ? len + k : 0;
    }
    return len;
}

/* ---- writer ---------------------------------------------------------------------------- */

size_t stirmls_der_open(stirmls_buf *b, uint8_t tag)
{
    stirmls_buf_put_u8(b, tag);
    return b->len;
}

void stirmls_der_close(stirmls_buf *b, size_t mark)
{
    if (b->failed || mark > b->len)
        return;
    size_t body = b->len - mark;
    uint8_t hdr[5];
    size_t n;
    if (body < 0x80) {
        hdr[0] = (uint8_t)body;
        n = 1;
    } else {
        size_t k = 0;
        for (size_t v = body; v; v >>= 8)
            k++;
        hdr[0] = (uint8_t)(0x80 | k);
        for (size_t i = 0; i < k; i++)
            hdr[1 + i] = (uint8_t)(body >> (8 * (k - 1 - i)));
        n = k + 1;
    }
    stirmls_buf_put(b, hdr, n); /* grow by n, then shift the body right */
    if (b->failed)
        return;
    memmove(b->ptr + mark + n, b->ptr + mark, body);
    memcpy(b->ptr + mark, hdr, n);
}

void stirmls_der_put_tlv(stirmls_buf *b, uint8_t tag, const void *p, size_t n)
{
    size_t m = stirmls_der_open(b, tag);
    stirmls_buf_put(b, p, n);
    stirmls_der_close(b, m);
}

void stirmls_der_put_uint(stirmls_buf *b, uint64_t v)
{
    uint8_t tmp[9];
    size_t n = 0;
    for (int i = 7; i >= 0; i--) {
        uint8_t o = (uint8_t)(v >> (8 * i));
        if (n == 0 && o == 0 && i > 0)
            continue;
        if (n == 0 && (o & 0x80))
            tmp[n++] = 0;
        tmp[n++] = o;
    }
    stirmls_der_put_tlv(b, STIRMLS_DER_INTEGER, tmp, n);
}

void stirmls_der_put_bool(stirmls_buf *b, int v)
{
    uint8_t o = v ? 0xFF : 0x00;
    stirmls_der_put_tlv(b, STIRMLS_DER_BOOLEAN, &o, 1);
}
