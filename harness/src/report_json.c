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
    if (s->exec_argv) {
        char *t = hx_strdup("exec:");
        for (size_t i = 0; s->exec_argv[i]; i++) {
            char *next = hx_printf("%s%s%s", t, i ? " " : "", s->exec_argv[i]);
            free(t);
            t = next;
        }
        json_t *v = json_string(t);
        free(t);
        return v;
    }
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

/* The per-family columns: passed (PASS, PASS_OTHER_REASON, XPASS), failed (FAIL, XFAIL, TIMEOUT,
 * CRASH, PROTOCOL_ERROR) and unsupported (UNSUPPORTED, SKIP); judged = passed + failed. */
static const char *verdict_class(const char *vname)
{
    int v = hx_verdict_parse(vname ? vname : "");
    if (v == HX_UNSUPPORTED || v == HX_SKIP)
        return "unsupported";
    if (v == HX_PASS || v == HX_PASS_OTHER_REASON || v == HX_XPASS)
        return "passed";
    return "failed";
}

/* One result in its implementation's view: judged and the family table. */
static void tally(json_t *iv, const char *family, const char *vname)
{
    json_t *fams = json_object_get(iv, "families"), *f = json_object_get(fams, family);
    if (!f) {
        f = json_pack("{s:i,s:i,s:i,s:i}", "judged", 0, "passed", 0, "failed", 0, "unsupported", 0);
        json_object_set_new(fams, family, f);
    }
    const char *cls = verdict_class(vname);
    count(f, cls);
    if (strcmp(cls, "unsupported") != 0) {
        count(f, "judged");
        count(iv, "judged");
    }
}

static void warn(json_t *iv, char *text)
{
    json_array_append_new(json_object_get(iv, "warnings"), json_string(text));
    free(text);
}

/* Warnings about an implementation as a whole; true when it judged no case (fails the run
 * unless --allow-unsupported-only). */
static bool impl_warnings(const hx_run_config *cfg, const hx_suite *suite, json_t *iv, size_t tests)
{
    const char *name = json_string_value(json_object_get(iv, "name"));
    json_t *unused = json_object_get(iv, "unused_tags");
    if (json_array_size(unused)) {
        char *list = json_dumps(unused, JSON_COMPACT), *tags = hx_suite_tags(suite);
        warn(iv, hx_printf("warning: %s's hello claims tags no case of the suite carries: %s "
                           "(the suite's tags: %s)", name, list, tags));
        free(list);
        free(tags);
    }
    if (tests == 0 || json_integer_value(json_object_get(iv, "judged")) != 0)
        return false;
    warn(iv, hx_printf("%s judged no case: all %zu results are UNSUPPORTED or SKIP (check the ops, kinds "
                       "and tags of its hello)%s", name, tests,
                       cfg->allow_unsupported_only ? ", allowed by --allow-unsupported-only"
                                                   : "; this fails the run unless --allow-unsupported-only"));
    return !cfg->allow_unsupported_only;
}

/* The hello's tags that no case of the suite carries: an adapter that copied wrong tag names
 * would otherwise see every case UNSUPPORTED without a word. */
static json_t *unused_tags(const hx_suite *suite, const json_t *hello)
{
    json_t *out = json_array(), *t;
    size_t i;
    json_array_foreach(json_object_get(hello, "tags"), i, t)
        if (!json_is_string(t) || !hx_suite_has_tag(suite, json_string_value(t)))
            json_array_append_new(out, json_is_string(t) ? json_incref(t) : json_string("(not a string)"));
    return out;
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
    json_object_set_new(v, "judged", json_integer(0));
    json_object_set_new(v, "families", json_object());
    json_object_set_new(v, "warnings", json_array());
    json_object_set_new(v, "unused_tags", unused_tags(suite, hello ? json_object_get(hello, "hello") : NULL));
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

static bool unexpected_verdict(const char *vname, bool strict_reasons)
{
    int v = hx_verdict_parse(vname);
    return v < 0 || !hx_verdict_expected((hx_verdict)v, strict_reasons);
}

bool hx_report_next(const hx_report *rep, size_t *cur, const json_t **ref, size_t *impl)
{
    size_t n = rep->cfg->nimpls;
    for (; *cur < rep->suite->ncases * n; (*cur)++) {
        const hx_case *c = &rep->suite->cases[*cur / n];
        if (*cur % n == 0 && !hx_case_selected(rep->cfg, c->id)) {
            *cur += n - 1;
            continue;
        }
        json_t *r = find_record(rep->index, "result", rep->cfg->impls[*cur % n].name, c->id);
        if (r) {
            *ref = r;
            *impl = *cur % n;
            (*cur)++;
            return true;
        }
    }
    return false;
}

void hx_report_build(hx_report *out, const hx_run_config *cfg, const hx_suite *suite,
                     const json_t *index, int fd)
{
    json_t *rep = json_object(), *impls = json_array();
    json_t *totals = counts_object(), *missing = json_array();
    size_t unexpected = 0, selected = 0;
    *out = (hx_report){.doc = rep, .cfg = cfg, .suite = suite, .index = index, .fd = fd,
                       .cases_fd = fileno(suite->spool)};
    out->tests = calloc(cfg->nimpls + 1, sizeof *out->tests);
    out->failures = calloc(cfg->nimpls + 1, sizeof *out->failures);
    for (size_t k = 0; k < cfg->nimpls; k++)
        json_array_append_new(impls, impl_view(cfg, suite, k, index));
    for (size_t i = 0; i < suite->ncases; i++) {
        const hx_case *c = &suite->cases[i];
        if (!hx_case_selected(cfg, c->id))
            continue;
        selected++;
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
            bool bad = unexpected_verdict(vname, cfg->strict_reasons);
            unexpected += bad;
            out->failures[k] += bad;
            out->tests[k]++;
            out->nresults++;
            count(totals, vname);
            count(json_object_get(json_array_get(impls, k), "counts"), vname);
            tally(json_array_get(impls, k), c->file, vname);
            free(vname);
        }
    }
    size_t i;
    json_t *iv;
    json_array_foreach(impls, i, iv) {
        json_t *hl = json_object_get(iv, "hello_last");
        if (json_is_object(hl) && !json_is_true(json_object_get(hl, "ok")))
            unexpected++;
        unexpected += impl_warnings(cfg, suite, iv, out->tests[i]);
    }
    unexpected += json_array_size(missing);
    json_object_set_new(rep, "schema", json_string(HX_REPORT_SCHEMA));
    json_object_set_new(rep, "tool", json_pack("{s:s,s:s}", "name", "stirmls-harness", "version",
                                               HX_TOOL_VERSION));
    json_object_set_new(rep, "openssl", json_string(OpenSSL_version(OPENSSL_VERSION)));
    json_object_set_new(rep, "protocol", json_string(HX_PROTOCOL));
    json_object_set_new(rep, "suite", json_pack("{s:s,s:s,s:I,s:I}", "schema", HX_VECTORS_SCHEMA,
                        "hash", suite->hash, "cases", (json_int_t)suite->ncases, "selected",
                        (json_int_t)selected));
    json_t *filters = json_array();
    for (size_t f = 0; f < cfg->nfilters; f++)
        json_array_append_new(filters, json_string(cfg->filters[f]));
    json_object_set_new(rep, "options", json_pack("{s:b,s:b,s:b,s:I,s:o}", "strict_reasons",
                        cfg->strict_reasons, "strict_outcome", cfg->strict_outcome,
                        "allow_unsupported_only", cfg->allow_unsupported_only,
                        "timeout_ms", (json_int_t)cfg->timeout_ms, "filters", filters));
    json_object_set_new(rep, "implementations", impls);
    json_object_set_new(rep, "cases", json_null());   /* written from the spool */
    json_object_set_new(rep, "results", json_null()); /* written from the journal */
    json_object_set_new(rep, "matrix", json_null());  /* written from the journal */
    json_object_set_new(rep, "missing", missing);
    json_object_set_new(rep, "totals", totals);
    json_object_set_new(rep, "unexpected", json_integer((json_int_t)unexpected));
    json_object_set_new(rep, "ok", json_boolean(unexpected == 0));
}

void hx_report_cleanup(hx_report *rep)
{
    json_decref(rep->doc);
    free(rep->tests);
    free(rep->failures);
    rep->doc = NULL;
    rep->tests = rep->failures = NULL;
}

/* A record as the report holds it, the slow way: parsed, type (and for a matrix cell the
 * implementation) dropped, unexpected set (results). */
static json_t *record_view(const char *line, size_t n, bool strict_reasons, bool matrix)
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
        json_object_set_new(r, "unexpected", json_boolean(unexpected_verdict(
                                json_string_value(json_object_get(r, "verdict")), strict_reasons)));
    return r;
}

bool hx_report_judged_nothing(const hx_report *rep, size_t k)
{
    json_t *iv = json_array_get(json_object_get(rep->doc, "implementations"), k);
    return !rep->cfg->allow_unsupported_only && rep->tests[k] > 0 &&
           json_integer_value(json_object_get(iv, "judged")) == 0;
}

int hx_report_verdict(const hx_report *rep, const json_t *ref)
{
    size_t n = 0;
    char *line = hx_journal_line(rep->fd, ref, &n);
    char *vname = line_verdict(line, n);
    int v = vname ? hx_verdict_parse(vname) : -1;
    free(vname);
    free(line);
    return v;
}

bool hx_report_unexpected(const hx_report *rep, const json_t *ref)
{
    size_t n = 0;
    char *line = hx_journal_line(rep->fd, ref, &n);
    char *vname = line_verdict(line, n);
    bool bad = unexpected_verdict(vname, rep->cfg->strict_reasons);
    free(vname);
    free(line);
    return bad;
}

json_t *hx_report_result(const hx_report *rep, const json_t *ref)
{
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
        json_object_set_new(r, "unexpected", json_boolean(unexpected_verdict(
                                json_string_value(json_object_get(r, "verdict")), rep->cfg->strict_reasons)));
    } else {
        r = record_view(line, n, rep->cfg->strict_reasons, false);
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
static void put_record(hx_jbuf *b, const hx_report *rep, const json_t *ref, int flags, size_t depth,
                       bool matrix)
{
    size_t n = 0, k = 0;
    char *line = hx_journal_line(rep->fd, ref, &n);
    hx_member m[32];
    bool fast = hx_json_members(line, n, m, 32, &k) == 0 && k > 0, seen_unexpected = matrix;
    bool bad = false;
    for (size_t x = 0; fast && x < k; x++) { /* keys strictly sorted, as this writer wrote them */
        if (memchr(m[x].key, '\\', m[x].klen) || (x > 0 && !key_before(&m[x - 1], &m[x])))
            fast = false;
        seen_unexpected = seen_unexpected || hx_member_is(&m[x], "unexpected");
        if (!matrix && hx_member_is(&m[x], "verdict")) {
            json_t *v = json_loadb(m[x].val, m[x].vlen, JSON_DECODE_ANY, NULL);
            bad = unexpected_verdict(json_string_value(v), rep->cfg->strict_reasons);
            json_decref(v);
        }
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
                hx_jbuf_puts(b, bad ? "true" : "false");
            else if (fast)
                fast = hx_jw_text(b, m[x].val, m[x].vlen, flags, depth + 1) == 0;
        }
        hx_jw_indent(b, flags, depth);
        hx_jbuf_put(b, "}", 1);
    }
    if (!fast || !seen_unexpected || first) {
        b->len = mark;
        json_t *r = record_view(line, n, rep->cfg->strict_reasons, matrix);
        hx_jw_value(b, r, flags, depth);
        json_decref(r);
    }
    free(line);
}

/* One element of an array being written: the separator before all but the first. */
static void element(hx_jbuf *b, int flags, bool *first)
{
    if (!*first)
        hx_jbuf_put(b, ",", 1);
    *first = false;
    hx_jw_indent(b, flags, 2);
}

static void array_end(hx_jbuf *b, int flags, bool first)
{
    if (first) {
        hx_jbuf_put(b, "[]", 2);
        return;
    }
    hx_jw_indent(b, flags, 1);
    hx_jbuf_put(b, "]", 1);
}

static void put_cases(hx_jbuf *b, const hx_report *rep, int flags)
{
    bool first = true;
    for (size_t i = 0; i < rep->suite->ncases; i++) {
        const hx_case *c = &rep->suite->cases[i];
        if (!hx_case_selected(rep->cfg, c->id))
            continue;
        if (first)
            hx_jbuf_put(b, "[", 1);
        element(b, flags, &first);
        json_t *ref = json_pack("[I,I]", (json_int_t)c->view.off, (json_int_t)c->view.len);
        if (flags & HX_REPORT_CERTS) { /* the view with the decoded certificates */
            size_t n = 0;
            char *t = hx_journal_line(rep->cases_fd, ref, &n);
            json_t *view = json_loadb(t, n, 0, NULL), *full = hx_suite_case_json(rep->suite, c);
            json_t *certs = hx_case_cert_views(full);
            if (json_array_size(certs))
                json_object_set_new(view, "certificates", certs);
            else
                json_decref(certs);
            hx_jw_value(b, view, flags & ~HX_REPORT_CERTS, 2);
            json_decref(view);
            json_decref(full);
            free(t);
        } else {
            put_case(b, rep->cases_fd, ref, flags, 2);
        }
        json_decref(ref);
        hx_jbuf_drain(b, false);
    }
    array_end(b, flags, first);
}

static void put_results(hx_jbuf *b, const hx_report *rep, int flags)
{
    bool first = true;
    size_t cur = 0, k = 0;
    const json_t *ref = NULL;
    while (hx_report_next(rep, &cur, &ref, &k)) {
        if (first)
            hx_jbuf_put(b, "[", 1);
        element(b, flags, &first);
        put_record(b, rep, ref, flags, 2, false);
        hx_jbuf_drain(b, false);
    }
    array_end(b, flags, first);
}

/* The generate cells of every selected generate case, producer by verifier, in implementation order. */
static void put_matrix(hx_jbuf *b, const hx_report *rep, int flags)
{
    const hx_run_config *cfg = rep->cfg;
    bool first = true;
    for (size_t i = 0; i < rep->suite->ncases; i++) {
        const hx_case *c = &rep->suite->cases[i];
        if (strcmp(c->op, "generate") != 0 || !hx_case_selected(cfg, c->id))
            continue;
        for (size_t p = 0; p < cfg->nimpls; p++)
            for (size_t v = 0; v < cfg->nimpls; v++) {
                char *cv = hx_printf("%s\x1f%s", c->id, cfg->impls[v].name);
                json_t *r = find_record(rep->index, "matrix", cfg->impls[p].name, cv);
                free(cv);
                if (!r)
                    continue;
                if (first)
                    hx_jbuf_put(b, "[", 1);
                element(b, flags, &first);
                put_record(b, rep, r, flags, 2, true);
                hx_jbuf_drain(b, false);
            }
    }
    array_end(b, flags, first);
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
            put_results(&b, rep, flags);
        else if (strcmp(keys[i], "matrix") == 0)
            put_matrix(&b, rep, flags);
        else if (strcmp(keys[i], "cases") == 0)
            put_cases(&b, rep, flags);
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
