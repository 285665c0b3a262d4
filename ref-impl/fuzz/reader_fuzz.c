/* reader_fuzz.c: the bounded reader and the MLS varint / vector / opaque readers.
 * The input is its own script: each step takes one op byte from the front, then reads from the
 * rest. Invariants: a failed read leaves the reader unchanged; offsets stay in bounds; a varint
 * that decodes re-encodes to the identical bytes (minimal form only); a vector re-encodes
 * identically through stirmls_buf_put_opaque and vec_open/vec_close. */
#include "fuzz.h"

static void same_state(const stirmls_reader *a, const stirmls_reader *b)
{
    FUZZ_CHECK(a->buf == b->buf && a->len == b->len && a->off == b->off && a->base == b->base);
}

static void check_varint(stirmls_reader *r)
{
    stirmls_reader before = *r;
    uint32_t v;
    if (stirmls_reader_varint(r, &v) != STIRMLS_R_OK) {
        same_state(&before, r);
        return;
    }
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_buf_put_varint(&b, v);
    FUZZ_CHECK(stirmls_buf_status(&b) == STIRMLS_R_OK);
    FUZZ_SAME(b.ptr, b.len, before.buf + before.off, r->off - before.off);
    stirmls_buf_cleanup(&b);
}

static void check_vec(stirmls_reader *r, int nested)
{
    stirmls_reader before = *r, sub;
    if (stirmls_reader_vec(r, &sub) != STIRMLS_R_OK) {
        same_state(&before, r);
        return;
    }
    FUZZ_CHECK(sub.off == 0 && sub.base == stirmls_reader_pos(&before) + (r->off - before.off) - sub.len);
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_buf_put_opaque(&b, sub.buf, sub.len);
    FUZZ_SAME(b.ptr, b.len, before.buf + before.off, r->off - before.off);
    stirmls_buf_reset(&b);
    size_t mark = stirmls_buf_vec_open(&b);
    stirmls_buf_put(&b, sub.buf, sub.len);
    stirmls_buf_vec_close(&b, mark);
    FUZZ_CHECK(stirmls_buf_status(&b) == STIRMLS_R_OK);
    FUZZ_SAME(b.ptr, b.len, before.buf + before.off, r->off - before.off);
    stirmls_buf_cleanup(&b);
    if (nested) /* a vector of varints, as capability lists are read */
        while (stirmls_reader_left(&sub) > 0) {
            size_t off = sub.off;
            check_varint(&sub);
            if (sub.off == off)
                break;
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_reader r, before;
    stirmls_reader_init(&r, data, size);
    while (stirmls_reader_left(&r) > 0) {
        uint8_t op = 0, u8;
        uint16_t u16;
        uint32_t u32;
        uint64_t u64;
        stirmls_slice s;
        stirmls_reader sub;
        if (stirmls_reader_u8(&r, &op) != STIRMLS_R_OK)
            break;
        before = r;
        stirmls_reason rc = STIRMLS_R_OK;
        switch (op % 10) {
        case 0: rc = stirmls_reader_u8(&r, &u8); break;
        case 1: rc = stirmls_reader_u16(&r, &u16); break;
        case 2: rc = stirmls_reader_u32(&r, &u32); break;
        case 3: rc = stirmls_reader_u64(&r, &u64); break;
        case 4: rc = stirmls_reader_peek(&r, &u8); FUZZ_CHECK(r.off == before.off); break;
        case 5: check_varint(&r); break;
        case 6: check_vec(&r, op & 0x80); break;
        case 7:
            rc = stirmls_reader_opaque(&r, &s);
            if (rc == STIRMLS_R_OK)
                FUZZ_CHECK(s.ptr + s.len == r.buf + r.off);
            break;
        case 8:
            rc = stirmls_reader_bytes(&r, op >> 4, &s);
            if (rc == STIRMLS_R_OK)
                FUZZ_CHECK(s.len == (size_t)(op >> 4));
            break;
        default:
            rc = stirmls_reader_sub(&r, op >> 4, &sub);
            if (rc == STIRMLS_R_OK)
                FUZZ_CHECK(stirmls_reader_finish(&sub) == (sub.len ? STIRMLS_R_TRAILING_BYTES
                                                                   : STIRMLS_R_OK));
            break;
        }
        if (rc != STIRMLS_R_OK)
            same_state(&before, &r);
        FUZZ_CHECK(r.off <= r.len);
    }
    FUZZ_CHECK(stirmls_reader_finish(&r) == STIRMLS_R_OK);
    return 0;
}
