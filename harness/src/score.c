/*
 * score.c: turns what an implementation answered into a verdict.
 *
 *   expected accept               accept -> PASS              reject -> FAIL
 *   expected reject R             reject R -> PASS            reject other -> PASS_OTHER_REASON
 *                                 accept -> FAIL
 *   expected either F             policy F in the expectation file says accept or reject and it
 *                                 is scored as above (reason not compared); no policy: both PASS
 *   error "unimplemented"         UNSUPPORTED; other errors (bad_request, internal) -> FAIL
 *   timeout / crash / protocol    TIMEOUT / CRASH / PROTOCOL_ERROR
 * Then an xfail entry turns PASS into XPASS and any other outcome into XFAIL, unless the entry
 * names an expect_reason the observed reason does not match (the raw verdict stands, and the note
 * says the entry was considered and why it did not apply).
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static const char *policy_for(const hx_case *c, const hx_expectations *e)
{
    if (!c->expect_flag || !e)
        return NULL;
    return json_string_value(json_object_get(e->policy, c->expect_flag));
}

json_t *hx_expected(const hx_case *c, const hx_expectations *e)
{
    json_t *x = json_object();
    json_object_set_new(x, "verdict", json_string(c->expect_verdict ? c->expect_verdict : ""));
    if (c->expect_reason)
        json_object_set_new(x, "reason", json_string(c->expect_reason));
    if (c->expect_flag) {
        json_object_set_new(x, "flag", json_string(c->expect_flag));
        const char *p = policy_for(c, e);
        json_object_set_new(x, "policy", p ? json_string(p) : json_null());
    }
    return x;
}

hx_verdict hx_score_raw(const hx_case *c, const hx_expectations *e, const hx_outcome *o)
{
    switch (o->status) {
    case HX_CALL_TIMEOUT: return HX_TIMEOUT;
    case HX_CALL_CRASH: return HX_CRASH;
    case HX_CALL_PROTOCOL: return HX_PROTOCOL_ERROR;
    case HX_CALL_ERROR:
        return (o->err_code && strcmp(o->err_code, "unimplemented") == 0) ? HX_UNSUPPORTED : HX_FAIL;
    case HX_CALL_RESULT: break;
    }
    const char *want = c->expect_verdict;
    bool compare_reason = true;
    if (want && strcmp(want, "either") == 0) {
        want = policy_for(c, e);
        if (!want)
            return HX_PASS;
        compare_reason = false;
    }
    if (!want || !o->observed || strcmp(want, o->observed) != 0)
        return HX_FAIL;
    if (strcmp(want, "reject") == 0 && compare_reason && c->expect_reason &&
        strcmp(c->expect_reason, o->reason ? o->reason : "") != 0)
        return HX_PASS_OTHER_REASON;
    return HX_PASS;
}

void hx_append_note(char **s, char *text)
{
    if (!text)
        return;
    if (*s && **s) {
        char *both = hx_printf("%s; %s", *s, text);
        free(text);
        text = both;
    }
    free(*s);
    *s = text;
}

hx_verdict hx_apply_xfail(const hx_case *c, const hx_expectations *e, hx_verdict v,
                          const char *observed_reason, char **note)
{
    hx_exp_entry *x = hx_expectations_xfail((hx_expectations *)e, c->id);
    if (!x || v == HX_UNSUPPORTED || v == HX_SKIP)
        return v;
    char *entry = hx_printf("xfail entry '%s' (%s)", x->pattern, x->reason);
    hx_verdict out = HX_XFAIL;
    char *text = NULL;
    if (v == HX_PASS) {
        out = HX_XPASS;
        text = hx_printf("%s: the case passes now; remove the entry", entry);
    } else if (x->expect_reason && strcmp(x->expect_reason, observed_reason ? observed_reason : "") != 0) {
        out = v;
        text = hx_printf("%s considered, not applied: it expects reason %s, the observed reason is %s",
                         entry, x->expect_reason,
                         observed_reason && *observed_reason ? observed_reason : "none");
    }
    free(entry);
    if (note)
        hx_append_note(note, text);
    else
        free(text);
    return out;
}

hx_verdict hx_score(const hx_case *c, const hx_expectations *e, const hx_outcome *o,
                    bool strict_reasons, char **note)
{
    (void)strict_reasons; /* strictness decides what counts as expected, not the verdict */
    return hx_apply_xfail(c, e, hx_score_raw(c, e, o), o->reason, note);
}
