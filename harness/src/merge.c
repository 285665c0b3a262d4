/*
 * merge.c: `stirmls-harness merge --out DIR RUN_DIR...`: one set of reports from several runs
 * (sites, days, subsets of implementations). Each run directory holds its report.json (suite
 * hash, implementations, their hellos, endpoints and expectation files) and its journal
 * (results.jsonl). The journals are merged into DIR/results.jsonl (a later run's result for the
 * same implementation and case, or matrix cell, replaces an earlier one; the first hello and the
 * last closing hello of an implementation are kept) and the ordinary report writers render it
 * over the suite of --vectors, for the cases some run covered.
 * Refused (usage errors, exit 2): a run on another suite than --vectors' (unless
 * --allow-mixed-suites: then each result and matrix cell names its run's suite hash); one name
 * for implementations whose hellos differ in name or version (unless --rename N:OLD=NEW renames
 * it in the N-th run). Exit status otherwise as a run's: 0 when every result is as expected.
 */
#include "harness.h"
#include "runner_int.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *out, *vectors;
    bool mixed, strict;
    char **runs, **renames; /* renames: "N:OLD=NEW" */
    size_t nruns, nrenames;
} mg_opts;

static int mg_usage(char *msg)
{
    char *safe = hx_ctl_escape(msg);
    fprintf(stderr, "stirmls-harness: merge: %s (try --help)\n", safe);
    free(safe);
    free(msg);
    return 2;
}

/* The name implementation `name` of run r (0-based) takes in the merged report. */
static const char *renamed(const mg_opts *o, size_t r, const char *name)
{
    for (size_t i = 0; i < o->nrenames; i++) {
        const char *s = o->renames[i], *colon = strchr(s, ':'), *eq = colon ? strchr(colon, '=') : NULL;
        if (eq && strtoul(s, NULL, 10) == r + 1 && strlen(name) == (size_t)(eq - colon - 1) &&
            strncmp(colon + 1, name, (size_t)(eq - colon - 1)) == 0)
            return eq + 1;
    }
    return name;
}

/* "NAME VERSION" of a hello, NULL when the implementation never said hello. owned */
static char *identity(const json_t *hello)
{
    if (!json_is_object(hello))
        return NULL;
    return hx_printf("%s %s", json_string_value(json_object_get(hello, "name")) ?: "?",
                     json_string_value(json_object_get(hello, "version")) ?: "?");
}

/* Every --rename names an implementation of its run. */
static char *check_renames(const mg_opts *o, json_t *const *reports)
{
    for (size_t i = 0; i < o->nrenames; i++) {
        const char *s = o->renames[i], *colon = strchr(s, ':'), *eq = colon ? strchr(colon, '=') : NULL;
        char *end = NULL;
        unsigned long n = strtoul(s, &end, 10);
        if (!eq || end != colon || n < 1 || n > o->nruns || eq == colon + 1 || !eq[1])
            return hx_printf("--rename %s: wants N:OLD=NEW, N the position of a run (1 to %zu)", s, o->nruns);
        bool hit = false;
        size_t k;
        json_t *iv;
        json_array_foreach(json_object_get(reports[n - 1], "implementations"), k, iv) {
            const char *name = json_string_value(json_object_get(iv, "name")) ?: "";
            hit = hit || (strlen(name) == (size_t)(eq - colon - 1) && strncmp(name, colon + 1, strlen(name)) == 0);
        }
        if (!hit)
            return hx_printf("--rename %s: run %lu (%s) has no implementation of that name", s, n, o->runs[n - 1]);
    }
    return NULL;
}

/* One entry per merged implementation: {name, identity, hello?, endpoint, expectations, run}. */
static char *merge_impls(const mg_opts *o, json_t *const *reports, json_t *impls)
{
    for (size_t r = 0; r < o->nruns; r++) {
        size_t k;
        json_t *iv;
        json_array_foreach(json_object_get(reports[r], "implementations"), k, iv) {
            const char *name = renamed(o, r, json_string_value(json_object_get(iv, "name")) ?: "");
            char *id = identity(json_object_get(iv, "hello"));
            json_t *had = NULL;
            size_t i;
            json_t *m;
            json_array_foreach(impls, i, m)
                if (strcmp(json_string_value(json_object_get(m, "name")), name) == 0)
                    had = m;
            const char *had_id = json_string_value(json_object_get(had, "identity"));
            if (had && id && had_id && strcmp(id, had_id) != 0) {
                char *err = hx_printf("implementation %s: run %zu (%s) says hello as '%s', run %lld (%s) as "
                                      "'%s'; give one of them another name (--rename %zu:%s=NEW)", name,
                                      (size_t)json_integer_value(json_object_get(had, "run")) + 1,
                                      o->runs[json_integer_value(json_object_get(had, "run"))], had_id,
                                      (long long)r + 1, o->runs[r], id, r + 1, name);
                free(id);
                return err;
            }
            if (!had) {
                json_array_append_new(impls, json_pack("{s:s,s:I,s:O,s:O}", "name", name, "run", (json_int_t)r,
                                                       "endpoint", json_object_get(iv, "endpoint"),
                                                       "expectations", json_object_get(iv, "expectations")));
                had = json_array_get(impls, json_array_size(impls) - 1);
            }
            if (id && !had_id)
                json_object_set_new(had, "identity", json_string(id));
            free(id);
        }
    }
    return NULL;
}

/* The key a journal record is merged under (NULL for a record of another kind). owned */
static char *record_key(const json_t *rec)
{
    const char *t = json_string_value(json_object_get(rec, "type"));
    const char *im = json_string_value(json_object_get(rec, "implementation"));
    if (!t || !im)
        return NULL;
    if (strcmp(t, "matrix") == 0) {
        char *cv = hx_printf("%s\x1f%s", json_string_value(json_object_get(rec, "case")) ?: "",
                             json_string_value(json_object_get(rec, "verifier")) ?: "");
        char *key = hx_record_key(t, im, cv);
        free(cv);
        return key;
    }
    if (strcmp(t, "result") == 0 || strcmp(t, "hello") == 0 || strcmp(t, "final") == 0)
        return hx_record_key(t, im, json_string_value(json_object_get(rec, "case")));
    return NULL;
}

static void rename_member(json_t *rec, const char *member, const mg_opts *o, size_t r)
{
    const char *v = json_string_value(json_object_get(rec, member));
    if (v)
        json_object_set_new(rec, member, json_string(renamed(o, r, v)));
}

/* Run r's journal into merged (key -> record); *dropped counts records of cases not in the suite. */
static char *merge_journal(const mg_opts *o, size_t r, const hx_suite *suite, const char *hash,
                           json_t *merged, json_t *cases, size_t *dropped)
{
    char *path = hx_path_join(o->runs[r], "results.jsonl");
    size_t len = 0;
    char *text = hx_read_file(path, (size_t)1 << 30, &len);
    if (!text) {
        char *err = hx_printf("%s: cannot read the run's journal", path);
        free(path);
        return err;
    }
    free(path);
    for (char *p = text, *nl; (nl = memchr(p, '\n', len - (size_t)(p - text))); p = nl + 1) {
        json_t *rec = json_loadb(p, (size_t)(nl - p), 0, NULL);
        const char *t = json_string_value(json_object_get(rec, "type")) ?: "";
        const char *cs = json_string_value(json_object_get(rec, "case"));
        bool cell = strcmp(t, "result") == 0 || strcmp(t, "matrix") == 0;
        if (cell && (!cs || !hx_suite_find(suite, cs))) {
            ++*dropped;
            json_decref(rec);
            continue;
        }
        rename_member(rec, "implementation", o, r);
        rename_member(rec, "producer", o, r);
        rename_member(rec, "verifier", o, r);
        if (cell && o->mixed)
            json_object_set_new(rec, "suite", json_string(hash));
        if (cell)
            json_object_set_new(cases, cs, json_true());
        char *key = rec ? record_key(rec) : NULL;
        if (key && (strcmp(t, "hello") != 0 || !json_object_get(merged, key)))
            json_object_set(merged, key, rec);
        free(key);
        json_decref(rec);
    }
    free(text);
    return NULL;
}

/* An implementation spec standing for a merged implementation (its endpoint as its run had it). */
static void impl_spec(hx_impl_spec *s, const json_t *m)
{
    const char *name = json_string_value(json_object_get(m, "name"));
    const json_t *ep = json_object_get(m, "endpoint");
    char *err = NULL;
    if (json_is_string(ep)) {
        char *arg = hx_printf("%s=%s", name, json_string_value(ep));
        int rc = hx_impl_spec_parse(arg, s, &err);
        free(arg);
        free(err);
        if (rc == 0)
            return;
        hx_impl_spec_cleanup(s);
    }
    memset(s, 0, sizeof *s);
    s->name = hx_strdup(name);
    s->argv = calloc(json_array_size(ep) + 1, sizeof *s->argv);
    size_t i;
    json_t *a;
    json_array_foreach(ep, i, a)
        s->argv[i] = hx_strdup(json_string_value(a) ?: "");
}

/* Each merged implementation's stderr logs, run after run, into OUT/stderr/NAME.log. */
static void merge_logs(const mg_opts *o, json_t *const *reports)
{
    char *dir = hx_path_join(o->out, "stderr");
    hx_mkdir_p(dir);
    for (size_t r = 0; r < o->nruns; r++) {
        size_t k;
        json_t *iv;
        json_array_foreach(json_object_get(reports[r], "implementations"), k, iv) {
            const char *name = json_string_value(json_object_get(iv, "name")) ?: "";
            char *file = hx_printf("stderr/%s.log", name), *src = hx_path_join(o->runs[r], file);
            char *dfile = hx_printf("%s.log", renamed(o, r, name)), *dst = hx_path_join(dir, dfile);
            size_t len = 0;
            char *text = hx_read_file(src, (size_t)64 << 20, &len);
            FILE *f = text && len ? fopen(dst, "ab") : NULL;
            if (f) {
                fprintf(f, "== %s ==\n", o->runs[r]);
                fwrite(text, 1, len, f);
                fclose(f);
            }
            free(text), free(file), free(src), free(dfile), free(dst);
        }
    }
    free(dir);
}

static int write_merged(const mg_opts *o, const json_t *merged, char **err)
{
    if (hx_mkdir_p(o->out) != 0) {
        *err = hx_printf("%s: cannot create the output directory", o->out);
        return -1;
    }
    char *path = hx_path_join(o->out, "results.jsonl");
    hx_jbuf b = {0};
    const char *key;
    json_t *rec;
    json_object_foreach((json_t *)merged, key, rec) {
        size_t n = 0;
        char *t = hx_jw_dumps(rec, 0, &n);
        hx_jbuf_put(&b, t, n);
        hx_jbuf_put(&b, "\n", 1);
        free(t);
    }
    int rc = hx_write_file_atomic(path, b.p ? b.p : "", b.len);
    if (rc != 0)
        *err = hx_printf("%s: cannot write", path);
    hx_jbuf_free(&b);
    free(path);
    return rc;
}

static int parse_opts(int argc, char **argv, mg_opts *o, bool *help)
{
    static const struct option lo[] = {{"out", 1, 0, 'o'}, {"vectors", 1, 0, 'v'}, {"allow-mixed-suites", 0, 0, 'm'},
                                       {"strict-reasons", 0, 0, 'S'}, {"rename", 1, 0, 'r'}, {"help", 0, 0, 'h'},
                                       {0, 0, 0, 0}};
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (ch) {
        case 'o': free(o->out); o->out = hx_strdup(optarg); break;
        case 'v': free(o->vectors); o->vectors = hx_strdup(optarg); break;
        case 'm': o->mixed = true; break;
        case 'S': o->strict = true; break;
        case 'r':
            o->renames = realloc(o->renames, (o->nrenames + 1) * sizeof *o->renames);
            o->renames[o->nrenames++] = optarg;
            break;
        case 'h': *help = true; return 0;
        default: return mg_usage(hx_strdup("unknown option or missing value"));
        }
    }
    o->runs = argv + optind;
    o->nruns = (size_t)(argc - optind);
    if (!o->out || o->nruns == 0)
        return mg_usage(hx_strdup("merge wants --out DIR and at least one RUN_DIR"));
    return 0;
}

static const char usage_merge[] =
    "usage: stirmls-harness merge --out DIR [OPTIONS] RUN_DIR...\n"
    "  one set of reports (report.json, junit.xml, summary.md, index.html) from several runs'\n"
    "  directories; a later run's result for the same implementation and case replaces an earlier one\n"
    "  --vectors DIR            the suite the runs ran (default: the repository's vectors/)\n"
    "  --allow-mixed-suites     merge runs of other suites too; each result names its suite's hash\n"
    "  --rename N:OLD=NEW       implementation OLD of the N-th run is NEW in the merged report (two\n"
    "                           implementations of one name whose hellos differ are refused)\n"
    "  --strict-reasons         PASS_OTHER_REASON counts as a failure\n"
    "Exit status: 0 all results as expected, 1 otherwise, 2 usage or harness error.\n";

int hx_cmd_merge(int argc, char **argv, char *(*default_vectors)(void))
{
    mg_opts o = {0};
    bool help = false;
    int rc = parse_opts(argc, argv, &o, &help);
    if (rc != 0 || help) {
        if (help)
            fputs(usage_merge, stdout);
        free(o.out), free(o.vectors), free(o.renames);
        return rc;
    }
    if (!o.vectors)
        o.vectors = default_vectors();
    char *err = NULL;
    hx_suite suite = {0};
    json_t **reports = calloc(o.nruns, sizeof *reports), *impls = json_array(), *merged = json_object();
    json_t *cases = json_object(), *runs = json_array();
    hx_run_config cfg = {.out_dir = o.out, .strict_reasons = o.strict, .timeout_ms = 10000};
    hx_journal j = {.fd = -1};
    size_t dropped = 0;
    if (hx_suite_load(&suite, o.vectors, &err) != 0)
        goto out;
    for (size_t r = 0; r < o.nruns && !err; r++) {
        reports[r] = hx_run_report_load(o.runs[r], &err);
        const char *hash = json_string_value(json_object_get(json_object_get(reports[r], "suite"), "hash"));
        if (!err && (!hash || strcmp(hash, suite.hash) != 0) && !o.mixed)
            err = hx_printf("%s ran suite %.12s, not %s's suite %.12s (--allow-mixed-suites merges it anyway, "
                            "each result naming its suite)", o.runs[r], hash ? hash : "?", o.vectors, suite.hash);
    }
    if (err || (err = check_renames(&o, reports)) || (err = merge_impls(&o, reports, impls)))
        goto out;
    for (size_t r = 0; r < o.nruns && !err; r++) {
        const char *hash = json_string_value(json_object_get(json_object_get(reports[r], "suite"), "hash")) ?: "";
        err = merge_journal(&o, r, &suite, hash, merged, cases, &dropped);
        json_t *names = json_array();
        size_t k;
        json_t *iv;
        json_array_foreach(json_object_get(reports[r], "implementations"), k, iv)
            json_array_append_new(names, json_string(renamed(&o, r, json_string_value(json_object_get(iv, "name")) ?: "")));
        json_array_append_new(runs, json_pack("{s:s,s:s,s:o}", "dir", o.runs[r], "suite", hash, "implementations", names));
    }
    if (err)
        goto out;
    if (json_object_size(cases) == 0) {
        err = hx_printf("the runs hold no result of a case of %s", o.vectors);
        goto out;
    }
    if (dropped)
        fprintf(stderr, "stirmls-harness: merge: %zu results of cases %s lacks were left out\n", dropped, o.vectors);
    cfg.nimpls = json_array_size(impls);
    cfg.impls = calloc(cfg.nimpls, sizeof *cfg.impls);
    cfg.exps = calloc(cfg.nimpls, sizeof *cfg.exps);
    for (size_t k = 0; k < cfg.nimpls; k++) {
        json_t *m = json_array_get(impls, k), *e = json_object_get(m, "expectations");
        impl_spec(&cfg.impls[k], m);
        hx_expectations_load(&cfg.exps[k], cfg.impls[k].name, NULL, &err);
        const char *file = json_string_value(json_object_get(e, "file"));
        cfg.exps[k].path = file ? hx_strdup(file) : NULL;
        if (json_is_object(json_object_get(e, "policy")))
            json_object_update(cfg.exps[k].policy, json_object_get(e, "policy"));
    }
    const char *id;
    json_t *v;
    cfg.filters = calloc(json_object_size(cases), sizeof *cfg.filters);
    json_object_foreach(cases, id, v)
        cfg.filters[cfg.nfilters++] = hx_strdup(id);
    if (write_merged(&o, merged, &err) != 0 || hx_journal_open(&j, o.out, true, &err) != 0)
        goto out;
    merge_logs(&o, reports);
    hx_report report;
    hx_report_build(&report, &cfg, &suite, j.index, j.fd);
    json_object_set(report.doc, "runs", runs);
    if (hx_report_json_write(&report, o.out) || hx_report_junit_write(&report, o.out) ||
        hx_report_md_write(&report, o.out, o.strict) || hx_report_html_write(&report, o.out)) {
        err = hx_printf("%s: cannot write the reports", o.out);
    } else {
        char *html = hx_path_join(o.out, "index.html"), *safe = hx_ctl_escape(html);
        hx_report_print(&report, stdout);
        printf("report: %s (%zu runs merged)\n", safe, o.nruns);
        free(safe), free(html);
        rc = json_is_true(json_object_get(report.doc, "ok")) ? 0 : 1;
    }
    hx_report_cleanup(&report);
out:
    if (err)
        rc = mg_usage(err);
    if (j.path)
        hx_journal_close(&j);
    for (size_t k = 0; k < cfg.nimpls; k++) {
        hx_impl_spec_cleanup(&cfg.impls[k]);
        hx_expectations_cleanup(&cfg.exps[k]);
    }
    for (size_t f = 0; f < cfg.nfilters; f++)
        free(cfg.filters[f]);
    free(cfg.filters), free(cfg.impls), free(cfg.exps);
    for (size_t r = 0; r < o.nruns; r++)
        json_decref(reports[r]);
    free(reports);
    json_decref(impls), json_decref(merged), json_decref(cases), json_decref(runs);
    hx_suite_cleanup(&suite);
    free(o.out), free(o.vectors), free(o.renames);
    return rc;
}
