/*
 * generate.c: a generate case for one producer. The producer makes the artefact from the case's
 * params; every implementation of the run (the producer included) then verifies it with the case's
 * check, each answer scored against check.expect: one "matrix" journal record per verifier.
 * check.artifact_with names further fields of the producer's artefact that go into the verify input
 * beside artifact_field (a group_message needs the GroupInfo of its epoch from the same producer).
 * The producer's own result is PASS when every verifier's cell is as expected, FAIL otherwise
 * (the note names each verifier's verdict, observed verdict, reason and native text, or its error);
 * a producer that cannot generate gets that verdict.
 */
#include "harness.h"
#include "runner_int.h"

#include <stdlib.h>
#include <string.h>

/* The case as its verifiers see it: op verify, check's kind and expectation. */
static hx_case check_case(const hx_case *c)
{
    json_t *check = json_object_get(c->json, "check"), *exp = json_object_get(check, "expect");
    hx_case v = *c;
    v.op = "verify";
    v.kind = json_string_value(json_object_get(check, "kind"));
    v.expect_verdict = json_string_value(json_object_get(exp, "verdict"));
    v.expect_reason = json_string_value(json_object_get(exp, "reason"));
    v.expect_flag = json_string_value(json_object_get(exp, "flag"));
    return v;
}

static const char *artifact_field(const hx_case *c)
{
    const char *f = json_string_value(json_object_get(json_object_get(c->json, "check"), "artifact_field"));
    return f ? f : c->kind;
}

static json_t *cell_params(hx_runner *r, const hx_case *c, const hx_case *v, const char *field,
                           const char *artifact, json_t *with)
{
    json_t *check = json_object_get(c->json, "check");
    json_t *orig = json_object_get(check, "input"), *in = orig ? hx_request_input(r, c->id, orig) : NULL;
    json_t *input = in ? json_deep_copy(in) : json_object();
    json_decref(in);
    json_object_update(input, with);
    json_object_set_new(input, field, json_string(artifact));
    json_t *ta = json_object_get(c->json, "trust_anchors"), *pol = json_object_get(check, "policy");
    return json_pack("{s:s,s:s,s:O,s:o,s:o,s:o}", "case", c->id, "kind", v->kind ? v->kind : "",
                     "at", json_object_get(c->json, "at"), "trust_anchors",
                     ta ? json_incref(ta) : json_array(), "input", input,
                     "policy", pol ? json_incref(pol) : json_object());
}

static bool cell_ok(hx_verdict v)
{
    return v == HX_PASS || v == HX_PASS_OTHER_REASON || v == HX_UNSUPPORTED;
}

/* One verifier's answer as the producer's note names it: "NAME VERDICT (observed reject R: native)". */
static char *cell_text(const char *name, hx_verdict v, const json_t *res, const char *note)
{
    const char *obs = json_string_value(json_object_get(res, "verdict"));
    const char *reason = json_string_value(json_object_get(res, "reason"));
    const char *native = json_string_value(json_object_get(res, "native"));
    const char *code = json_string_value(json_object_get(res, "code"));
    const char *msg = json_string_value(json_object_get(res, "message"));
    if (obs)
        return hx_printf("%s %s (observed %s%s%s%s%s)", name, hx_verdict_name(v), obs,
                         reason && *reason ? " " : "", reason ? reason : "",
                         native && *native ? ": " : "", native ? native : "");
    if (code)
        return hx_printf("%s %s (error %s: %s)", name, hx_verdict_name(v), code, msg ? msg : "");
    return hx_printf("%s %s%s%s%s", name, hx_verdict_name(v), note && *note ? " (" : "",
                     note ? note : "", note && *note ? ")" : "");
}

/* Verifies the artefact with every implementation; *all names each verifier's answer (owned);
 * true when one of them disagreed with the check. */
static bool verify_everywhere(hx_runner *r, hx_impl *ims, const hx_item *it, const char *artifact,
                               json_t *with, char **all)
{
    const hx_case *c = it->c;
    hx_case v = check_case(c);
    const char *field = artifact_field(c);
    bool bad = false;
    for (size_t k = 0; k < r->cfg->nimpls; k++) {
        hx_item_out o = {.transcript = json_array()};
        json_t *params = cell_params(r, c, &v, field, artifact, with);
        size_t n = 0;
        char *text = hx_jw_dumps(params, HX_JW_ASCII, &n);
        hx_run_verify(r, &ims[k], &v, text, n, true, &o);
        free(text);
        json_decref(params);
        const char *obs = json_string_value(json_object_get(o.result, "verdict"));
        json_t *rec = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:O}", "type", "matrix",
                                "case", c->id, "implementation", r->cfg->impls[it->impl].name,
                                "producer", r->cfg->impls[it->impl].name, "verifier",
                                r->cfg->impls[k].name, "verdict", hx_verdict_name(o.verdict),
                                "reason", json_string_value(json_object_get(o.result, "reason")) ?: "",
                                "native", json_string_value(json_object_get(o.result, "native")) ?: "",
                                "note", o.note ? o.note : "", "transcript", o.transcript);
        json_object_set_new(rec, "observed", obs ? json_string(obs) : json_null());
        json_object_set_new(rec, "artifact", json_string(artifact));
        if (json_object_size(with) > 0)
            json_object_set(rec, "artifact_with", with);
        hx_journal_append(&r->journal, rec);
        json_decref(rec);
        char *said = cell_text(r->cfg->impls[k].name, o.verdict, o.result, o.note);
        bad = bad || !cell_ok(o.verdict);
        char *next = hx_printf("%s%s%s", *all ? *all : "", *all ? ", " : "", said);
        free(*all);
        *all = next;
        free(said);
        json_decref(o.result);
        json_decref(o.transcript);
        free(o.note);
    }
    return bad;
}

/* The artefact's check.artifact_with fields (a new object; NULL when one is not a string). */
static json_t *artifact_with(const hx_case *c, json_t *art, char **why)
{
    json_t *with = json_object(), *f;
    size_t i;
    json_array_foreach(json_object_get(json_object_get(c->json, "check"), "artifact_with"), i, f) {
        const char *name = json_string_value(f);
        json_t *val = json_object_get(art, name ? name : "");
        if (!json_is_string(val)) {
            *why = hx_printf("generate result: artifact.%s is not a string", name ? name : "?");
            json_decref(with);
            return NULL;
        }
        json_object_set(with, name, val);
    }
    return with;
}

/* The generate exchange; on success *artifact and *with are set (owned). */
static hx_verdict produce(hx_runner *r, hx_impl *im, const hx_case *c, hx_item_out *o, char **artifact,
                          json_t **with)
{
    char *why = NULL;
    hx_call_status st = hx_worker_ensure(r, im, o->transcript, &why);
    if (st == HX_CALL_RESULT && (o->note = hx_unsupported(c, im->hello))) {
        free(why);
        return HX_UNSUPPORTED;
    }
    json_t *payload = NULL;
    if (st == HX_CALL_RESULT) {
        free(why);
        why = NULL;
        st = hx_impl_call(im, "generate", json_object_get(c->json, "params"), r->cfg->timeout_ms,
                          o->transcript, &payload, &why);
    }
    const char *text = json_string_value(json_object_get(json_object_get(payload, "artifact"),
                                                         artifact_field(c)));
    if (st == HX_CALL_RESULT && !text)
        why = hx_printf("generate result: artifact.%s is not a string", artifact_field(c));
    else if (st == HX_CALL_RESULT)
        *with = artifact_with(c, json_object_get(payload, "artifact"), &why);
    if (st == HX_CALL_RESULT && (!text || !*with)) {
        st = HX_CALL_PROTOCOL;
        hx_impl_stop(im, true);
    }
    o->note = why;
    if (st == HX_CALL_ERROR) {
        o->result = payload;
        return strcmp(json_string_value(json_object_get(payload, "code")) ?: "", "unimplemented") == 0
                   ? HX_UNSUPPORTED : HX_FAIL;
    }
    if (st == HX_CALL_RESULT)
        *artifact = hx_strdup(text);
    json_decref(payload);
    return st == HX_CALL_TIMEOUT ? HX_TIMEOUT : st == HX_CALL_CRASH ? HX_CRASH
         : st == HX_CALL_PROTOCOL ? HX_PROTOCOL_ERROR : HX_PASS;
}

void hx_run_generate(hx_runner *r, hx_impl *ims, const hx_item *it, hx_item_out *o)
{
    char *artifact = NULL;
    json_t *with = NULL;
    o->verdict = produce(r, &ims[it->impl], it->c, o, &artifact, &with);
    if (artifact) {
        char *all = NULL;
        bool bad = verify_everywhere(r, ims, it, artifact, with, &all);
        hx_case v = check_case(it->c);
        char *want = hx_printf("%s%s%s", v.expect_verdict ? v.expect_verdict : "",
                               v.expect_reason || v.expect_flag ? " " : "",
                               v.expect_reason ? v.expect_reason : v.expect_flag ? v.expect_flag : "");
        free(o->note);
        if (bad) {
            o->verdict = HX_FAIL;
            o->note = hx_printf("artefact not verified as expected (%s): %s", want, all);
        } else {
            o->note = hx_printf("artefact verified as expected (%s): %s", want, all);
        }
        free(want), free(all);
        free(artifact);
    }
    json_decref(with);
    o->verdict = hx_apply_xfail(it->c, &r->cfg->exps[it->impl], o->verdict, NULL, &o->note);
}
