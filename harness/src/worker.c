/*
 * worker.c: one worker thread. It owns one instance of every implementation (started on first
 * use, restarted after a crash, timeout or protocol error), takes (case, implementation) items
 * from the shared queue, records each result in the journal, and ends with a closing hello and
 * shutdown to each instance it started.
 */
#include "harness.h"
#include "runner_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool offered(const json_t *hello, const char *field, const char *value)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(hello, field), i, v)
        if (json_is_string(v) && strcmp(json_string_value(v), value) == 0)
            return true;
    return false;
}

char *hx_unsupported(const hx_case *c, const json_t *hello)
{
    if (!offered(hello, "ops", c->op))
        return hx_printf("op %s not offered", c->op);
    if (c->kind && !offered(hello, "kinds", c->kind))
        return hx_printf("kind %s not offered", c->kind);
    if (!json_object_get(hello, "tags"))
        return NULL; /* no tags list: claims every tag */
    const char *t = c->tags;
    for (size_t i = 0; i < c->ntags; i++, t += strlen(t) + 1) {
        /* the tag "generate" asks for a producer; a verifier of the artefact needs the rest only */
        if (strcmp(c->op, "verify") == 0 && strcmp(t, "generate") == 0)
            continue;
        if (!offered(hello, "tags", t))
            return hx_printf("tag %s not offered", t);
    }
    return NULL;
}

json_t *hx_request_input(hx_runner *r, const char *case_id, json_t *input)
{
    if (!r->cfg->x5u_serve || !json_is_object(json_object_get(input, "x5u_map")))
        return json_incref(input);
    json_t *in = json_deep_copy(input);
    json_object_set_new(in, "x5u_fetch", hx_x5u_server_fetch_map(&r->x5u, case_id));
    if (r->cfg->x5u_fetch_only)
        json_object_del(in, "x5u_map");
    return in;
}

/* The verify params with --x5u-serve (c->json set): the input may gain its x5u_fetch. */
static json_t *verify_params(hx_runner *r, const hx_case *c)
{
    json_t *p = json_object(), *cj = c->json;
    json_object_set_new(p, "case", json_string(c->id));
    json_object_set_new(p, "kind", json_string(c->kind));
    json_object_set(p, "at", json_object_get(cj, "at"));
    json_t *ta = json_object_get(cj, "trust_anchors");
    json_object_set_new(p, "trust_anchors", ta ? json_incref(ta) : json_array());
    json_object_set_new(p, "input", hx_request_input(r, c->id, json_object_get(cj, "input")));
    json_t *pol = json_object_get(cj, "policy");
    json_object_set_new(p, "policy", pol ? json_incref(pol) : json_object());
    return p;
}

bool hx_verify_result_ok(const json_t *res, char **why)
{
    const char *v = json_string_value(json_object_get(res, "verdict"));
    json_t *reason = json_object_get(res, "reason"), *native = json_object_get(res, "native");
    json_t *ids = json_object_get(res, "identities");
    if (!v || (strcmp(v, "accept") && strcmp(v, "reject")))
        *why = hx_strdup("verify result: verdict is not accept or reject");
    else if ((reason && !json_is_string(reason)) || (native && !json_is_string(native)))
        *why = hx_strdup("verify result: reason and native must be strings");
    else if (ids && !json_is_array(ids))
        *why = hx_strdup("verify result: identities must be an array");
    else
        return true;
    return false;
}

hx_call_status hx_worker_ensure(hx_runner *r, hx_impl *im, json_t *transcript, char **why)
{
    hx_call_status st = hx_impl_ensure(im, r->cfg->timeout_ms, transcript, why);
    if (st == HX_CALL_RESULT && !hx_journal_has_hello(&r->journal, im->spec->name)) {
        json_t *rec = json_pack("{s:s,s:s,s:O}", "type", "hello", "implementation",
                                im->spec->name, "hello", im->hello);
        hx_journal_append(&r->journal, rec);
        json_decref(rec);
    }
    return st;
}

void hx_run_verify(hx_runner *r, hx_impl *im, const hx_case *c, const char *params, size_t plen,
                   bool cell, hx_item_out *o)
{
    hx_expectations *e = &r->cfg->exps[im->spec - r->cfg->impls];
    hx_outcome oc = {0};
    char *why = NULL;
    oc.status = hx_worker_ensure(r, im, o->transcript, &why);
    if (oc.status == HX_CALL_RESULT && (o->note = hx_unsupported(c, im->hello))) {
        o->verdict = HX_UNSUPPORTED;
        free(why);
        return;
    }
    if (oc.status == HX_CALL_RESULT) {
        free(why);
        why = NULL;
        json_t *payload = NULL;
        oc.status = hx_impl_call_text(im, "verify", params, plen, r->cfg->timeout_ms, o->transcript,
                                      &payload, &why);
        if (oc.status == HX_CALL_RESULT && !hx_verify_result_ok(payload, &why)) {
            oc.status = HX_CALL_PROTOCOL;
            hx_impl_stop(im, true);
        }
        if (oc.status == HX_CALL_ERROR)
            oc.err_code = json_string_value(json_object_get(payload, "code"));
        o->result = payload;
        oc.observed = json_string_value(json_object_get(payload, "verdict"));
        oc.reason = json_string_value(json_object_get(payload, "reason"));
        oc.result = payload;
        oc.strict_outcome = r->cfg->strict_outcome;
    }
    o->note = why;
    o->verdict = cell ? hx_score_raw(c, e, &oc) : hx_score(c, e, &oc, r->cfg->strict_reasons, &o->note);
}

static json_t *result_record(hx_runner *r, const hx_item *it, hx_item_out *o, int64_t ms)
{
    const hx_case *c = it->c;
    hx_expectations *e = &r->cfg->exps[it->impl];
    json_t *res = o->result;
    bool is_result = res && json_object_get(res, "verdict");
    const char *msg = json_string_value(json_object_get(res, "message"));
    json_t *rec = json_pack("{s:s,s:s,s:s,s:s,s:o,s:I,s:O}", "type", "result", "case", c->id,
                            "implementation", r->cfg->impls[it->impl].name, "verdict",
                            hx_verdict_name(o->verdict), "expected", hx_expected(c, e),
                            "duration_ms", (json_int_t)ms, "transcript", o->transcript);
    json_object_set_new(rec, "observed", is_result ? json_incref(json_object_get(res, "verdict"))
                                                   : json_null());
    json_object_set_new(rec, "reason", json_string(is_result ? json_string_value(json_object_get(
                                                                   res, "reason")) ?: "" : ""));
    json_object_set_new(rec, "native", json_string(is_result ? json_string_value(json_object_get(
                                                                   res, "native")) ?: "" : msg ?: ""));
    if (is_result && json_object_get(res, "identities"))
        json_object_set(rec, "identities", json_object_get(res, "identities"));
    if (res && !is_result)
        json_object_set(rec, "error", res);
    json_object_set_new(rec, "note", json_string(o->note ? o->note : ""));
    json_object_set_new(rec, "unexpected",
                        json_boolean(!hx_verdict_expected(o->verdict, r->cfg->strict_reasons)));
    return rec;
}

static void run_item(hx_runner *r, hx_impl *ims, const hx_item *it)
{
    hx_item_out o = {.transcript = json_array()};
    int64_t t0 = hx_now_ms();
    hx_exp_entry *skip = hx_expectations_skip(&r->cfg->exps[it->impl], it->c->id);
    if (skip) {
        o.verdict = HX_SKIP;
        o.note = hx_printf("expectations: %s", skip->reason);
    } else if (strcmp(it->c->op, "generate") == 0 || r->cfg->x5u_serve) {
        hx_case c = *it->c; /* the rarer paths work on the parsed case */
        c.json = hx_suite_case_json(r->suite, it->c);
        hx_item cit = {.c = &c, .impl = it->impl};
        if (strcmp(c.op, "generate") == 0) {
            hx_run_generate(r, ims, &cit, &o);
        } else {
            json_t *params = verify_params(r, &c);
            size_t n = 0;
            char *text = hx_jw_dumps(params, HX_JW_ASCII, &n);
            hx_run_verify(r, &ims[it->impl], &c, text, n, false, &o);
            free(text);
            json_decref(params);
        }
        json_decref(c.json);
    } else { /* the params as the suite spooled them: no JSON built or written per request */
        size_t n = 0;
        char *params = hx_suite_text(r->suite, it->c->params, &n);
        hx_run_verify(r, &ims[it->impl], it->c, params, n, false, &o);
        free(params);
    }
    json_t *rec = result_record(r, it, &o, hx_now_ms() - t0);
    hx_journal_append(&r->journal, rec);
    json_decref(rec);
    json_decref(o.result);
    json_decref(o.transcript);
    free(o.note);
    pthread_mutex_lock(&r->mu);
    r->counts[it->impl * HX_VERDICT_COUNT + o.verdict]++;
    r->done++;
    pthread_mutex_unlock(&r->mu);
    hx_progress(r, false);
}

static void finish(hx_runner *r, hx_impl *im)
{
    if (!hx_impl_running(im))
        return;
    json_t *params = json_object(), *payload = NULL;
    char *why = NULL;
    hx_call_status st = hx_impl_call(im, "hello", params, r->cfg->timeout_ms, NULL, &payload, &why);
    json_t *rec = json_pack("{s:s,s:s,s:b,s:s}", "type", "final", "implementation", im->spec->name,
                            "ok", st == HX_CALL_RESULT, "why",
                            st == HX_CALL_RESULT ? "" : why ? why : "closing hello failed");
    hx_journal_append(&r->journal, rec);
    json_decref(rec);
    json_decref(payload);
    free(why);
    why = NULL;
    payload = NULL;
    if (hx_impl_running(im)) {
        hx_impl_call(im, "shutdown", params, r->cfg->timeout_ms, NULL, &payload, &why);
        json_decref(payload);
        free(why);
    }
    json_decref(params);
    hx_impl_stop(im, false);
}

void *hx_worker_main(void *arg)
{
    hx_runner *r = arg;
    size_t n = r->cfg->nimpls;
    hx_impl *ims = calloc(n, sizeof *ims);
    for (size_t i = 0; i < n; i++)
        hx_impl_init(&ims[i], &r->cfg->impls[i], r->stderr_paths[i]);
    for (;;) {
        pthread_mutex_lock(&r->mu);
        size_t k = r->next < r->nitems ? r->next++ : (size_t)-1;
        pthread_mutex_unlock(&r->mu);
        if (k == (size_t)-1)
            break;
        run_item(r, ims, &r->items[k]);
    }
    for (size_t i = 0; i < n; i++) {
        finish(r, &ims[i]);
        hx_impl_cleanup(&ims[i]);
    }
    free(ims);
    return NULL;
}
