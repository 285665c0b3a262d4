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
static char *md(const char *s)
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
    char *e = md(s ? s : "");
    fprintf(f, " %s |", e);
    free(e);
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
    fprintf(f, "# stirmls conformance\n\n%s\n\nSuite %s, %s%s.\n\n| implementation |", line,
            json_string_value(json_object_get(json_object_get(report, "suite"), "hash")),
            json_string_value(json_object_get(report, "openssl")),
            strict_reasons ? ", strict reasons" : "");
    free(line);
    for (int v = 0; v < HX_VERDICT_COUNT; v++)
        fprintf(f, " %s |", hx_verdict_name((hx_verdict)v));
    fputs("\n|---|", f);
    for (int v = 0; v < HX_VERDICT_COUNT; v++)
        fputs("---:|", f);
    fputs("\n", f);
    size_t i;
    json_t *impl, *r;
    json_array_foreach(json_object_get(report, "implementations"), i, impl) {
        fputs("|", f);
        cell(f, json_string_value(json_object_get(impl, "name")));
        for (int v = 0; v < HX_VERDICT_COUNT; v++)
            fprintf(f, " %lld |", (long long)json_integer_value(json_object_get(
                                      json_object_get(impl, "counts"), hx_verdict_name((hx_verdict)v))));
        fputs("\n", f);
    }
    size_t w;
    json_t *text;
    bool any = false;
    json_array_foreach(json_object_get(report, "implementations"), i, impl)
        json_array_foreach(json_object_get(impl, "warnings"), w, text) {
            if (!any)
                fputs("\n## Warnings\n", f);
            any = true;
            fputs("\n-", f);
            char *e = md(json_string_value(text));
            fprintf(f, " %s", e);
            free(e);
        }
    if (any)
        fputs("\n", f);
    fputs("\n## Unexpected results\n\n", f);
    size_t n = 0, cur = 0, impl_k = 0;
    const json_t *ref = NULL;
    while (hx_report_next(rep, &cur, &ref, &impl_k)) {
        if (!hx_report_unexpected(rep, ref))
            continue;
        r = hx_report_result(rep, ref);
        if (n++ == 0)
            fputs("| case | implementation | verdict | expected | observed | reason | native | note |\n"
                  "|---|---|---|---|---|---|---|---|\n", f);
        json_t *x = json_object_get(r, "expected");
        char *exp = hx_printf("%s %s", json_string_value(json_object_get(x, "verdict")) ?: "",
                              json_string_value(json_object_get(x, "reason")) ?: "");
        fputs("|", f);
        cell(f, json_string_value(json_object_get(r, "case")));
        cell(f, json_string_value(json_object_get(r, "implementation")));
        cell(f, json_string_value(json_object_get(r, "verdict")));
        cell(f, exp);
        cell(f, json_string_value(json_object_get(r, "observed")));
        cell(f, json_string_value(json_object_get(r, "reason")));
        cell(f, json_string_value(json_object_get(r, "native")));
        cell(f, json_string_value(json_object_get(r, "note")));
        fputs("\n", f);
        free(exp);
        json_decref(r);
    }
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
    fputs("\n", f);
    int rc = (fclose(f) == 0 && rename(tmp, path) == 0) ? 0 : -1;
    free(tmp);
    free(path);
    return rc;
}
