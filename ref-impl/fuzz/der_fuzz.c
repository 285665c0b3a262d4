/* der_fuzz.c: the strict DER reader (codec/der.c). The input is walked as a tree of TLVs
 * (constructed ones recursed into, up to a depth). Invariants: a failed read leaves the reader
 * unchanged; every TLV that reads re-encodes to the identical bytes through the writer
 * (stirmls_der_put_tlv, and der_open/der_close around the re-encoded children); a non-negative
 * INTEGER and a BOOLEAN re-encode identically through der_put_uint / der_put_bool; an OID that
 * reads goes to dotted text and back through der_oid_from_text to the identical contents. */
#include <inttypes.h>
#include "fuzz.h"

#define MAX_DEPTH 32

static void same_state(const stirmls_reader *a, const stirmls_reader *b)
{
    FUZZ_CHECK(a->buf == b->buf && a->len == b->len && a->off == b->off && a->base == b->base);
}

/* OID contents to dotted text; 0 when an arc does not fit the converter (more than 32 arcs or
 * a sub-identifier above 63 bits). */
static int oid_text(stirmls_slice s, char *out, size_t cap)
{
    size_t n = 0, arcs = 0, o = 0;
    while (n < s.len) {
        uint64_t v = 0;
        int k = 0;
        do {
            if (++k > 9)
                return 0;
            v = (v << 7) | (s.ptr[n] & 0x7F);
        } while (s.ptr[n++] & 0x80);
        if (++arcs > 31)
            return 0;
        int w;
        if (arcs == 1)
            w = v < 80 ? snprintf(out + o, cap - o, "%" PRIu64 ".%" PRIu64, v / 40, v % 40)
                       : snprintf(out + o, cap - o, "2.%" PRIu64, v - 80);
        else
            w = snprintf(out + o, cap - o, ".%" PRIu64, v);
        if (w < 0 || (size_t)w >= cap - o)
            return 0;
        o += (size_t)w;
    }
    return 1;
}

static void primitive(const stirmls_reader *at, uint8_t tag, const stirmls_slice whole)
{
    stirmls_reader r = *at;
    stirmls_buf b;
    stirmls_buf_init(&b);
    uint64_t i;
    int v, negative;
    stirmls_slice s;
    if (tag == STIRMLS_DER_INTEGER && stirmls_der_uint64(&r, &i, &negative) == STIRMLS_R_OK) {
        if (!negative) {
            stirmls_der_put_uint(&b, i);
            FUZZ_SAME(b.ptr, b.len, whole.ptr, whole.len);
        }
    } else if (tag == STIRMLS_DER_BOOLEAN && stirmls_der_bool(&r, &v) == STIRMLS_R_OK) {
        stirmls_der_put_bool(&b, v);
        FUZZ_SAME(b.ptr, b.len, whole.ptr, whole.len);
    } else if (tag == STIRMLS_DER_OID && stirmls_der_oid(&r, &s) == STIRMLS_R_OK) {
        char text[1024];
        uint8_t back[512];
        if (oid_text(s, text, sizeof text)) {
            size_t n = stirmls_der_oid_from_text(text, back, sizeof back);
            FUZZ_SAME(back, n, s.ptr, s.len);
        }
    } else if ((tag == STIRMLS_DER_IA5STRING || tag == STIRMLS_DER_UTF8STRING) &&
               stirmls_der_string(&r, tag, &s) == STIRMLS_R_OK) {
        FUZZ_CHECK(s.ptr + s.len == whole.ptr + whole.len);
    } else {
        same_state(at, &r); /* the typed read failed (or the tag has none): nothing consumed */
    }
    if (r.off != at->off)
        FUZZ_CHECK(r.off - at->off == whole.len);
    stirmls_buf_cleanup(&b);
}

/* Reads TLVs until r is empty or one fails; appends their re-encoding to out. */
static void walk(stirmls_reader *r, stirmls_buf *out, int depth)
{
    while (stirmls_reader_left(r) > 0) {
        stirmls_reader before = *r, body;
        uint8_t tag, peek;
        FUZZ_CHECK(stirmls_der_peek_tag(r, &peek) == STIRMLS_R_OK);
        stirmls_reason rc = stirmls_der_tlv(r, &tag, &body);
        if (rc != STIRMLS_R_OK) {
            same_state(&before, r);
            stirmls_buf_put(out, r->buf + r->off, r->len - r->off); /* the rest, as is */
            return;
        }
        FUZZ_CHECK(tag == peek);
        stirmls_slice whole = {before.buf + before.off, r->off - before.off};
        /* der_expect agrees with der_tlv, and fails cleanly for another tag */
        stirmls_reader e = before, ebody;
        FUZZ_CHECK(stirmls_der_expect(&e, tag, &ebody) == STIRMLS_R_OK && e.off == r->off);
        e = before;
        FUZZ_CHECK(stirmls_der_expect(&e, (uint8_t)(tag ^ 1), &ebody) == STIRMLS_R_DER_MALFORMED);
        same_state(&before, &e);
        if ((tag & 0x20) && depth < MAX_DEPTH) {
            size_t m = stirmls_der_open(out, tag);
            walk(&body, out, depth + 1);
            stirmls_der_close(out, m);
        } else {
            primitive(&before, tag, whole);
            stirmls_der_put_tlv(out, tag, body.buf, body.len);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_reader r;
    stirmls_buf out;
    stirmls_reader_init(&r, data, size);
    stirmls_buf_init(&out);
    walk(&r, &out, 0);
    FUZZ_CHECK(stirmls_buf_status(&out) == STIRMLS_R_OK);
    FUZZ_SAME(out.ptr, out.len, data, size);
    stirmls_buf_cleanup(&out);
    return 0;
}
