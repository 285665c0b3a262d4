/* passport_time_test.c: validity windows at every boundary, +-1 s, both profiles (EXP-02..04,
 * RFC 8224 freshness). Bounds are inclusive: the first and the last valid second are accepted. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/passport_fixture.h"

#define T 1700000000ULL
#define DAY7 604800ULL
#define NONE UINT64_MAX

struct time_case {
    const char *name;
    int flags;          /* PF_SIP for the SIP profile */
    uint64_t exp;       /* 0: no exp claim */
    uint64_t not_after; /* signer notAfter, NONE when unknown */
    uint64_t at;
    stirmls_reason want;
    uint64_t until; /* expected valid_until when accepted */
};

static const struct time_case cases[] = {
    /* MLS: [iat - 300, min(exp, iat + 7 d, notAfter)] */
    {"mls at iat", 0, 0, NONE, T, STIRMLS_R_OK, T + DAY7},
    {"mls first second (iat-skew)", 0, 0, NONE, T - 300, STIRMLS_R_OK, T + DAY7},
    {"mls one before (iat-skew-1)", 0, 0, NONE, T - 301, STIRMLS_R_PPT_IAT_FUTURE, 0},
    {"mls iat one hour ahead", 0, 0, NONE, T - 3600, STIRMLS_R_PPT_IAT_FUTURE, 0},
    {"mls last second (iat+max_age)", 0, 0, NONE, T + DAY7, STIRMLS_R_OK, T + DAY7},
    {"mls max_age+1", 0, 0, NONE, T + DAY7 + 1, STIRMLS_R_PPT_STALE, 0},
    {"mls exp-1", 0, T + 3600, NONE, T + 3599, STIRMLS_R_OK, T + 3600},
    {"mls at exp", 0, T + 3600, NONE, T + 3600, STIRMLS_R_OK, T + 3600},
    {"mls exp+1", 0, T + 3600, NONE, T + 3601, STIRMLS_R_PPT_EXPIRED, 0},
    {"mls exp beyond max_age", 0, T + 2 * DAY7, NONE, T + DAY7 + 1, STIRMLS_R_PPT_STALE, 0},
    {"mls notAfter-1", 0, 0, T + 7200, T + 7199, STIRMLS_R_OK, T + 7200},
    {"mls at notAfter", 0, 0, T + 7200, T + 7200, STIRMLS_R_OK, T + 7200},
    {"mls notAfter+1", 0, 0, T + 7200, T + 7201, STIRMLS_R_PPT_SIGNER_EXPIRED, 0},
    {"mls notAfter before exp", 0, T + 9000, T + 7200, T + 7201, STIRMLS_R_PPT_SIGNER_EXPIRED, 0},
    {"mls exp before notAfter", 0, T + 7000, T + 7200, T + 7001, STIRMLS_R_PPT_EXPIRED, 0},
    {"mls tie exp=notAfter -> EXPIRED", 0, T + 7200, T + 7200, T + 7201, STIRMLS_R_PPT_EXPIRED, 0},
    {"mls notAfter before iat", 0, 0, T - 1, T, STIRMLS_R_PPT_SIGNER_EXPIRED, 0},
    {"mls iat ahead beats expiry", 0, 0, T - 500, T - 400, STIRMLS_R_PPT_IAT_FUTURE, 0},
    /* SIP: [iat - 60, iat + 60], capped by exp and notAfter when present */
    {"sip at iat", PF_SIP, 0, NONE, T, STIRMLS_R_OK, T + 60},
    {"sip iat-60", PF_SIP, 0, NONE, T - 60, STIRMLS_R_OK, T + 60},
    {"sip iat-61", PF_SIP, 0, NONE, T - 61, STIRMLS_R_PPT_IAT_FUTURE, 0},
    {"sip iat+60", PF_SIP, 0, NONE, T + 60, STIRMLS_R_OK, T + 60},
    {"sip iat+61", PF_SIP, 0, NONE, T + 61, STIRMLS_R_PPT_STALE, 0},
    {"sip exp-1", PF_SIP, T + 30, NONE, T + 29, STIRMLS_R_OK, T + 30},
    {"sip at exp", PF_SIP, T + 30, NONE, T + 30, STIRMLS_R_OK, T + 30},
    {"sip exp+1", PF_SIP, T + 30, NONE, T + 31, STIRMLS_R_PPT_EXPIRED, 0},
    {"sip notAfter-1", PF_SIP, 0, T + 10, T + 9, STIRMLS_R_OK, T + 10},
    {"sip at notAfter", PF_SIP, 0, T + 10, T + 10, STIRMLS_R_OK, T + 10},
    {"sip notAfter+1", PF_SIP, 0, T + 10, T + 11, STIRMLS_R_PPT_SIGNER_EXPIRED, 0},
};

START_TEST(window_table)
{
    const struct time_case *c = &cases[_i];
    char claims[512];
    if (c->exp)
        snprintf(claims, sizeof claims, "{" PF_D ",\"exp\":%llu,\"iat\":%llu," PF_M "," PF_O "}",
                 (unsigned long long)c->exp, T);
    else
        snprintf(claims, sizeof claims, "{" PF_D ",\"iat\":%llu," PF_M "," PF_O "}", T);
    char *tok = pf_token(PF_H0, claims);
    stirmls_ppt_result res = {0, 0};
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason rc = pf_verify(tok, c->flags, c->at, c->not_after, &res, &d);
    ck_assert_msg(rc == c->want, "%s: got %s (%s)", c->name, stirmls_reason_name(rc), d.text);
    if (rc == STIRMLS_R_OK)
        ck_assert_uint_eq(res.valid_until, c->until);
    free(tok);
}
END_TEST

/* Policy values other than the defaults, and saturation at the ends of the clock. */
START_TEST(custom_policy_and_saturation)
{
    stirmls_ppt_policy pol;
    stirmls_passport *p = NULL;
    stirmls_ppt_result res;
    stirmls_ppt_policy_init(&pol);
    char *tok = pf_token(PF_H0, "{" PF_D ",\"iat\":0," PF_M "," PF_O "}");
    ck_assert_int_eq(stirmls_passport_parse(tok, strlen(tok), &pol, &p, NULL), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_passport_check_time(p, &pol, 0, NONE, &res, NULL), STIRMLS_R_OK);
    ck_assert_uint_eq(res.valid_from, 0);
    pol.max_age = 10;
    pol.skew = 0;
    ck_assert_int_eq(stirmls_passport_check_time(p, &pol, 10, NONE, &res, NULL), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_passport_check_time(p, &pol, 11, NONE, NULL, NULL), STIRMLS_R_PPT_STALE);
    pol.max_age = UINT64_MAX;
    ck_assert_int_eq(stirmls_passport_check_time(p, &pol, UINT64_MAX, NONE, &res, NULL), STIRMLS_R_OK);
    ck_assert_uint_eq(res.valid_until, UINT64_MAX);
    stirmls_passport_free(p);
    free(tok);
}
END_TEST

Suite *passport_time_suite(void);
Suite *passport_time_suite(void)
{
    Suite *s = suite_create("passport_time");
    TCase *tc = tcase_create("windows");
    tcase_add_loop_test(tc, window_table, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, custom_policy_and_saturation);
    suite_add_tcase(s, tc);
    return s;
}
