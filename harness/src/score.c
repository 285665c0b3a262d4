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
 * A PASS is then checked against the outcome members the case states (hx_score_outcome): one
 * reported with another value is a FAIL; one not reported is noted as not checked, and is a FAIL
 * with --strict-outcome.
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

/* ---- the outcome members ---------------------------------------------------------------------- */

static char *short_json(const json_t *v)
{
    char *t = v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY | JSON_ENSURE_ASCII) : NULL;
    char *out = hx_printf("%.200s%s", t ? t : "(none)", t && strlen(t) > 200 ? "..." : "");
    free(t);
    return out;
}

/* Does the reported identity r stand for the expected e? 1 yes, 0 no, -1 yes but r omits the
 * assurance e states. */
static int identity_match(const json_t *e, const json_t *r)
{
    if (!json_is_object(r) || !json_equal(json_object_get(e, "type"), json_object_get(r, "type")) ||
        !json_equal(json_object_get(e, "value"), json_object_get(r, "value")))
        return 0;
    json_t *ea = json_object_get(e, "assurance"), *ra = json_object_get(r, "assurance");
    if (!ea)
        return 1;
    if (!ra)
        return -1;
    return json_equal(ea, ra) ? 1 : 0;
}

/* identities are a set: each expected one reported once, nothing else. 1 equal, 0 not, -1 equal
 * but an assurance omitted. */
static int identities_match(const json_t *want, const json_t *got)
{
    size_t n = json_array_size(want);
    if (!json_is_array(got) || json_array_size(got) != n)
        return 0;
    bool used[64] = {false};
    if (n > 64)
        return 0;
    int res = 1;
    for (size_t i = 0; i < n; i++) {
        int found = 0;
        for (size_t j = 0; j < n && !found; j++) {
            if (used[j])
                continue;
            int m = identity_match(json_array_get(want, i), json_array_get(got, j));
            if (m != 0) {
                used[j] = true;
                found = m;
            }
        }
        if (!found)
            return 0;
        if (found < 0)
            res = -1;
    }
    return res;
}

hx_verdict hx_score_outcome(const hx_case *c, const hx_outcome *o, char **note)
{
    json_t *want = c->expect_outcome ? json_loads(c->expect_outcome, 0, NULL) : NULL;
    if (!want)
        return HX_PASS;
    char *wrong = NULL, *omitted = NULL;
    const char *k;
    json_t *w;
    json_object_foreach(want, k, w) {
        json_t *got = json_object_get(o->result, k);
        int m = !got ? -1 : strcmp(k, "identities") == 0 ? identities_match(w, got) : json_equal(w, got);
        if (m == 0) {
            char *ws = short_json(w), *gs = short_json(got);
            hx_append_note(&wrong, hx_printf("%s: expected %s, reported %s", k, ws, gs));
            free(ws), free(gs);
        } else if (m < 0) {
            hx_append_note(&omitted, hx_printf("%s%s", k, got ? " (an identity's assurance)" : ""));
        }
    }
    json_decref(want);
    hx_verdict v = HX_PASS;
    if (wrong) {
        v = HX_FAIL;
        hx_append_note(note, hx_printf("wrong outcome: %s", wrong));
    }
    if (omitted && o->strict_outcome) {
        v = HX_FAIL;
        hx_append_note(note, hx_printf("outcome not reported (--strict-outcome): %s", omitted));
    } else if (omitted) {
        hx_append_note(note, hx_printf("outcome not checked (not reported): %s", omitted));
    }
    free(wrong), free(omitted);
    return v;
}

hx_verdict hx_score(const hx_case *c, const hx_expectations *e, const hx_outcome *o,
                    bool strict_reasons, char **note)
{
    (void)strict_reasons; /* strictness decides what counts as expected, not the verdict */
    hx_verdict v = hx_score_raw(c, e, o);
    if (v == HX_PASS && o->status == HX_CALL_RESULT)
        v = hx_score_outcome(c, o, note);
    return hx_apply_xfail(c, e, v, o->reason, note);
}
