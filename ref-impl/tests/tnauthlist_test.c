/* tnauthlist_test.c: TNAuthList known answers (RFC 8226 App. A style encodings, digest TNA-03),
 * strict rejections, truncation sweep, trailing bytes, coverage (TNA-05/07) and encompassing
 * (RFC 9060, DLG-03). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/testlib.h"

struct kat {
    const char *name;
    stirmls_tna_type type;
    const char *value;
    uint64_t count;
    const char *hex;
};

static const struct kat kats[] = {
    {"spc 709J", STIRMLS_TNA_SPC, "709J", 0, "3008A00616043730394A"},
    {"one 12155551212", STIRMLS_TNA_ONE, "12155551212", 0, "300FA20D160B3132313535353531323132"},
    {"range 12155550100/100", STIRMLS_TNA_RANGE, "12155550100", 100,
     "3014A1123010160B3132313535353530313030020164"},
    {"range count 128 (INTEGER needs 00)", STIRMLS_TNA_RANGE, "1", 128, "300BA1093007160131020200" "80"},
    {"range count 2^63-1 (eight octets)", STIRMLS_TNA_RANGE, "5", 0x7FFFFFFFFFFFFFFFULL,
     "3011A10F300D160135" "02087FFFFFFFFFFFFFFF"},
    {"range count 2^63 (nine octets, leading 00)", STIRMLS_TNA_RANGE, "5", 0x8000000000000000ULL,
     "3012A110300E160135" "0209008000000000000000"},
    {"range count 2^64-1 (nine octets, leading 00)", STIRMLS_TNA_RANGE, "5", UINT64_MAX,
     "3012A110300E160135" "020900FFFFFFFFFFFFFFFF"},
};

START_TEST(known_answers)
{
    const struct kat *k = &kats[_i];
    size_t len;
    uint8_t *want = tl_hex(k->hex, &len);
    stirmls_tnauthlist *l = stirmls_tnauthlist_new();
    ck_assert_int_eq(stirmls_tnauthlist_add(l, k->type, k->value, k->count), STIRMLS_R_OK);
    stirmls_buf b;
    stirmls_buf_init(&b);
    ck_assert_int_eq(stirmls_tnauthlist_encode(l, &b), STIRMLS_R_OK);
    ck_assert_msg(b.len == len && memcmp(b.ptr, want, len) == 0, "%s: encoding differs", k->name);
    stirmls_tnauthlist *back = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    ck_assert_int_eq(stirmls_tnauthlist_decode(want, len, &back, &d), STIRMLS_R_OK);
    ck_assert_uint_eq(back->n, 1);
    ck_assert_int_eq(back->entries[0].type, k->type);
    ck_assert_str_eq(back->entries[0].value, k->value);
    ck_assert(back->entries[0].count == k->count);
    stirmls_tnauthlist_free(back);
    stirmls_tnauthlist_free(l);
    stirmls_buf_cleanup(&b);
    free(want);
}
END_TEST

struct neg {
    const char *name, *hex;
    stirmls_reason want;
};

static const struct neg negs[] = {
    {"empty SEQUENCE", "3000", STIRMLS_R_TNAUTH_EMPTY},
    {"implicit spc [0]", "3006" "8004" "3730394A", STIRMLS_R_TNAUTH_IMPLICIT_TAG},
    {"implicit one [2]", "3004" "8202" "3132", STIRMLS_R_TNAUTH_IMPLICIT_TAG},
    {"implicit range [1] holding the fields", "3009" "A107" "16023132" "020164", STIRMLS_R_TNAUTH_IMPLICIT_TAG},
    {"unknown tag [3]", "3008" "A306" "16043730394A", STIRMLS_R_TNAUTH_BAD_TAG},
    {"universal tag instead of a choice", "3006" "16043730394A", STIRMLS_R_TNAUTH_BAD_TAG},
    {"range count 1", "300A" "A108" "3006" "160131" "020101", STIRMLS_R_TNAUTH_RANGE_COUNT},
    {"range count 0", "300A" "A108" "3006" "160131" "020100", STIRMLS_R_TNAUTH_RANGE_COUNT},
    {"range count -5", "300A" "A108" "3006" "160131" "0201FB", STIRMLS_R_TNAUTH_RANGE_COUNT},
    {"range count non-minimal", "300B" "A109" "3007" "160131" "02020064", STIRMLS_R_DER_NONCANONICAL},
    {"range count non-minimal, nine octets", "3012" "A110" "300E" "160131" "020900007FFFFFFFFFFFFF", STIRMLS_R_DER_NONCANONICAL},
    {"range count 2^64 (above 64 bits)", "3012" "A110" "300E" "160131" "0209010000000000000000", STIRMLS_R_UNSUPPORTED},
    {"range count -2^64 (nine octets, negative)", "3012" "A110" "300E" "160131" "0209FF0000000000000000", STIRMLS_R_TNAUTH_RANGE_COUNT},
    {"range count with a long-form length", "300B" "A109" "3007" "160131" "02810164", STIRMLS_R_DER_NONCANONICAL},
    {"range count length with a leading zero octet", "300C" "A10A" "3008" "160131" "0282000164", STIRMLS_R_DER_NONCANONICAL},
    {"entry length with a leading zero octet", "300A" "A08200" "0616043730394A", STIRMLS_R_DER_NONCANONICAL},
    {"one as an empty constructed [2]", "3002" "A200", STIRMLS_R_TRUNCATED},
    {"range [1] primitive", "300A" "8108" "3006" "160131" "020164", STIRMLS_R_TNAUTH_IMPLICIT_TAG},
    {"spc [0] holding a SEQUENCE", "300A" "A008" "3006" "16043730394A", STIRMLS_R_TNAUTH_BAD_STRING_TYPE},
    {"TN with an octet above 0x7F", "3007" "A205" "1603" "31B132", STIRMLS_R_TNAUTH_BAD_TN},
    {"range start with an octet above 0x7F", "300A" "A108" "3006" "1601B1" "020164", STIRMLS_R_TNAUTH_BAD_TN},
    {"trailing bytes inside a one entry", "3009" "A207" "1603313233" "0100", STIRMLS_R_TRAILING_BYTES},
    {"trailing bytes inside a range entry", "300C" "A10A" "3006" "160131" "020164" "0500", STIRMLS_R_TRAILING_BYTES},
    {"range without count", "3007" "A105" "3003" "160131", STIRMLS_R_TRUNCATED},
    {"TN of 16 digits", "3014" "A212" "1610" "31323334353637383930313233343536", STIRMLS_R_TNAUTH_BAD_TN},
    {"TN with +", "3007" "A205" "1603" "2B3132", STIRMLS_R_TNAUTH_BAD_TN},
    {"TN with -", "3007" "A205" "1603" "312D32", STIRMLS_R_TNAUTH_BAD_TN},
    {"TN with a letter A", "3007" "A205" "1603" "314132", STIRMLS_R_TNAUTH_BAD_TN},
    {"empty TN", "3004" "A202" "1600", STIRMLS_R_TNAUTH_BAD_TN},
    {"range start with a letter", "300B" "A109" "3007" "160231" "41" "020164", STIRMLS_R_TNAUTH_BAD_TN},
    {"empty SPC", "3004" "A002" "1600", STIRMLS_R_TNAUTH_BAD_SPC},
    {"SPC with a non-IA5 octet", "3006" "A004" "1602" "37C3", STIRMLS_R_TNAUTH_BAD_SPC},
    {"SPC as UTF8String", "3008" "A006" "0C04" "3730394A", STIRMLS_R_TNAUTH_BAD_STRING_TYPE},
    {"TN as UTF8String", "3007" "A205" "0C03" "313233", STIRMLS_R_TNAUTH_BAD_STRING_TYPE},
    {"range start as PrintableString", "300A" "A108" "3006" "130131" "020164", STIRMLS_R_TNAUTH_BAD_STRING_TYPE},
    {"trailing bytes after the list", "3008A00616043730394A" "00", STIRMLS_R_TRAILING_BYTES},
    {"trailing bytes inside an entry", "300A" "A008" "16043730394A" "0500", STIRMLS_R_TRAILING_BYTES},
    {"range extension element malformed", "300B" "A109" "3007" "160131" "020164" "04", STIRMLS_R_TRUNCATED},
    {"indefinite length list", "3080" "A00616043730394A" "0000", STIRMLS_R_DER_NONCANONICAL},
    {"non-minimal list length", "308108" "A00616043730394A", STIRMLS_R_DER_NONCANONICAL},
    {"not a SEQUENCE", "3108A00616043730394A", STIRMLS_R_DER_MALFORMED},
};

START_TEST(strict_rejections)
{
    const struct neg *c = &negs[_i];
    size_t len;
    uint8_t *b = tl_hex(c->hex, &len);
    stirmls_tnauthlist *l = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason rc = stirmls_tnauthlist_decode(b, len, &l, &d);
    ck_assert_msg(rc == c->want, "%s: got %s (%s), want %s", c->name, stirmls_reason_name(rc), d.text,
                  stirmls_reason_name(c->want));
    ck_assert_int_eq(d.reason, rc);
    ck_assert(l == NULL);
    free(b);
}
END_TEST

/* A range with an unknown extra element after count (the `...` marker) decodes; the element is skipped. */
START_TEST(range_extension_marker_skipped)
{
    size_t len;
    uint8_t *b = tl_hex("3010" "A10E" "300C" "160131" "020164" "0C0461626364", &len);
    stirmls_tnauthlist *l = NULL;
    ck_assert_int_eq(stirmls_tnauthlist_decode(b, len, &l, NULL), STIRMLS_R_OK);
    ck_assert_uint_eq(l->n, 1);
    ck_assert(l->entries[0].count == 100);
    stirmls_tnauthlist_free(l);
    free(b);
}
END_TEST

/* Every strict prefix of valid lists fails with TRUNCATED; one trailing byte fails with TRAILING_BYTES. */
START_TEST(truncation_sweep_and_trailing_byte)
{
    static const char *const inputs[] = {
        "3008A00616043730394A", "300FA20D160B3132313535353531323132", "3014A1123010160B3132313535353530313030020164",
        "302B" "A00616043730394A" "A20D160B3132313535353531323132" "A1123010160B3132313535353530313030020164" "",
    };
    for (size_t k = 0; k < sizeof inputs / sizeof inputs[0]; k++) {
        size_t len;
        uint8_t *b = tl_hex(inputs[k], &len);
        stirmls_tnauthlist *l = NULL;
        ck_assert_int_eq(stirmls_tnauthlist_decode(b, len, &l, NULL), STIRMLS_R_OK);
        stirmls_tnauthlist_free(l);
        for (size_t n = 0; n < len; n++) {
            stirmls_detail d;
            stirmls_detail_init(&d);
            stirmls_reason rc = stirmls_tnauthlist_decode(b, n, &l, &d);
            ck_assert_msg(rc == STIRMLS_R_TRUNCATED, "input %zu prefix %zu: %s", k, n, stirmls_reason_name(rc));
        }
        uint8_t *t = malloc(len + 1);
        memcpy(t, b, len);
        t[len] = 0x00;
        ck_assert_int_eq(stirmls_tnauthlist_decode(t, len + 1, &l, NULL), STIRMLS_R_TRAILING_BYTES);
        free(t);
        free(b);
    }
}
END_TEST

/* ---- coverage ------------------------------------------------------------------------------ */

struct cover_case {
    const char *name;
    stirmls_tna_type type;
    const char *value;
    uint64_t count;
    const char *tn;
    int want;
};

static const struct cover_case covers[] = {
    {"range first", STIRMLS_TNA_RANGE, "12155550100", 100, "12155550100", 1},
    {"range last (TNA-05)", STIRMLS_TNA_RANGE, "12155550100", 100, "12155550199", 1},
    {"range one past (TNA-05)", STIRMLS_TNA_RANGE, "12155550100", 100, "12155550200", 0},
    {"range one before", STIRMLS_TNA_RANGE, "12155550100", 100, "12155550099", 0},
    {"range longer number (TNA-05)", STIRMLS_TNA_RANGE, "12155550100", 100, "112155550150", 0},
    {"no carry: 998/5 does not cover 1000 (TNA-05)", STIRMLS_TNA_RANGE, "998", 5, "1000", 0},
    {"no carry: 998/5 covers 999", STIRMLS_TNA_RANGE, "998", 5, "999", 1},
    {"no carry: 998/5 does not cover 001", STIRMLS_TNA_RANGE, "998", 5, "001", 0},
    {"leading zeros kept", STIRMLS_TNA_RANGE, "0010", 5, "0012", 1},
    {"leading zeros: shorter string", STIRMLS_TNA_RANGE, "0010", 5, "12", 0},
    {"15-digit range at the top", STIRMLS_TNA_RANGE, "999999999999990", 1000, "999999999999999", 1},
    {"huge count", STIRMLS_TNA_RANGE, "100", UINT64_MAX, "999", 1},
    {"* range covers nothing", STIRMLS_TNA_RANGE, "1*00", 10, "1*05", 0},
    {"# range covers nothing", STIRMLS_TNA_RANGE, "100#", 10, "100#", 0},
    {"one exact", STIRMLS_TNA_ONE, "12155551212", 0, "12155551212", 1},
    {"one other", STIRMLS_TNA_ONE, "12155551212", 0, "12155551213", 0},
    {"one with * exact", STIRMLS_TNA_ONE, "*67", 0, "*67", 1},
    {"spc never covers (TNA-06)", STIRMLS_TNA_SPC, "709J", 0, "709", 0},
    {"non-canonical TN (+)", STIRMLS_TNA_ONE, "12155551212", 0, "+12155551212", 0},
};

START_TEST(coverage_table)
{
    const struct cover_case *c = &covers[_i];
    stirmls_tnauthlist *l = stirmls_tnauthlist_new();
    ck_assert_int_eq(stirmls_tnauthlist_add(l, c->type, c->value, c->count), STIRMLS_R_OK);
    ck_assert_msg(stirmls_tnauthlist_covers(l, c->tn) == c->want, "%s", c->name);
    stirmls_tnauthlist_free(l);
}
END_TEST

/* ---- encompassing ------------------------------------------------------------------------- */

/* Lists written as "r:START:COUNT o:TN s:SPC" separated by spaces. */
static stirmls_tnauthlist *list_of(const char *spec)
{
    stirmls_tnauthlist *l = stirmls_tnauthlist_new();
    char buf[256], *save = NULL;
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *v = tok + 2, *colon = strchr(v, ':');
        uint64_t count = 0;
        if (colon) {
            *colon = 0;
            count = strtoull(colon + 1, NULL, 10);
        }
        stirmls_tna_type t = tok[0] == 'r' ? STIRMLS_TNA_RANGE : tok[0] == 'o' ? STIRMLS_TNA_ONE : STIRMLS_TNA_SPC;
        ck_assert_int_eq(stirmls_tnauthlist_add(l, t, v, count), STIRMLS_R_OK);
    }
    return l;
}

struct enc_case {
    const char *name, *issuer, *subject, *trusted;
    stirmls_reason want;
    int asserted;
};

static const struct enc_case encs[] = {
    {"one inside range", "r:12155550100:100", "o:12155550123", NULL, STIRMLS_R_OK, 0},
    {"one at the range end", "r:12155550100:100", "o:12155550199", NULL, STIRMLS_R_OK, 0},
    {"one outside range (DLG-03)", "r:12155550100:100", "o:12155550200", NULL, STIRMLS_R_DELEGATION_NOT_ENCOMPASSED, 0},
    {"sub-range inside", "r:12155550100:100", "r:12155550120:10", NULL, STIRMLS_R_OK, 0},
    {"range overflowing the edge (DLG-03)", "r:12155550100:100", "r:12155550190:20", NULL,
     STIRMLS_R_DELEGATION_NOT_ENCOMPASSED, 0},
    {"range before the start", "r:12155550100:100", "r:12155550090:20", NULL, STIRMLS_R_DELEGATION_NOT_ENCOMPASSED, 0},
    {"range across two adjacent parent ranges", "r:1000:50 r:1050:50", "r:1040:20", NULL, STIRMLS_R_OK, 0},
    {"range across a gap", "r:1000:50 r:1051:50", "r:1040:20", NULL, STIRMLS_R_DELEGATION_NOT_ENCOMPASSED, 0},
    {"range covered by ones and a range", "o:1000 o:1001 r:1002:8", "r:1000:10", NULL, STIRMLS_R_OK, 0},
    {"unsorted overlapping parent ranges", "r:1050:50 r:1000:60", "r:1000:100", NULL, STIRMLS_R_OK, 0},
    {"leading zero changes the length", "r:990:10", "o:0995", NULL, STIRMLS_R_DELEGATION_NOT_ENCOMPASSED, 0},
    {"child range clipped at 999 (no carry)", "r:990:10", "r:995:100", NULL, STIRMLS_R_OK, 0},
    {"one equals one", "o:12155551212", "o:12155551212", NULL, STIRMLS_R_OK, 0},
    {"one with * equals one", "o:*67", "o:*67", NULL, STIRMLS_R_OK, 0},
    {"one with * not in parent", "r:100:100", "o:1*0", NULL, STIRMLS_R_DELEGATION_NOT_ENCOMPASSED, 0},
    {"same spc", "s:709J", "s:709J", NULL, STIRMLS_R_OK, 0},
    {"different spc (DLG-03)", "s:709J", "s:999X", NULL, STIRMLS_R_DELEGATION_NOT_ENCOMPASSED, 0},
    {"spc is case-sensitive", "s:709J", "s:709j", NULL, STIRMLS_R_DELEGATION_NOT_ENCOMPASSED, 0},
    {"spc child under a TN parent", "r:1000:10", "s:709J", NULL, STIRMLS_R_DELEGATION_NOT_ENCOMPASSED, 0},
    {"TN child under an SPC-only parent", "s:709J", "o:12155550123", NULL, STIRMLS_R_DELEGATION_SPC_PARENT, 0},
    {"TN child under a trusted SPC parent", "s:709J", "o:12155550123", "709J", STIRMLS_R_OK, 1},
    {"TN child under an SPC parent, other SPC trusted", "s:709J", "r:1000:10", "123X",
     STIRMLS_R_DELEGATION_SPC_PARENT, 0},
    {"TN child under mixed parent, not covered", "s:709J r:1000:10", "o:2000", "709J",
     STIRMLS_R_DELEGATION_NOT_ENCOMPASSED, 0},
};

START_TEST(encompass_table)
{
    const struct enc_case *c = &encs[_i];
    stirmls_tnauthlist *I = list_of(c->issuer), *S = list_of(c->subject);
    const char *spc[1] = {c->trusted};
    stirmls_spc_trust trust = {spc, c->trusted ? 1 : 0};
    int asserted = 0;
    stirmls_reason rc = stirmls_tnauthlist_encompasses(I, S, &trust, &asserted);
    ck_assert_msg(rc == c->want, "%s: got %s", c->name, stirmls_reason_name(rc));
    ck_assert_int_eq(asserted, c->asserted);
    stirmls_tnauthlist_free(I);
    stirmls_tnauthlist_free(S);
}
END_TEST

START_TEST(add_rejects_like_the_decoder)
{
    stirmls_tnauthlist *l = stirmls_tnauthlist_new();
    ck_assert_int_eq(stirmls_tnauthlist_add(l, STIRMLS_TNA_ONE, "1234567890123456", 0), STIRMLS_R_TNAUTH_BAD_TN);
    ck_assert_int_eq(stirmls_tnauthlist_add(l, STIRMLS_TNA_RANGE, "100", 1), STIRMLS_R_TNAUTH_RANGE_COUNT);
    ck_assert_int_eq(stirmls_tnauthlist_add(l, STIRMLS_TNA_SPC, "", 0), STIRMLS_R_TNAUTH_BAD_SPC);
    stirmls_buf b;
    stirmls_buf_init(&b);
    ck_assert_int_eq(stirmls_tnauthlist_encode(l, &b), STIRMLS_R_TNAUTH_EMPTY);
    stirmls_buf_cleanup(&b);
    stirmls_tnauthlist_free(l);
}
END_TEST

Suite *tnauthlist_suite(void);
Suite *tnauthlist_suite(void)
{
    Suite *s = suite_create("tnauthlist");
    TCase *tc = tcase_create("codec");
    tcase_add_loop_test(tc, known_answers, 0, sizeof kats / sizeof kats[0]);
    tcase_add_loop_test(tc, strict_rejections, 0, sizeof negs / sizeof negs[0]);
    tcase_add_test(tc, range_extension_marker_skipped);
    tcase_add_test(tc, truncation_sweep_and_trailing_byte);
    tcase_add_test(tc, add_rejects_like_the_decoder);
    suite_add_tcase(s, tc);
    tc = tcase_create("coverage");
    tcase_add_loop_test(tc, coverage_table, 0, sizeof covers / sizeof covers[0]);
    tcase_add_loop_test(tc, encompass_table, 0, sizeof encs / sizeof encs[0]);
    suite_add_tcase(s, tc);
    return s;
}
