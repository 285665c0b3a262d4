/* identity_test.c: the SIP Identity header value around a PASSporT (RFC 8224 §4.1): splitting
 * and the info/alg/ppt parameters against the PASSporT header. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/passport_fixture.h"

#define X5U "https://cert.example.org/passport.pem"

struct id_case {
    const char *name;
    const char *params; /* appended to a shaken token signed with x5u X5U */
    stirmls_reason want;
};

static const struct id_case id_cases[] = {
    {"token alone", "", STIRMLS_R_OK},
    {"full form", ";info=<" X5U ">;alg=ES256;ppt=shaken", STIRMLS_R_OK},
    {"quoted ppt", ";info=<" X5U ">;ppt=\"shaken\"", STIRMLS_R_OK},
    {"extension parameter ignored", ";info=<" X5U ">;foo=bar", STIRMLS_R_OK},
    {"info differs", ";info=<https://other.example/c.pem>;alg=ES256;ppt=shaken", STIRMLS_R_PPT_INFO_MISMATCH},
    {"info without brackets", ";info=" X5U, STIRMLS_R_PPT_MALFORMED},
    {"info repeated", ";info=<" X5U ">;info=<" X5U ">", STIRMLS_R_PPT_MALFORMED},
    {"parameter without value", ";info=<" X5U ">;alg", STIRMLS_R_PPT_MALFORMED},
    {"empty value", ";alg=", STIRMLS_R_PPT_MALFORMED},
    {"trailing semicolon", ";info=<" X5U ">;", STIRMLS_R_PPT_MALFORMED},
    {"alg RS256", ";info=<" X5U ">;alg=RS256", STIRMLS_R_PPT_IDENTITY_PARAM},
    {"ppt rcd vs shaken", ";info=<" X5U ">;ppt=rcd", STIRMLS_R_PPT_IDENTITY_PARAM},
};

START_TEST(identity_table)
{
    const struct id_case *c = &id_cases[_i];
    char *tok = pf_token("{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"" X5U "\"}",
                         "{\"attest\":\"A\"," PF_D "," PF_I "," PF_O
                         ",\"origid\":\"123e4567-e89b-12d3-a456-426655440000\"}");
    char value[2048];
    snprintf(value, sizeof value, "%s%s", tok, c->params);
    stirmls_identity_params ip;
    stirmls_ppt_policy pol;
    stirmls_passport *p = NULL;
    stirmls_ppt_policy_init(&pol);
    pol.profile = STIRMLS_PPT_PROFILE_SIP;
    stirmls_reason rc = stirmls_identity_split(value, strlen(value), &ip, NULL);
    if (rc == STIRMLS_R_OK) {
        ck_assert_uint_eq(ip.token.len, strlen(tok));
        ck_assert_int_eq(stirmls_passport_parse((const char *)ip.token.ptr, ip.token.len, &pol, &p, NULL),
                         STIRMLS_R_OK);
        rc = stirmls_identity_check(&ip, p, NULL);
    }
    ck_assert_msg(rc == c->want, "%s: got %s", c->name, stirmls_reason_name(rc));
    stirmls_passport_free(p);
    free(tok);
}
END_TEST

START_TEST(identity_empty_token)
{
    stirmls_identity_params ip;
    ck_assert_int_eq(stirmls_identity_split(";info=<https://a/b>", 19, &ip, NULL), STIRMLS_R_PPT_MALFORMED);
    ck_assert_int_eq(stirmls_identity_split("", 0, &ip, NULL), STIRMLS_R_PPT_MALFORMED);
}
END_TEST

Suite *identity_suite(void);
Suite *identity_suite(void)
{
    Suite *s = suite_create("identity");
    TCase *tc = tcase_create("sip_identity");
    tcase_add_loop_test(tc, identity_table, 0, sizeof id_cases / sizeof id_cases[0]);
    tcase_add_test(tc, identity_empty_token);
    suite_add_tcase(s, tc);
    return s;
}
