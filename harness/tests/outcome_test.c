/* outcome_test.c: hx_score against the outcome members a case states (score.c): a value reported
 * differently is a FAIL, an omitted one is "not checked" unless --strict-outcome. */
#include "harness.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    const char *expect_verdict, *expect_reason; /* the case */
    const char *outcome;                        /* its outcome members (JSON) or NULL */
    const char *result;                         /* the implementation's verify result */
    bool strict;
    hx_verdict want;
    const char *note; /* a substring the note must hold, or "" for no note */
} oc_row;

#define ID3 "[{\"type\":\"tn\",\"value\":\"1\",\"assurance\":\"tn-authorized\"}," \
            "{\"type\":\"tn\",\"value\":\"2\",\"assurance\":\"tn-authorized\"}," \
            "{\"type\":\"range\",\"value\":\"3/10\",\"assurance\":\"tn-authorized\"}]"

static const oc_row oc_rows[] = {
    {"ids_equal", "accept", NULL, "{\"identities\":" ID3 "}",
     "{\"verdict\":\"accept\",\"identities\":" ID3 "}", true, HX_PASS, ""},
    /* a set: the order of the reported identities does not matter */
    {"ids_other_order", "accept", NULL, "{\"identities\":" ID3 "}",
     "{\"verdict\":\"accept\",\"identities\":[{\"type\":\"range\",\"value\":\"3/10\",\"assurance\":\"tn-authorized\"},"
     "{\"type\":\"tn\",\"value\":\"2\",\"assurance\":\"tn-authorized\"},{\"type\":\"tn\",\"value\":\"1\",\"assurance\":\"tn-authorized\"}]}",
     true, HX_PASS, ""},
    {"ids_first_only", "accept", NULL, "{\"identities\":" ID3 "}",
     "{\"verdict\":\"accept\",\"identities\":[{\"type\":\"tn\",\"value\":\"1\",\"assurance\":\"tn-authorized\"}]}", false,
     HX_FAIL, "wrong outcome: identities: expected"},
    {"ids_extra", "accept", NULL, "{\"identities\":[{\"type\":\"tn\",\"value\":\"1\"}]}",
     "{\"verdict\":\"accept\",\"identities\":[{\"type\":\"tn\",\"value\":\"1\"},{\"type\":\"tn\",\"value\":\"9\"}]}", false,
     HX_FAIL, "identities"},
    {"ids_repeated_not_a_match", "accept", NULL,
     "{\"identities\":[{\"type\":\"tn\",\"value\":\"1\"},{\"type\":\"tn\",\"value\":\"2\"}]}",
     "{\"verdict\":\"accept\",\"identities\":[{\"type\":\"tn\",\"value\":\"1\"},{\"type\":\"tn\",\"value\":\"1\"}]}", false,
     HX_FAIL, "identities"},
    {"ids_wrong_type", "accept", NULL, "{\"identities\":[{\"type\":\"tn\",\"value\":\"1\"}]}",
     "{\"verdict\":\"accept\",\"identities\":[{\"type\":\"spc\",\"value\":\"1\"}]}", false, HX_FAIL, "identities"},
    /* an empty list on accept is a reported value (no identity presented), not an omission */
    {"ids_empty_reported", "accept", NULL, "{\"identities\":[{\"type\":\"tn\",\"value\":\"1\"}]}",
     "{\"verdict\":\"accept\",\"identities\":[]}", false, HX_FAIL, "reported []"},
    {"ids_wrong_assurance", "accept", NULL,
     "{\"identities\":[{\"type\":\"tn\",\"value\":\"1\",\"assurance\":\"carrier-asserted\"}]}",
     "{\"verdict\":\"accept\",\"identities\":[{\"type\":\"tn\",\"value\":\"1\",\"assurance\":\"tn-authorized\"}]}", false,
     HX_FAIL, "identities"},
    /* the assurance of an identity omitted: not checked, unless strict */
    {"ids_assurance_omitted", "accept", NULL,
     "{\"identities\":[{\"type\":\"tn\",\"value\":\"1\",\"assurance\":\"tn-authorized\"}]}",
     "{\"verdict\":\"accept\",\"identities\":[{\"type\":\"tn\",\"value\":\"1\"}]}", false, HX_PASS,
     "outcome not checked (not reported): identities (an identity's assurance)"},
    {"ids_assurance_omitted_strict", "accept", NULL,
     "{\"identities\":[{\"type\":\"tn\",\"value\":\"1\",\"assurance\":\"tn-authorized\"}]}",
     "{\"verdict\":\"accept\",\"identities\":[{\"type\":\"tn\",\"value\":\"1\"}]}", true, HX_FAIL,
     "outcome not reported (--strict-outcome)"},
    {"ids_omitted", "accept", NULL, "{\"identities\":[{\"type\":\"tn\",\"value\":\"1\"}]}", "{\"verdict\":\"accept\"}",
     false, HX_PASS, "outcome not checked (not reported): identities"},
    {"not_after_wrong", "accept", NULL, "{\"not_after\":1798761600}",
     "{\"verdict\":\"accept\",\"not_after\":1798761599}", false, HX_FAIL, "not_after: expected 1798761600, reported 1798761599"},
    {"rcd_equal_any_member_order", "accept", NULL, "{\"rcd\":{\"nam\":\"A\",\"jcl\":\"u\"}}",
     "{\"verdict\":\"accept\",\"rcd\":{\"jcl\":\"u\",\"nam\":\"A\"}}", true, HX_PASS, ""},
    {"rcd_omitted_strict", "accept", NULL, "{\"rcd\":{\"nam\":\"A\"}}", "{\"verdict\":\"accept\"}", true, HX_FAIL,
     "outcome not reported (--strict-outcome): rcd"},
    {"attest_null", "accept", NULL, "{\"attest\":null}", "{\"verdict\":\"accept\",\"attest\":null}", true, HX_PASS, ""},
    {"attest_wrong", "accept", NULL, "{\"attest\":null}", "{\"verdict\":\"accept\",\"attest\":\"A\"}", true, HX_FAIL,
     "attest"},
    {"certificate_equal", "reject", "CERT_EXPIRED", "{\"certificate\":1}",
     "{\"verdict\":\"reject\",\"reason\":\"CERT_EXPIRED\",\"certificate\":1}", true, HX_PASS, ""},
    {"certificate_wrong", "reject", "CERT_EXPIRED", "{\"certificate\":1}",
     "{\"verdict\":\"reject\",\"reason\":\"CERT_EXPIRED\",\"certificate\":0}", false, HX_FAIL,
     "certificate: expected 1, reported 0"},
    {"certificate_omitted", "reject", "CERT_EXPIRED", "{\"certificate\":1}",
     "{\"verdict\":\"reject\",\"reason\":\"CERT_EXPIRED\"}", false, HX_PASS, "not checked (not reported): certificate"},
    {"certificate_omitted_strict", "reject", "CERT_EXPIRED", "{\"certificate\":1}",
     "{\"verdict\":\"reject\",\"reason\":\"CERT_EXPIRED\"}", true, HX_FAIL, "certificate"},
    /* another reason: the outcome of a different failure is not compared */
    {"other_reason_not_compared", "reject", "CERT_EXPIRED", "{\"certificate\":1}",
     "{\"verdict\":\"reject\",\"reason\":\"CERT_UNTRUSTED\",\"certificate\":0}", true, HX_PASS_OTHER_REASON, ""},
    /* the wrong verdict stays FAIL, with no outcome note */
    {"wrong_verdict", "accept", NULL, "{\"not_after\":5}", "{\"verdict\":\"reject\",\"reason\":\"CERT_EXPIRED\"}", true,
     HX_FAIL, ""},
    {"no_outcome_stated", "accept", NULL, NULL, "{\"verdict\":\"accept\",\"identities\":[]}", true, HX_PASS, ""},
};

START_TEST(outcome_score)
{
    const oc_row *r = &oc_rows[_i];
    hx_case c;
    memset(&c, 0, sizeof c);
    c.id = "family/case";
    c.expect_verdict = r->expect_verdict;
    c.expect_reason = r->expect_reason;
    c.expect_outcome = r->outcome;
    json_t *res = json_loads(r->result, 0, NULL);
    ck_assert_msg(res != NULL, "%s: result JSON", r->name);
    hx_outcome o = {.status = HX_CALL_RESULT,
                    .observed = json_string_value(json_object_get(res, "verdict")),
                    .reason = json_string_value(json_object_get(res, "reason")),
                    .result = res,
                    .strict_outcome = r->strict};
    char *note = NULL;
    hx_verdict v = hx_score(&c, NULL, &o, true, &note);
    ck_assert_msg(v == r->want, "%s: verdict %s, want %s (note: %s)", r->name, hx_verdict_name(v),
                  hx_verdict_name(r->want), note ? note : "");
    if (*r->note)
        ck_assert_msg(note && strstr(note, r->note), "%s: note '%s' lacks '%s'", r->name, note ? note : "",
                      r->note);
    else
        ck_assert_msg(note == NULL || *note == 0, "%s: unexpected note '%s'", r->name, note);
    free(note);
    json_decref(res);
}
END_TEST

Suite *outcome_suite(void);
Suite *outcome_suite(void)
{
    Suite *s = suite_create("harness-outcome");
    TCase *tc = tcase_create("score");
    tcase_add_loop_test(tc, outcome_score, 0, (int)(sizeof oc_rows / sizeof oc_rows[0]));
    suite_add_tcase(s, tc);
    return s;
}
