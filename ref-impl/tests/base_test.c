/* base_test.c: the bounded reader, the writer and the reason table. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/testlib.h"

/* ---- MLS varint: the working group's deserialization vectors (outside truth) ---------- */

START_TEST(varint_official_vectors)
{
    json_error_t jerr;
    json_t *root = json_load_file(tl_mlswg_path("deserialization.json"), 0, &jerr);
    ck_assert_msg(root != NULL, "cannot load deserialization.json: %s", jerr.text);
    ck_assert(json_array_size(root) > 0);
    size_t i;
    json_t *v;
    json_array_foreach(root, i, v) {
        size_t n;
        uint8_t *hdr = tl_hex(json_string_value(json_object_get(v, "vlbytes_header")), &n);
        json_int_t want = json_integer_value(json_object_get(v, "length"));
        stirmls_reader r;
        uint32_t got = 0;
        stirmls_reader_init(&r, hdr, n);
        ck_assert_int_eq(stirmls_reader_varint(&r, &got), STIRMLS_R_OK);
        ck_assert_int_eq(stirmls_reader_finish(&r), STIRMLS_R_OK);
        ck_assert_int_eq((json_int_t)got, want);
        /* and the writer produces exactly the same header */
        stirmls_buf b;
        stirmls_buf_init(&b);
        stirmls_buf_put_varint(&b, got);
        ck_assert_int_eq(b.len, n);
        ck_assert(memcmp(b.ptr, hdr, n) == 0);
        stirmls_buf_cleanup(&b);
        free(hdr);
    }
    json_decref(root);
}
END_TEST

struct varint_case {
    const char *name;
    const char *hex;
    stirmls_reason want;
    uint32_t value;
};

/* RFC 9420 §2.1.2 examples and the digest's MLS-01 negatives */
static const struct varint_case varint_cases[] = {
    {"37 in one byte", "25", STIRMLS_R_OK, 37},
    {"64 in two", "4040", STIRMLS_R_OK, 64},
    {"16383", "7fff", STIRMLS_R_OK, 16383},
    {"16384", "80004000", STIRMLS_R_OK, 16384},
    {"2^30-1", "bfffffff", STIRMLS_R_OK, 1073741823},
    {"37 in two bytes", "4025", STIRMLS_R_VARINT_NONMINIMAL, 0},
    {"0 in two bytes", "4000", STIRMLS_R_VARINT_NONMINIMAL, 0},
    {"64 in four", "80000040", STIRMLS_R_VARINT_NONMINIMAL, 0},
    {"16383 in four", "80003fff", STIRMLS_R_VARINT_NONMINIMAL, 0},
    {"prefix 11", "c0", STIRMLS_R_VARINT_PREFIX, 0},
    {"prefix 11 max", "ffffffffffffffff", STIRMLS_R_VARINT_PREFIX, 0},
    {"two-byte form cut", "40", STIRMLS_R_TRUNCATED, 0},
    {"four-byte form cut", "800040", STIRMLS_R_TRUNCATED, 0},
    {"empty", "", STIRMLS_R_TRUNCATED, 0},
};

START_TEST(varint_table)
{
    const struct varint_case *c = &varint_cases[_i];
    size_t n;
    uint8_t *buf = tl_hex(c->hex, &n);
    stirmls_reader r;
    stirmls_reader_init(&r, buf, n);
    uint32_t v = 0xdeadbeef;
    stirmls_reason got = stirmls_reader_varint(&r, &v);
    ck_assert_msg(got == c->want, "%s: got %s want %s", c->name, stirmls_reason_name(got),
                  stirmls_reason_name(c->want));
    if (c->want == STIRMLS_R_OK)
        ck_assert_uint_eq(v, c->value);
    else
        ck_assert_msg(r.off == 0 && v == 0xdeadbeef, "%s: failed read moved the reader", c->name);
    free(buf);
}
END_TEST

START_TEST(vec_truncation_sweep)
{
    /* opaque<V> of 70 bytes then a u16: every strict prefix is TRUNCATED, one extra byte is TRAILING */
    stirmls_buf b;
    stirmls_buf_init(&b);
    uint8_t body[70];
    memset(body, 0xab, sizeof body);
    stirmls_buf_put_opaque(&b, body, sizeof body);
    stirmls_buf_put_u16(&b, 0x0102);
    ck_assert_int_eq(stirmls_buf_status(&b), STIRMLS_R_OK);
    ck_assert_int_eq(b.len, 2 + 70 + 2);
    for (size_t cut = 0; cut <= b.len; cut++) {
        stirmls_reader r;
        stirmls_slice s;
        uint16_t u = 0;
        stirmls_reader_init(&r, b.ptr, cut);
        stirmls_reason rc = stirmls_reader_opaque(&r, &s);
        if (rc == STIRMLS_R_OK)
            rc = stirmls_reader_u16(&r, &u);
        if (rc == STIRMLS_R_OK)
            rc = stirmls_reader_finish(&r);
        ck_assert_int_eq(rc, cut == b.len ? STIRMLS_R_OK : STIRMLS_R_TRUNCATED);
    }
    stirmls_buf_put_u8(&b, 0);
    stirmls_reader r;
    stirmls_slice s;
    uint16_t u;
    stirmls_reader_init(&r, b.ptr, b.len);
    ck_assert_int_eq(stirmls_reader_opaque(&r, &s), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_reader_u16(&r, &u), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_reader_finish(&r), STIRMLS_R_TRAILING_BYTES);
    stirmls_buf_cleanup(&b);
}
END_TEST

START_TEST(writer_vec_close_minimal)
{
    /* body sizes either side of the 1/2 and 2/4-byte header boundaries */
    static const size_t sizes[] = {0, 63, 64, 16383, 16384};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        stirmls_buf b;
        stirmls_buf_init(&b);
        stirmls_buf_put_u8(&b, 0x55);
        size_t mark = stirmls_buf_vec_open(&b);
        for (size_t j = 0; j < sizes[i]; j++)
            stirmls_buf_put_u8(&b, (uint8_t)j);
        stirmls_buf_vec_close(&b, mark);
        stirmls_reader r, sub;
        uint8_t first;
        stirmls_reader_init(&r, b.ptr, b.len);
        ck_assert_int_eq(stirmls_reader_u8(&r, &first), STIRMLS_R_OK);
        ck_assert_int_eq(stirmls_reader_vec(&r, &sub), STIRMLS_R_OK);
        ck_assert_int_eq(stirmls_reader_finish(&r), STIRMLS_R_OK);
        ck_assert_uint_eq(sub.len, sizes[i]);
        ck_assert_uint_eq(sub.base, 1 + (sizes[i] < 64 ? 1 : sizes[i] < 16384 ? 2 : 4));
        if (sizes[i])
            ck_assert_uint_eq(sub.buf[sizes[i] - 1], (uint8_t)(sizes[i] - 1));
        stirmls_buf_cleanup(&b);
    }
}
END_TEST

START_TEST(reason_table_is_consistent)
{
    /* names unique and resolvable, numbers unique, every code has a meaning */
    size_t n = stirmls_reason_count();
    ck_assert(n > 50);
    for (size_t i = 0; i < n; i++) {
        stirmls_reason r = stirmls_reason_at(i), back;
        const char *name = stirmls_reason_name(r);
        ck_assert(name != NULL && stirmls_reason_text(r) != NULL && stirmls_reason_text(r)[0]);
        ck_assert(stirmls_reason_from_name(name, &back) && back == r);
        for (size_t j = i + 1; j < n; j++) {
            ck_assert_msg(stirmls_reason_at(j) != r, "duplicate number for %s", name);
            ck_assert_msg(strcmp(stirmls_reason_name(stirmls_reason_at(j)), name) != 0, "dup name");
        }
        int sip = stirmls_reason_sip(r);
        ck_assert(sip == 0 || sip == 403 || sip == 428 || sip == 436 || sip == 437 || sip == 438);
    }
    ck_assert_str_eq(stirmls_reason_name(STIRMLS_R_OK), "OK");
    ck_assert_int_eq(STIRMLS_R_MKY_MISMATCH, 0x0603);
    stirmls_reason dummy;
    ck_assert(!stirmls_reason_from_name("NO_SUCH_REASON", &dummy));
}
END_TEST

START_TEST(detail_first_failure_sticks)
{
    stirmls_detail d;
    stirmls_detail_init(&d);
    ck_assert_int_eq(stirmls_fail_at(&d, STIRMLS_R_TRUNCATED, 7, "cut at %d", 7), STIRMLS_R_TRUNCATED);
    ck_assert_int_eq(stirmls_fail(&d, STIRMLS_R_INTERNAL, "later"), STIRMLS_R_INTERNAL);
    ck_assert_int_eq(d.reason, STIRMLS_R_TRUNCATED);
    ck_assert_uint_eq(d.offset, 7);
    ck_assert_str_eq(d.text, "cut at 7");
    ck_assert_int_eq(stirmls_fail(NULL, STIRMLS_R_USAGE, "x"), STIRMLS_R_USAGE);
}
END_TEST

START_TEST(hex_roundtrip_and_errors)
{
    uint8_t *out;
    size_t n;
    ck_assert_int_eq(stirmls_hex_decode(" 0aFf\n", 6, &out, &n), STIRMLS_R_OK);
    ck_assert_uint_eq(n, 2);
    char enc[5];
    stirmls_hex_encode(out, n, enc);
    ck_assert_str_eq(enc, "0aff");
    free(out);
    ck_assert_int_eq(stirmls_hex_decode("abc", 3, &out, &n), STIRMLS_R_HEX_INVALID);
    ck_assert_int_eq(stirmls_hex_decode("zz", 2, &out, &n), STIRMLS_R_HEX_INVALID);
}
END_TEST

Suite *base_suite(void);
Suite *base_suite(void)
{
    Suite *s = suite_create("base");
    TCase *tc = tcase_create("reader-writer");
    tcase_add_test(tc, varint_official_vectors);
    tcase_add_loop_test(tc, varint_table, 0, sizeof varint_cases / sizeof varint_cases[0]);
    tcase_add_test(tc, vec_truncation_sweep);
    tcase_add_test(tc, writer_vec_close_minimal);
    tcase_add_test(tc, reason_table_is_consistent);
    tcase_add_test(tc, detail_first_failure_sticks);
    tcase_add_test(tc, hex_roundtrip_and_errors);
    suite_add_tcase(s, tc);
    return s;
}
