/* der_test.c: the strict DER reader (length forms, INTEGER, BOOLEAN, OID) and the writer. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/testlib.h"

struct tlv_case {
    const char *name, *hex;
    stirmls_reason want;
    size_t body_len; /* when OK */
};

static const struct tlv_case tlv_cases[] = {
    {"short form", "0403616263", STIRMLS_R_OK, 3},
    {"zero length", "0400", STIRMLS_R_OK, 0},
    {"long form 0x81 0x80", "0481" "80" "00", STIRMLS_R_TRUNCATED, 0},
    {"indefinite length", "30800000", STIRMLS_R_DER_NONCANONICAL, 0},
    {"0x81 with a short value", "048105" "0102030405", STIRMLS_R_DER_NONCANONICAL, 0},
    {"0x82 with a leading zero", "04820090", STIRMLS_R_DER_NONCANONICAL, 0},
    {"five length octets", "04850000000001", STIRMLS_R_DER_MALFORMED, 0},
    {"high tag number form", "1F0100", STIRMLS_R_DER_MALFORMED, 0},
    {"length past the end", "040501", STIRMLS_R_TRUNCATED, 0},
    {"empty input", "", STIRMLS_R_TRUNCATED, 0},
    {"missing length", "04", STIRMLS_R_TRUNCATED, 0},
};

START_TEST(tlv_table)
{
    const struct tlv_case *c = &tlv_cases[_i];
    size_t len;
    uint8_t *b = tl_hex(c->hex, &len), tag;
    stirmls_reader r, body;
    stirmls_reader_init(&r, b, len);
    stirmls_reason rc = stirmls_der_tlv(&r, &tag, &body);
    ck_assert_msg(rc == c->want, "%s: got %s", c->name, stirmls_reason_name(rc));
    if (rc == STIRMLS_R_OK)
        ck_assert_uint_eq(stirmls_reader_left(&body), c->body_len);
    else
        ck_assert_uint_eq(r.off, 0); /* a failed read leaves the reader unchanged */
    free(b);
}
END_TEST

struct int_case {
    const char *name, *hex;
    stirmls_reason want;
    int negative;
    uint64_t value;
};

static const struct int_case int_cases[] = {
    {"zero", "020100", STIRMLS_R_OK, 0, 0},
    {"100", "020164", STIRMLS_R_OK, 0, 100},
    {"128 needs a zero octet", "02020080", STIRMLS_R_OK, 0, 128},
    {"-1", "0201FF", STIRMLS_R_OK, 1, 0},
    {"-2^64 (nine octets, negative)", "0209FF0000000000000000", STIRMLS_R_OK, 1, 0},
    {"2^63-1 in eight octets", "02087FFFFFFFFFFFFFFF", STIRMLS_R_OK, 0, 0x7FFFFFFFFFFFFFFFULL},
    {"2^63 needs nine octets", "0209008000000000000000", STIRMLS_R_OK, 0, 0x8000000000000000ULL},
    {"2^64-1 in nine octets", "020900FFFFFFFFFFFFFFFF", STIRMLS_R_OK, 0, UINT64_MAX},
    {"2^64 does not fit", "0209010000000000000000", STIRMLS_R_UNSUPPORTED, 0, 0},
    {"ten octets", "020A00800000000000000000", STIRMLS_R_UNSUPPORTED, 0, 0},
    {"non-minimal 00 7F", "0202007F", STIRMLS_R_DER_NONCANONICAL, 0, 0},
    {"non-minimal 00 05", "02020005", STIRMLS_R_DER_NONCANONICAL, 0, 0},
    {"non-minimal nine octets 00 00 FF..", "020900007FFFFFFFFFFFFF", STIRMLS_R_DER_NONCANONICAL, 0, 0},
    {"non-minimal FF 80", "0202FF80", STIRMLS_R_DER_NONCANONICAL, 0, 0},
    {"long-form length where the short form fits", "02810105", STIRMLS_R_DER_NONCANONICAL, 0, 0},
    {"long-form length with a leading zero octet", "0282000105", STIRMLS_R_DER_NONCANONICAL, 0, 0},
    {"empty integer", "0200", STIRMLS_R_DER_MALFORMED, 0, 0},
    {"wrong tag", "040100", STIRMLS_R_DER_MALFORMED, 0, 0},
};

START_TEST(int_table)
{
    const struct int_case *c = &int_cases[_i];
    size_t len;
    uint8_t *b = tl_hex(c->hex, &len);
    stirmls_reader r;
    uint64_t v = 42;
    int neg = -1;
    stirmls_reader_init(&r, b, len);
    stirmls_reason rc = stirmls_der_uint64(&r, &v, &neg);
    ck_assert_msg(rc == c->want, "%s: got %s", c->name, stirmls_reason_name(rc));
    if (rc == STIRMLS_R_OK) {
        ck_assert_msg(neg == c->negative && v == c->value, "%s: negative %d value %llu", c->name, neg,
                      (unsigned long long)v);
        ck_assert_uint_eq(stirmls_reader_left(&r), 0);
    } else {
        ck_assert_uint_eq(r.off, 0);
    }
    /* the writer side of these values: tnauthlist_test known_answers (2^63, 2^64-1) */
    free(b);
}
END_TEST

START_TEST(bool_and_oid)
{
    static const struct {
        const char *hex;
        stirmls_reason want;
    } bools[] = {{"0101FF", STIRMLS_R_OK}, {"010100", STIRMLS_R_OK}, {"010101", STIRMLS_R_DER_NONCANONICAL},
                 {"0102FFFF", STIRMLS_R_DER_MALFORMED}};
    for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++) {
        size_t len;
        uint8_t *b = tl_hex(bools[i].hex, &len);
        stirmls_reader r;
        int v;
        stirmls_reader_init(&r, b, len);
        ck_assert_int_eq(stirmls_der_bool(&r, &v), bools[i].want);
        free(b);
    }
    /* 1.3.6.1.5.5.7.1.26 = 2B 06 01 05 05 07 01 1A */
    uint8_t o[32];
    size_t n = stirmls_der_oid_from_text("1.3.6.1.5.5.7.1.26", o, sizeof o);
    ck_assert_uint_eq(n, 8);
    ck_assert(memcmp(o, "\x2B\x06\x01\x05\x05\x07\x01\x1A", 8) == 0);
    n = stirmls_der_oid_from_text("2.16.840.1.114569.1.1.3", o, sizeof o);
    ck_assert(n == 10 && memcmp(o, "\x60\x86\x48\x01\x86\xFF\x09\x01\x01\x03", 10) == 0);
    ck_assert_uint_eq(stirmls_der_oid_from_text("1", o, sizeof o), 0);
    ck_assert_uint_eq(stirmls_der_oid_from_text("1.2.", o, sizeof o), 0);
    static const struct {
        const char *hex;
        stirmls_reason want;
    } oids[] = {{"06032B0601", STIRMLS_R_OK}, {"0600", STIRMLS_R_DER_MALFORMED}, {"06022B86", STIRMLS_R_DER_MALFORMED},
                {"06032B8001", STIRMLS_R_DER_NONCANONICAL}};
    for (size_t i = 0; i < sizeof oids / sizeof oids[0]; i++) {
        size_t len;
        uint8_t *b = tl_hex(oids[i].hex, &len);
        stirmls_reader r;
        stirmls_slice s;
        stirmls_reader_init(&r, b, len);
        ck_assert_msg(stirmls_der_oid(&r, &s) == oids[i].want, "oid %s", oids[i].hex);
        free(b);
    }
}
END_TEST

/* The writer patches minimal lengths after the body, across the 127/128 and 255/256 edges. */
START_TEST(writer_lengths_round_trip)
{
    static const size_t sizes[] = {0, 1, 127, 128, 255, 256, 65535, 65536};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        stirmls_buf b;
        stirmls_buf_init(&b);
        uint8_t *body = calloc(1, sizes[i] + 1);
        size_t m = stirmls_der_open(&b, STIRMLS_DER_SEQUENCE);
        stirmls_der_put_tlv(&b, STIRMLS_DER_OCTET_STRING, body, sizes[i]);
        stirmls_der_put_uint(&b, 128);
        stirmls_der_close(&b, m);
        ck_assert_int_eq(stirmls_buf_status(&b), STIRMLS_R_OK);
        stirmls_reader r, seq, os;
        uint64_t v;
        int neg;
        stirmls_reader_init(&r, b.ptr, b.len);
        ck_assert_int_eq(stirmls_der_expect(&r, STIRMLS_DER_SEQUENCE, &seq), STIRMLS_R_OK);
        ck_assert_int_eq(stirmls_reader_finish(&r), STIRMLS_R_OK);
        ck_assert_int_eq(stirmls_der_expect(&seq, STIRMLS_DER_OCTET_STRING, &os), STIRMLS_R_OK);
        ck_assert_uint_eq(stirmls_reader_left(&os), sizes[i]);
        ck_assert_int_eq(stirmls_der_uint64(&seq, &v, &neg), STIRMLS_R_OK);
        ck_assert(v == 128 && neg == 0);
        ck_assert_int_eq(stirmls_reader_finish(&seq), STIRMLS_R_OK);
        free(body);
        stirmls_buf_cleanup(&b);
    }
}
END_TEST

Suite *der_suite(void);
Suite *der_suite(void)
{
    Suite *s = suite_create("der");
    TCase *tc = tcase_create("reader");
    tcase_add_loop_test(tc, tlv_table, 0, sizeof tlv_cases / sizeof tlv_cases[0]);
    tcase_add_loop_test(tc, int_table, 0, sizeof int_cases / sizeof int_cases[0]);
    tcase_add_test(tc, bool_and_oid);
    tcase_add_test(tc, writer_lengths_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
