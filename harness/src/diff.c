/*
 * diff.c: `stirmls-harness diff [--markdown] OLD_RUN NEW_RUN`: what changed between two runs, per
 * implementation. A run is its report directory or its report.json. Every result (implementation,
 * case) and every cell of the generate matrix (verifier judging a producer's artefact) present in
 * both runs is compared: regressed (expected before, unexpected now), fixed (the reverse), changed
 * (as expected or not as before, but another verdict or observed reason); results in one run only
 * are listed as added or removed. Whether a verdict is expected follows each run's own
 * --strict-reasons. Exit status: 1 when anything regressed, else 0; 2 on a usage error.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The change classes, in the order they are printed. */
typedef enum { DX_REGRESSED, DX_FIXED, DX_CHANGED, DX_ADDED, DX_REMOVED, DX_CLASSES } dx_class;
static const char *const dx_names[DX_CLASSES] = {"regressed", "fixed", "changed", "added", "removed"};

json_t *hx_run_report_load(const char *run, char **err)
{
    struct stat st;
    char *path = stat(run, &st) == 0 && S_ISDIR(st.st_mode) ? hx_path_join(run, "report.json")
                                                             : hx_strdup(run);
    size_t len = 0;
    char *text = hx_read_file(path, (size_t)1 << 31, &len);
    json_t *doc = text ? json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL) : NULL;
    free(text);
    const char *schema = json_string_value(json_object_get(doc, "schema"));
    if (!doc || !schema || strcmp(schema, HX_REPORT_SCHEMA) != 0 ||
        !json_is_array(json_object_get(doc, "results"))) {
        *err = hx_printf("%s: not a readable %s report", path, HX_REPORT_SCHEMA);
        json_decref(doc);
        doc = NULL;
    }
    free(path);
    return doc;
}

bool hx_run_report_strict(const json_t *report)
{
    return json_is_true(json_object_get(json_object_get(report, "options"), "strict_reasons"));
}

/* key -> {impl, case, verdict, reason, unexpected} for every result and matrix cell of a report.
 * A matrix cell's implementation is its verifier and its case "CASE <- PRODUCER". */
json_t *hx_run_outcomes(const json_t *report)
{
    json_t *out = json_object();
    bool strict = hx_run_report_strict(report);
    static const char *const lists[] = {"results", "matrix"};
    for (size_t l = 0; l < 2; l++) {
        size_t i;
        json_t *r;
        json_array_foreach(json_object_get(report, lists[l]), i, r) {
            const char *impl = json_string_value(json_object_get(r, l ? "verifier" : "implementation"));
            const char *cs = json_string_value(json_object_get(r, "case"));
            const char *verdict = json_string_value(json_object_get(r, "verdict"));
            if (!impl || !cs || !verdict)
                continue;
            char *label = l ? hx_printf("%s <- %s", cs, json_string_value(json_object_get(r, "producer")) ?: "")
                            : hx_strdup(cs);
            int v = hx_verdict_parse(verdict);
            json_t *unexp = json_object_get(r, "unexpected");
            bool bad = json_is_boolean(unexp) ? json_is_true(unexp)
                                              : v < 0 || !hx_verdict_expected((hx_verdict)v, strict);
            const char *obs = json_string_value(json_object_get(r, "observed"));
            const char *err = json_string_value(json_object_get(json_object_get(r, "error"), "code"));
            char *seen = obs ? hx_printf("%s%s%s", obs, json_string_length(json_object_get(r, "reason")) ? " " : "",
                                         json_string_value(json_object_get(r, "reason")) ?: "")
                       : err ? hx_printf("error %s", err) : hx_strdup("-");
            char *key = hx_printf("%s\t%s", impl, label);
            json_object_set_new(out, key, json_pack("{s:s,s:s,s:s,s:s,s:b}", "impl", impl, "case", label,
                                                    "verdict", verdict, "seen", seen, "unexpected", bad));
            free(key), free(label), free(seen);
        }
    }
    return out;
}

static int cmp_rows(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rows of each class: array of {impl, case, before, after}, sorted by implementation, case. */
static void classify(json_t *old, json_t *new, json_t *rows[DX_CLASSES])
{
    json_t *both[2] = {old, new};
    size_t n = json_object_size(old) + json_object_size(new), k = 0;
    char **keys = calloc(n + 1, sizeof *keys);
    for (int s = 0; s < 2; s++) {
        const char *key;
        json_t *v;
        json_object_foreach(both[s], key, v) {
            if (s == 0 || !json_object_get(old, key))
                keys[k++] = (char *)key;
        }
    }
    qsort(keys, k, sizeof *keys, cmp_rows);
    for (size_t i = 0; i < k; i++) {
        json_t *a = json_object_get(old, keys[i]), *b = json_object_get(new, keys[i]);
        dx_class c;
        if (!a)
            c = DX_ADDED;
        else if (!b)
            c = DX_REMOVED;
        else {
            bool ua = json_is_true(json_object_get(a, "unexpected")), ub = json_is_true(json_object_get(b, "unexpected"));
            if (!ua && ub)
                c = DX_REGRESSED;
            else if (ua && !ub)
                c = DX_FIXED;
            else if (!json_equal(json_object_get(a, "verdict"), json_object_get(b, "verdict")) ||
                     !json_equal(json_object_get(a, "seen"), json_object_get(b, "seen")))
                c = DX_CHANGED;
            else
                continue;
        }
        json_t *one = a ? a : b;
        char *before = a ? hx_printf("%s (%s)", json_string_value(json_object_get(a, "verdict")),
                                     json_string_value(json_object_get(a, "seen"))) : hx_strdup("-");
        char *after = b ? hx_printf("%s (%s)", json_string_value(json_object_get(b, "verdict")),
                                    json_string_value(json_object_get(b, "seen"))) : hx_strdup("-");
        json_array_append_new(rows[c], json_pack("{s:O,s:O,s:s,s:s,s:b}", "impl", json_object_get(one, "impl"),
                                                 "case", json_object_get(one, "case"), "before", before,
                                                 "after", after, "unexpected",
                                                 json_is_true(json_object_get(b ? b : a, "unexpected"))));
        free(before), free(after);
    }
    free(keys);
}

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k)) ?: "";
}

static const char *suite_hash(const json_t *report)
{
    return str(json_object_get(report, "suite"), "hash");
}

static void print_text(FILE *f, const char *oldp, const char *newp, const json_t *ro, const json_t *rn,
                       json_t *rows[DX_CLASSES])
{
    char *o = hx_ctl_escape(oldp), *n = hx_ctl_escape(newp);
    fprintf(f, "diff %s -> %s:", o, n);
    for (int c = 0; c < DX_CLASSES; c++)
        fprintf(f, "%s %zu %s", c ? "," : "", json_array_size(rows[c]), dx_names[c]);
    fputs("\n", f);
    if (strcmp(suite_hash(ro), suite_hash(rn)) != 0)
        fprintf(f, "suites differ: %.12s -> %.12s\n", suite_hash(ro), suite_hash(rn));
    for (int c = 0; c < DX_CLASSES; c++) {
        size_t i;
        json_t *r;
        json_array_foreach(rows[c], i, r) {
            char *impl = hx_ctl_escape(str(r, "impl")), *cs = hx_ctl_escape(str(r, "case"));
            char *b = hx_ctl_escape(str(r, "before")), *a = hx_ctl_escape(str(r, "after"));
            fprintf(f, "%-9s %s %s: %s -> %s\n", dx_names[c], impl, cs, b, a);
            free(impl), free(cs), free(b), free(a);
        }
    }
    free(o), free(n);
}

static void print_markdown(FILE *f, const char *oldp, const char *newp, const json_t *ro, const json_t *rn,
                           json_t *rows[DX_CLASSES])
{
    char *o = hx_md_escape(oldp), *n = hx_md_escape(newp);
    fprintf(f, "## stirmls-harness diff\n\n%s → %s:", o, n);
    for (int c = 0; c < DX_CLASSES; c++)
        fprintf(f, "%s **%zu %s**", c ? "," : "", json_array_size(rows[c]), dx_names[c]);
    fputs("\n", f);
    if (strcmp(suite_hash(ro), suite_hash(rn)) != 0)
        fprintf(f, "\nThe suites differ: %.12s → %.12s.\n", suite_hash(ro), suite_hash(rn));
    for (int c = 0; c < DX_CLASSES; c++) {
        if (json_array_size(rows[c]) == 0)
            continue;
        fprintf(f, "\n### %s\n\n| implementation | case | before | after |\n|---|---|---|---|\n", dx_names[c]);
        size_t i;
        json_t *r;
        json_array_foreach(rows[c], i, r) {
            static const char *const cols[] = {"impl", "case", "before", "after"};
            fputs("|", f);
            for (size_t k = 0; k < 4; k++) {
                char *e = hx_md_escape(str(r, cols[k]));
                fprintf(f, " %s |", e);
                free(e);
            }
            fputs("\n", f);
        }
    }
    free(o), free(n);
}

int hx_cmd_diff(int argc, char **argv)
{
    bool markdown = false;
    const char *runs[2];
    int nruns = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--markdown") == 0)
            markdown = true;
        else if (argv[i][0] != '-' && nruns < 2)
            runs[nruns++] = argv[i];
        else
            nruns = 3;
    }
    if (nruns != 2) {
        fputs("stirmls-harness: diff wants [--markdown] OLD_RUN NEW_RUN (try --help)\n", stderr);
        return 2;
    }
    char *err = NULL;
    json_t *rep[2] = {NULL, NULL};
    for (int k = 0; k < 2 && !err; k++)
        rep[k] = hx_run_report_load(runs[k], &err);
    if (err) {
        char *safe = hx_ctl_escape(err);
        fprintf(stderr, "stirmls-harness: diff: %s\n", safe);
        free(safe), free(err);
        json_decref(rep[0]);
        return 2;
    }
    json_t *old = hx_run_outcomes(rep[0]), *new = hx_run_outcomes(rep[1]), *rows[DX_CLASSES];
    for (int c = 0; c < DX_CLASSES; c++)
        rows[c] = json_array();
    classify(old, new, rows);
    (markdown ? print_markdown : print_text)(stdout, runs[0], runs[1], rep[0], rep[1], rows);
    int rc = json_array_size(rows[DX_REGRESSED]) ? 1 : 0;
    for (int c = 0; c < DX_CLASSES; c++)
        json_decref(rows[c]);
    json_decref(old), json_decref(new), json_decref(rep[0]), json_decref(rep[1]);
    return rc;
}
