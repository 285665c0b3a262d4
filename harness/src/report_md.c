/*
 * report_md.c: summary.md for a CI job summary: counts per implementation and verdict, then the
 * unexpected results. Text from implementations is escaped for Markdown (backslash escapes, not
 * HTML entities) and control bytes (terminal escapes included) become \xNN.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Escaped for Markdown (a table cell or a list item): every character Markdown would read as
 * markup (raw HTML '<', entities '&', emphasis, code, links, '|') gets a backslash (CommonMark
 * backslash escapes: it renders as the character itself, and no raw HTML tag can start); quotes
 * stay quotes. owned */
char *hx_md_escape(const char *s)
{
    char *c = hx_ctl_escape(s);
    char *out = malloc(strlen(c) * 2 + 1), *o = out;
    for (const char *p = c; *p; p++) {
        if (strchr("|`*_[]\\<>&~#!", *p) && *p)
            *o++ = '\\';
        *o++ = *p == '\n' ? ' ' : *p;
    }
    *o = '\0';
    free(c);
    return out;
}

static void cell(FILE *f, const char *s)
{
    char *e = hx_md_escape(s ? s : "");
    fprintf(f, " %s |", e);
    free(e);
}

/* One table row per result that `want` picks; returns how many. A row: case, implementation,
 * verdict, expected, observed (verdict and reason, or the error), native text, note. */
static size_t result_rows(FILE *f, const hx_report *rep, bool (*want)(const hx_report *, const json_t *))
{
    size_t n = 0, cur = 0, impl_k = 0;
    const json_t *ref = NULL;
    while (hx_report_next(rep, &cur, &ref, &impl_k)) {
        if (!want(rep, ref))
            continue;
        json_t *r = hx_report_result(rep, ref), *x = json_object_get(r, "expected");
        json_t *err = json_object_get(r, "error");
        if (n++ == 0)
            fputs("| case | implementation | verdict | expected | observed | native | note |\n"
                  "|---|---|---|---|---|---|---|\n", f);
        char *exp = hx_printf("%s %s%s", json_string_value(json_object_get(x, "verdict")) ?: "",
                              json_string_value(json_object_get(x, "reason")) ?: "",
                              json_string_value(json_object_get(x, "flag")) ?: "");
        const char *obs = json_string_value(json_object_get(r, "observed"));
        char *seen = obs ? hx_printf("%s %s", obs, json_string_value(json_object_get(r, "reason")) ?: "")
                   : err ? hx_printf("error %s", json_string_value(json_object_get(err, "code")) ?: "")
                         : hx_strdup("-");
        fputs("|", f);
        cell(f, json_string_value(json_object_get(r, "case")));
        cell(f, json_string_value(json_object_get(r, "implementation")));
        cell(f, json_string_value(json_object_get(r, "verdict")));
        cell(f, exp);
        cell(f, seen);
        cell(f, json_string_value(json_object_get(r, "native")));
        cell(f, json_string_value(json_object_get(r, "note")));
        fputs("\n", f);
        free(exp);
        free(seen);
        json_decref(r);
    }
    return n;
}

static bool unexpected(const hx_report *rep, const json_t *ref)
{
    return hx_report_unexpected(rep, ref);
}

/* PASS_OTHER_REASON that does not count against the run (with --strict-reasons it is unexpected) */
static bool other_reason(const hx_report *rep, const json_t *ref)
{
    return !rep->cfg->strict_reasons && hx_report_verdict(rep, ref) == HX_PASS_OTHER_REASON;
}

/* Each implementation's counts: results, judged, unexpected, then one column per verdict. */
static void counts_table(FILE *f, const hx_report *rep)
{
    fputs("| implementation | results | judged | unexpected |", f);
    for (int v = 0; v < HX_VERDICT_COUNT; v++)
        fprintf(f, " %s |", hx_verdict_name((hx_verdict)v));
    fputs("\n|---|---:|---:|---:|", f);
    for (int v = 0; v < HX_VERDICT_COUNT; v++)
        fputs("---:|", f);
    fputs("\n", f);
    size_t i;
    json_t *impl;
    json_array_foreach(json_object_get(rep->doc, "implementations"), i, impl) {
        fputs("|", f);
        cell(f, json_string_value(json_object_get(impl, "name")));
        fprintf(f, " %zu | %lld | %zu |", rep->tests[i], (long long)json_integer_value(json_object_get(impl, "judged")),
                rep->failures[i] + hx_report_judged_nothing(rep, i));
        for (int v = 0; v < HX_VERDICT_COUNT; v++)
            fprintf(f, " %lld |", (long long)json_integer_value(json_object_get(
                                      json_object_get(impl, "counts"), hx_verdict_name((hx_verdict)v))));
        fputs("\n", f);
    }
}

/* Implementation x family: a bar (passed, failed, unsupported) and the counts in each cell. */
static void family_table(FILE *f, const hx_report *rep)
{
    static const char *const glyph[3] = {"\u2588", "\u2592", "\u2591"}; /* full, medium, light shade */
    json_t *fams = hx_report_families(rep), *impls = json_object_get(rep->doc, "implementations"), *impl;
    size_t i, k;
    fputs("\n## By family\n\n\u2588 passed, \u2592 failed, \u2591 unsupported or skipped\n\n| family |", f);
    json_array_foreach(impls, k, impl)
        cell(f, json_string_value(json_object_get(impl, "name")));
    fputs("\n|---|", f);
    json_array_foreach(impls, k, impl)
        fputs("---|", f);
    fputs("\n", f);
    json_t *fam;
    json_array_foreach(fams, i, fam) {
        fputs("|", f);
        cell(f, json_string_value(fam));
        json_array_foreach(impls, k, impl) {
            json_t *fc = json_object_get(json_object_get(impl, "families"), json_string_value(fam));
            char *c = fc ? hx_family_cell(fc, 10, glyph) : hx_strdup("-");
            cell(f, c);
            free(c);
        }
        fputs("\n", f);
    }
    json_decref(fams);
}

int hx_report_md_write(const hx_report *rep, const char *dir, bool strict_reasons)
{
    char *path = hx_path_join(dir, "summary.md");
    char *tmp = hx_printf("%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        free(tmp);
        free(path);
        return -1;
    }
    const json_t *report = rep->doc;
    char *line = hx_report_summary_line(rep);
    fprintf(f, "# stirmls conformance\n\n%s\n\nSuite %s, %s%s.\n\n", line,
            json_string_value(json_object_get(json_object_get(report, "suite"), "hash")),
            json_string_value(json_object_get(report, "openssl")),
            strict_reasons ? ", strict reasons" : "");
    free(line);
    counts_table(f, rep);
    family_table(f, rep);
    size_t i, w;
    json_t *impl, *text;
    bool any = false;
    json_array_foreach(json_object_get(report, "implementations"), i, impl)
        json_array_foreach(json_object_get(impl, "warnings"), w, text) {
            if (!any)
                fputs("\n## Warnings\n", f);
            any = true;
            fputs("\n-", f);
            char *e = hx_md_escape(json_string_value(text));
            fprintf(f, " %s", e);
            free(e);
        }
    if (any)
        fputs("\n", f);
    fputs("\n## Unexpected results\n\n", f);
    size_t n = result_rows(f, rep, unexpected);
    json_array_foreach(json_object_get(report, "implementations"), i, impl) {
        json_t *hl = json_object_get(impl, "hello_last");
        if (json_is_object(hl) && !json_is_true(json_object_get(hl, "ok"))) {
            fputs("\n- closing hello failed for", f);
            cell(f, json_string_value(json_object_get(impl, "name")));
            n++;
        }
        size_t k;
        json_t *s;
        json_array_foreach(json_object_get(json_object_get(impl, "expectations"), "stale"), k, s) {
            fputs("\n- expectation entry matches no case:", f);
            cell(f, json_string_value(s));
        }
    }
    if (n == 0)
        fputs("None.\n", f);
    if (!strict_reasons) {
        fputs("\n## Passed with another reason (PASS_OTHER_REASON)\n\nThe right verdict with another "
              "reason than the suite's: not counted against the run (--strict-reasons counts it), but "
              "worth a look: the reason may hide a different bug.\n\n", f);
        if (result_rows(f, rep, other_reason) == 0)
            fputs("None.\n", f);
    }
    fputs("\n", f);
    int rc = (fclose(f) == 0 && rename(tmp, path) == 0) ? 0 : -1;
    free(tmp);
    free(path);
    return rc;
}
