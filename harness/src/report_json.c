/*
 * report_json.c: the machine-first report (harness/schema/report.schema.json), built from the
 * journal and written with sorted keys. The Markdown, JUnit and HTML views are rendered from this
 * document only. Results and matrix cells stay in the journal: the document holds where their
 * lines are, and each is re-formatted from its line as it is written (hx_jw_text), so writing
 * the report takes memory for one record at a time.
 */
#include "harness.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
            json_array_append_new(matrix, json_pack("[O,O]", json_array_get(r, 0), json_array_get(r, 1)));
        }
}

/* The verdict a journal result line holds (owned), NULL if none. */
static char *line_verdict(const char *t, size_t n)
{
    hx_member m[32];
    size_t k = 0;
    if (hx_json_members(t, n, m, 32, &k) == 0)
        for (size_t i = 0; i < k; i++)
            if (hx_member_is(&m[i], "verdict")) {
                json_t *v = json_loadb(m[i].val, m[i].vlen, JSON_DECODE_ANY, NULL);
                char *s = json_is_string(v) ? hx_strdup(json_string_value(v)) : NULL;
                json_decref(v);
                return s;
            }
    json_t *r = json_loadb(t, n, 0, NULL); /* not this writer's shape: the slow way */
    const char *v = json_string_value(json_object_get(r, "verdict"));
    char *s = v ? hx_strdup(v) : NULL;
    json_decref(r);
    return s;
}

void hx_report_build(hx_report *out, const hx_run_config *cfg, const hx_suite *suite,
                     const json_t *index, int fd)
{
    json_t *matrix = json_array();
    json_t *rep = json_object(), *cases = json_array(), *results = json_array(), *impls = json_array();
    json_t *totals = counts_object(), *missing = json_array();
    size_t unexpected = 0;
    for (size_t k = 0; k < cfg->nimpls; k++)
        json_array_append_new(impls, impl_view(cfg, suite, k, index));
    for (size_t i = 0; i < suite->ncases; i++) {
        const hx_case *c = &suite->cases[i];
        if (!hx_case_selected(cfg, c->id))
            continue;
        json_array_append_new(cases, json_pack("[I,I]", (json_int_t)c->view.off, (json_int_t)c->view.len));
        if (strcmp(c->op, "generate") == 0)
            add_matrix(matrix, cfg, c, index);
        for (size_t k = 0; k < cfg->nimpls; k++) {
            json_t *r = find_record(index, "result", cfg->impls[k].name, c->id);
            if (!r) {
                json_array_append_new(missing, json_sprintf("%s %s", c->id, cfg->impls[k].name));
                continue;
            }
            size_t n = 0;
            char *line = hx_journal_line(fd, r, &n);
            char *vname = line_verdict(line, n);
            free(line);
            int v = hx_verdict_parse(vname);
            bool bad = v < 0 || !hx_verdict_expected((hx_verdict)v, cfg->strict_reasons);
            unexpected += bad;
            count(totals, vname);
            count(json_object_get(json_array_get(impls, k), "counts"), vname);
            free(vname);
            json_array_append_new(results, json_pack("[O,O,b,I]", json_array_get(r, 0),
                                                     json_array_get(r, 1), bad, (json_int_t)k));
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
    out->doc = rep;
    out->fd = fd;
    out->cases_fd = fileno(suite->spool);
}

void hx_report_cleanup(hx_report *rep)
{
    json_decref(rep->doc);
    rep->doc = NULL;
}

size_t hx_report_nresults(const hx_report *rep)
{
    return json_array_size(json_object_get(rep->doc, "results"));
}

/* A record as the report holds it, the slow way: parsed, type (and for a matrix cell the
 * implementation) dropped, unexpected set (results). */
static json_t *record_view(const char *line, size_t n, const json_t *ref, bool matrix)
{
    json_t *r = json_loadb(line, n, 0, NULL);
    if (!json_is_object(r)) {
        json_decref(r);
        r = json_object();
    }
    json_object_del(r, "type");
    if (matrix)
        json_object_del(r, "implementation");
    else
        json_object_set(r, "unexpected", json_array_get(ref, 2));
    return r;
}

json_t *hx_report_result(const hx_report *rep, size_t i)
{
    const json_t *ref = json_array_get(json_object_get(rep->doc, "results"), i);
    size_t n = 0, k = 0;
    char *line = hx_journal_line(rep->fd, ref, &n);
    hx_member m[32];
    json_t *r;
    if (hx_json_members(line, n, m, 32, &k) == 0) {
        r = json_object();
        for (size_t x = 0; x < k; x++) {
            if (hx_member_is(&m[x], "transcript") || hx_member_is(&m[x], "type"))
                continue;
            char *key = strndup(m[x].key, m[x].klen);
            json_object_set_new(r, key, json_loadb(m[x].val, m[x].vlen, JSON_DECODE_ANY, NULL));
            free(key);
        }
        json_object_set(r, "unexpected", json_array_get(ref, 2));
    } else {
        r = record_view(line, n, ref, false);
        json_object_del(r, "transcript");
    }
    free(line);
    return r;
}

/* a's key sorts before b's (strcmp order) */
static bool key_before(const hx_member *a, const hx_member *b)
{
    int c = memcmp(a->key, b->key, a->klen < b->klen ? a->klen : b->klen);
    return c < 0 || (c == 0 && a->klen < b->klen);
}

/* A case's view from the suite's spool, in flags' format at depth. */
static void put_case(hx_jbuf *b, int fd, const json_t *ref, int flags, size_t depth)
{
    size_t n = 0;
    char *t = hx_journal_line(fd, ref, &n);
    if (hx_jw_text(b, t, n, flags, depth) != 0) {
        json_t *v = json_loadb(t, n, 0, NULL);
        hx_jw_value(b, v, flags, depth);
        json_decref(v);
    }
    free(t);
}

/* One result or matrix record from its journal line, in flags' format at depth. */
static void put_record(hx_jbuf *b, int fd, const json_t *ref, int flags, size_t depth, bool matrix)
{
    size_t n = 0, k = 0;
    char *line = hx_journal_line(fd, ref, &n);
    hx_member m[32];
    bool fast = hx_json_members(line, n, m, 32, &k) == 0 && k > 0, seen_unexpected = matrix;
    for (size_t x = 0; fast && x < k; x++) { /* keys strictly sorted, as this writer wrote them */
        if (memchr(m[x].key, '\\', m[x].klen) || (x > 0 && !key_before(&m[x - 1], &m[x])))
            fast = false;
        seen_unexpected = seen_unexpected || hx_member_is(&m[x], "unexpected");
    }
    size_t mark = b->len;
    bool first = true;
    if (fast && seen_unexpected) {
        hx_jbuf_put(b, "{", 1);
        for (size_t x = 0; fast && x < k; x++) {
            if (hx_member_is(&m[x], "type") || (matrix && hx_member_is(&m[x], "implementation")))
                continue;
            if (!first)
                hx_jbuf_put(b, ",", 1);
            first = false;
            hx_jw_indent(b, flags, depth + 1);
            fast = hx_jw_text(b, m[x].key - 1, m[x].klen + 2, flags, depth + 1) == 0;
            hx_jbuf_put(b, ": ", (flags & HX_JW_INDENT1) ? 2 : 1);
            if (!matrix && hx_member_is(&m[x], "unexpected"))
                hx_jbuf_puts(b, json_is_true(json_array_get(ref, 2)) ? "true" : "false");
            else if (fast)
                fast = hx_jw_text(b, m[x].val, m[x].vlen, flags, depth + 1) == 0;
        }
        hx_jw_indent(b, flags, depth);
        hx_jbuf_put(b, "}", 1);
    }
    if (!fast || !seen_unexpected || first) {
        b->len = mark;
        json_t *r = record_view(line, n, ref, matrix);
        hx_jw_value(b, r, flags, depth);
        json_decref(r);
    }
    free(line);
}

typedef enum { REF_RESULT, REF_MATRIX, REF_CASE } ref_kind;

static void put_refs(hx_jbuf *b, const hx_report *rep, const json_t *refs, int flags, ref_kind kind)
{
    size_t n = json_array_size(refs);
    if (n == 0) {
        hx_jbuf_put(b, "[]", 2);
        return;
    }
    hx_jbuf_put(b, "[", 1);
    for (size_t i = 0; i < n; i++) {
        hx_jw_indent(b, flags, 2);
        if (kind == REF_CASE)
            put_case(b, rep->cases_fd, json_array_get(refs, i), flags, 2);
        else
            put_record(b, rep->fd, json_array_get(refs, i), flags, 2, kind == REF_MATRIX);
        if (i + 1 < n)
            hx_jbuf_put(b, ",", 1);
        hx_jbuf_drain(b, false);
    }
    hx_jw_indent(b, flags, 1);
    hx_jbuf_put(b, "]", 1);
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int hx_report_stream(const hx_report *rep, const char *path, const char *head, const char *tail,
                     int flags)
{
    char *tmp = hx_printf("%s.tmp.%ld", path, (long)getpid());
    hx_jbuf b = {.f = fopen(tmp, "wb")};
    if (!b.f) {
        free(tmp);
        return -1;
    }
    hx_jbuf_puts(&b, head);
    const char *keys[32], *key;
    size_t nk = 0;
    json_t *v;
    json_object_foreach(rep->doc, key, v)
        if (nk < 32)
            keys[nk++] = key;
    qsort(keys, nk, sizeof *keys, key_cmp);
    hx_jbuf_put(&b, "{", 1);
    for (size_t i = 0; i < nk; i++) {
        hx_jw_indent(&b, flags, 1);
        hx_jw_string(&b, keys[i], strlen(keys[i]), flags);
        hx_jbuf_put(&b, ": ", (flags & HX_JW_INDENT1) ? 2 : 1);
        v = json_object_get(rep->doc, keys[i]);
        if (strcmp(keys[i], "results") == 0)
            put_refs(&b, rep, v, flags, REF_RESULT);
        else if (strcmp(keys[i], "matrix") == 0)
            put_refs(&b, rep, v, flags, REF_MATRIX);
        else if (strcmp(keys[i], "cases") == 0)
            put_refs(&b, rep, v, flags, REF_CASE);
        else
            hx_jw_value(&b, v, flags, 1);
        if (i + 1 < nk)
            hx_jbuf_put(&b, ",", 1);
    }
    hx_jw_indent(&b, flags, 0);
    hx_jbuf_put(&b, "}", 1);
    hx_jbuf_puts(&b, tail);
    int rc = hx_jbuf_drain(&b, true);
    rc = (fclose(b.f) == 0 && rc == 0 && rename(tmp, path) == 0) ? 0 : -1;
    if (rc != 0)
        unlink(tmp);
    hx_jbuf_free(&b);
    free(tmp);
    return rc;
}

int hx_report_json_write(const hx_report *rep, const char *dir)
{
    char *path = hx_path_join(dir, "report.json");
    int rc = hx_report_stream(rep, path, "", "\n", HX_JW_INDENT1);
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
