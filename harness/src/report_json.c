/*
 * report_json.c: the machine-first report (harness/schema/report.schema.json), built from the
 * journal records and written with sorted keys. The Markdown, JUnit and HTML views are rendered
 * from this document only.
 */
#include "harness.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *find_record(const json_t *index, const char *type, const char *impl,
                           const char *case_id)
{
    char *key = hx_record_key(type, impl, case_id);
    json_t *r = json_object_get(index, key);
    free(key);
    return r;
}

static json_t *endpoint(const hx_impl_spec *s)
{
    if (!s->argv)
        return json_sprintf("tcp://%s:%s", s->tcp_host, s->tcp_port);
    json_t *a = json_array();
    for (size_t i = 0; s->argv[i]; i++)
        json_array_append_new(a, json_string(s->argv[i]));
    return a;
}

static json_t *stale_entries(const hx_suite *suite, const hx_exp_entry *v, size_t n)
{
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        bool hit = false;
        for (size_t k = 0; k < suite->ncases && !hit; k++)
            hit = hx_glob_match(v[i].pattern, suite->cases[k].id);
        if (!hit)
            json_array_append_new(out, json_string(v[i].pattern));
    }
    return out;
}

static json_t *counts_object(void)
{
    json_t *o = json_object();
    for (int v = 0; v < HX_VERDICT_COUNT; v++)
        json_object_set_new(o, hx_verdict_name((hx_verdict)v), json_integer(0));
    return o;
}

static void count(json_t *counts, const char *verdict)
{
    json_t *n = json_object_get(counts, verdict);
    if (n)
        json_integer_set(n, json_integer_value(n) + 1);
}

static json_t *case_view(const hx_case *c)
{
    static const char *const keep[] = {"why", "spec", "tags", "importance", "kind", "expect",
                                       "artifacts", "at"};
    json_t *v = json_pack("{s:s,s:s,s:s}", "id", c->id, "op", c->op, "family", c->file);
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        json_t *x = json_object_get(c->json, keep[i]);
        if (x)
            json_object_set(v, keep[i], x);
    }
    return v;
}

static json_t *impl_view(const hx_run_config *cfg, const hx_suite *suite, size_t k, const json_t *index)
{
    const hx_impl_spec *s = &cfg->impls[k];
    const hx_expectations *e = &cfg->exps[k];
    json_t *hello = find_record(index, "hello", s->name, NULL);
    json_t *last = find_record(index, "final", s->name, NULL);
    json_t *v = json_pack("{s:s,s:o,s:o,s:o}", "name", s->name, "endpoint", endpoint(s), "hello",
                          hello ? json_incref(json_object_get(hello, "hello")) : json_null(),
                          "counts", counts_object());
    json_object_set_new(v, "stderr_log", json_sprintf("stderr/%s.log", s->name));
    json_object_set_new(v, "hello_last", last ? json_pack("{s:O,s:O}", "ok", json_object_get(last, "ok"),
                                                          "why", json_object_get(last, "why"))
                                              : json_null());
    json_t *stale = stale_entries(suite, e->skip, e->nskip);
    json_t *more = stale_entries(suite, e->xfail, e->nxfail);
    json_array_extend(stale, more);
    json_decref(more);
    json_object_set_new(v, "expectations", json_pack("{s:o,s:O,s:o}", "file",
                        e->path ? json_string(e->path) : json_null(), "policy", e->policy,
                        "stale", stale));
    return v;
}

/* The generate cells of case c, producer by verifier, in implementation order. */
static void add_matrix(json_t *matrix, const hx_run_config *cfg, const hx_case *c, const json_t *index)
{
    for (size_t p = 0; p < cfg->nimpls; p++)
        for (size_t v = 0; v < cfg->nimpls; v++) {
            char *cv = hx_printf("%s\x1f%s", c->id, cfg->impls[v].name);
            json_t *r = find_record(index, "matrix", cfg->impls[p].name, cv);
            free(cv);
            if (!r)
                continue;
            json_t *copy = json_deep_copy(r);
            json_object_del(copy, "type");
            json_object_del(copy, "implementation");
            json_array_append_new(matrix, copy);
        }
}

json_t *hx_report_build(const hx_run_config *cfg, const hx_suite *suite, const json_t *records)
{
    json_t *matrix = json_array();
    json_t *rep = json_object(), *cases = json_array(), *results = json_array(), *impls = json_array();
    json_t *totals = counts_object(), *missing = json_array();
    size_t unexpected = 0;
    json_t *index = hx_records_index(records);
    for (size_t k = 0; k < cfg->nimpls; k++)
        json_array_append_new(impls, impl_view(cfg, suite, k, index));
    for (size_t i = 0; i < suite->ncases; i++) {
        const hx_case *c = &suite->cases[i];
        if (!hx_case_selected(cfg, c->id))
            continue;
        json_array_append_new(cases, case_view(c));
        if (strcmp(c->op, "generate") == 0)
            add_matrix(matrix, cfg, c, index);
        for (size_t k = 0; k < cfg->nimpls; k++) {
            json_t *r = find_record(index, "result", cfg->impls[k].name, c->id);
            if (!r) {
                json_array_append_new(missing, json_sprintf("%s %s", c->id, cfg->impls[k].name));
                continue;
            }
            json_t *copy = json_deep_copy(r);
            json_object_del(copy, "type");
            const char *vname = json_string_value(json_object_get(copy, "verdict"));
            int v = hx_verdict_parse(vname);
            bool bad = v < 0 || !hx_verdict_expected((hx_verdict)v, cfg->strict_reasons);
            json_object_set_new(copy, "unexpected", json_boolean(bad));
            unexpected += bad;
            count(totals, vname);
            count(json_object_get(json_array_get(impls, k), "counts"), vname);
            json_array_append_new(results, copy);
        }
    }
    size_t i;
    json_t *iv;
    json_array_foreach(impls, i, iv) {
        json_t *hl = json_object_get(iv, "hello_last");
        if (json_is_object(hl) && !json_is_true(json_object_get(hl, "ok")))
            unexpected++;
    }
    unexpected += json_array_size(missing);
    json_object_set_new(rep, "schema", json_string(HX_REPORT_SCHEMA));
    json_object_set_new(rep, "tool", json_pack("{s:s,s:s}", "name", "stirmls-harness", "version",
                                               HX_TOOL_VERSION));
    json_object_set_new(rep, "openssl", json_string(OpenSSL_version(OPENSSL_VERSION)));
    json_object_set_new(rep, "protocol", json_string(HX_PROTOCOL));
    json_object_set_new(rep, "suite", json_pack("{s:s,s:s,s:I,s:I}", "schema", HX_VECTORS_SCHEMA,
                        "hash", suite->hash, "cases", (json_int_t)suite->ncases, "selected",
                        (json_int_t)json_array_size(cases)));
    json_t *filters = json_array();
    for (size_t f = 0; f < cfg->nfilters; f++)
        json_array_append_new(filters, json_string(cfg->filters[f]));
    json_object_set_new(rep, "options", json_pack("{s:b,s:I,s:o}", "strict_reasons",
                        cfg->strict_reasons, "timeout_ms", (json_int_t)cfg->timeout_ms, "filters", filters));
    json_object_set_new(rep, "implementations", impls);
    json_object_set_new(rep, "cases", cases);
    json_object_set_new(rep, "results", results);
    json_object_set_new(rep, "matrix", matrix);
    json_object_set_new(rep, "missing", missing);
    json_object_set_new(rep, "totals", totals);
    json_object_set_new(rep, "unexpected", json_integer((json_int_t)unexpected));
    json_object_set_new(rep, "ok", json_boolean(unexpected == 0));
    json_decref(index);
    return rep;
}

int hx_report_json_write(const json_t *report, const char *dir)
{
    hx_jbuf b = {0};
    hx_jw_value(&b, report, HX_JW_INDENT1, 0);
    hx_jbuf_put(&b, "\n", 1);
    char *path = hx_path_join(dir, "report.json");
    int rc = hx_write_file_atomic(path, b.p, b.len);
    hx_jbuf_free(&b);
    free(path);
    return rc;
}

char *hx_report_summary_line(const json_t *report)
{
    json_t *totals = json_object_get(report, "totals");
    char *line = hx_printf("%s: %lld results, %lld unexpected:",
                           json_is_true(json_object_get(report, "ok")) ? "OK" : "NOT OK",
                           (long long)json_array_size(json_object_get(report, "results")),
                           (long long)json_integer_value(json_object_get(report, "unexpected")));
    for (int v = 0; v < HX_VERDICT_COUNT; v++) {
        json_int_t n = json_integer_value(json_object_get(totals, hx_verdict_name((hx_verdict)v)));
        if (n == 0)
            continue;
        char *next = hx_printf("%s %s %lld", line, hx_verdict_name((hx_verdict)v), (long long)n);
        free(line);
        line = next;
    }
    return line;
}
