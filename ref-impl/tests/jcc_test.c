/* jcc_test.c: JWTClaimConstraints (RFC 8226) and EnhancedJWTClaimConstraints (RFC 9118) decoding:
 * a known encoding, round trip, strict rejections, truncation sweep and trailing byte. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/testlib.h"

/* Enhanced: mustInclude ["orig"], permittedValues {"ppt": ["shaken"]}, mustExclude ["mky"]. */
static const char full_hex[] = "3028"
                               "A008" "3006" "16046F726967"
                               "A113" "3011" "300F" "1603707074" "3008" "0C067368616B656E"
                               "A207" "3005" "16036D6B79";

START_TEST(known_encoding_round_trip)
{
    size_t len;
    uint8_t *b = tl_hex(full_hex, &len);
    stirmls_jcc *j = NULL;
    ck_assert_int_eq(stirmls_jcc_decode(b, len, 1, &j, NULL), STIRMLS_R_OK);
    ck_assert(j->n_include == 1 && j->n_permitted == 1 && j->n_exclude == 1);
    ck_assert_str_eq(j->must_include[0], "orig");
    ck_assert_str_eq(j->permitted[0].claim, "ppt");
    ck_assert(j->permitted[0].n == 1);
    ck_assert_str_eq(j->permitted[0].values[0], "shaken");
    ck_assert_str_eq(j->must_exclude[0], "mky");
    stirmls_buf out;
    stirmls_buf_init(&out);
    ck_assert_int_eq(stirmls_jcc_encode(j, &out), STIRMLS_R_OK);
    ck_assert(out.len == len && memcmp(out.ptr, b, len) == 0);
    stirmls_buf_cleanup(&out);
    stirmls_jcc_free(j);
    /* the same bytes are not a valid RFC 8226 extension: mustExclude [2] does not exist there */
    ck_assert_int_eq(stirmls_jcc_decode(b, len, 0, &j, NULL), STIRMLS_R_CERT_JCC_INVALID);
    free(b);
}
END_TEST

struct neg {
    const char *name, *hex;
    int enhanced;
    const char *why; /* the underlying reason named in the detail text */
};

static const struct neg negs[] = {
    {"no field", "3000", 1, "DER_MALFORMED"},
    {"implicit [0]", "3007" "8005" "16036D6B79", 1, "DER_MALFORMED"},
    {"fields out of order", "3012" "A207" "3005" "16036D6B79" "A007" "3005" "16036D6B79", 1, "DER_MALFORMED"},
    {"repeated field", "3012" "A007" "3005" "16036D6B79" "A007" "3005" "16036D6B79", 1, "DER_MALFORMED"},
    {"empty mustInclude", "3004" "A002" "3000", 0, "DER_MALFORMED"},
    {"claim name as UTF8String", "3009" "A007" "3005" "0C036D6B79", 0, "DER_MALFORMED"},
    {"empty claim name", "3006" "A004" "3002" "1600", 0, "DER_MALFORMED"},
    {"permitted value as IA5String", "300F" "A10D" "300B" "3009" "1603707074" "3002" "1600", 0, "DER_MALFORMED"},
    {"permitted with no values", "300D" "A10B" "3009" "3007" "1603707074" "3000", 0, "DER_MALFORMED"},
    {"trailing bytes after", "3009" "A007" "3005" "16036D6B79" "00", 0, "TRAILING_BYTES"},
    {"trailing bytes inside [0]", "300B" "A009" "3005" "16036D6B79" "0500", 0, "TRAILING_BYTES"},
    {"indefinite length", "3080" "A007" "3005" "16036D6B79" "0000", 0, "DER_NONCANONICAL"},
};

START_TEST(strict_rejections)
{
    const struct neg *c = &negs[_i];
    size_t len;
    uint8_t *b = tl_hex(c->hex, &len);
    stirmls_jcc *j = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason rc = stirmls_jcc_decode(b, len, c->enhanced, &j, &d);
    ck_assert_msg(rc == STIRMLS_R_CERT_JCC_INVALID, "%s: got %s", c->name, stirmls_reason_name(rc));
    ck_assert_msg(strstr(d.text, c->why) != NULL, "%s: detail '%s' lacks %s", c->name, d.text, c->why);
    ck_assert(j == NULL);
    free(b);
}
END_TEST

START_TEST(truncation_sweep_and_trailing_byte)
{
    size_t len;
    uint8_t *b = tl_hex(full_hex, &len);
    for (size_t n = 0; n < len; n++) {
        stirmls_jcc *j = NULL;
        stirmls_detail d;
        stirmls_detail_init(&d);
        ck_assert_int_eq(stirmls_jcc_decode(b, n, 1, &j, &d), STIRMLS_R_CERT_JCC_INVALID);
        ck_assert_msg(strstr(d.text, "TRUNCATED") != NULL, "prefix %zu: %s", n, d.text);
    }
    uint8_t *t = malloc(len + 1);
    memcpy(t, b, len);
    t[len] = 0;
    stirmls_jcc *j = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    ck_assert_int_eq(stirmls_jcc_decode(t, len + 1, 1, &j, &d), STIRMLS_R_CERT_JCC_INVALID);
    ck_assert(strstr(d.text, "TRAILING_BYTES") != NULL);
    free(t);
    free(b);
}
END_TEST

Suite *jcc_suite(void);
Suite *jcc_suite(void)
{
    Suite *s = suite_create("jcc");
    TCase *tc = tcase_create("decode");
    tcase_add_test(tc, known_encoding_round_trip);
    tcase_add_loop_test(tc, strict_rejections, 0, sizeof negs / sizeof negs[0]);
    tcase_add_test(tc, truncation_sweep_and_trailing_byte);
    suite_add_tcase(s, tc);
    return s;
}
