/*
 * report_text.c: the summaries every view shares, and what a run prints when it ends: the summary
 * line, each implementation's counts, the implementation x family table (judged, passed, failed,
 * unsupported, with a small bar per cell), then the warnings (an implementation that judged no
 * case, hello tags no case carries). Everything an implementation sent is printed with control
 * bytes escaped.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *counts_text(char *line, const json_t *counts)
{
    for (int v = 0; v < HX_VERDICT_COUNT; v++) {
        json_int_t n = json_integer_value(json_object_get(counts, hx_verdict_name((hx_verdict)v)));
        if (n == 0)
            continue;
        char *next = hx_printf("%s %s %lld", line, hx_verdict_name((hx_verdict)v), (long long)n);
        free(line);
        line = next;
    }
    return line;
}

char *hx_report_summary_line(const hx_report *rep)
{
    const json_t *report = rep->doc;
    size_t n = rep->cfg->nimpls;
    char *line = hx_printf("%s: %lld results, %lld unexpected", json_is_true(json_object_get(report, "ok"))
                           ? "OK" : "NOT OK", (long long)rep->nresults,
                           (long long)json_integer_value(json_object_get(report, "unexpected")));
    char *next = n == 1 ? hx_printf("%s:", line) : hx_printf("%s (%zu implementations)", line, n);
    free(line);
    return n == 1 ? counts_text(next, json_object_get(report, "totals")) : next;
}

char *hx_report_impl_line(const hx_report *rep, size_t k)
{
    json_t *iv = json_array_get(json_object_get(rep->doc, "implementations"), k);
    char *name = hx_ctl_escape(json_string_value(json_object_get(iv, "name")) ?: "");
    char *line = hx_printf("%s: %zu results, %zu unexpected, %lld judged:", name, rep->tests[k],
                           rep->failures[k] + hx_report_judged_nothing(rep, k),
                           (long long)json_integer_value(json_object_get(iv, "judged")));
    free(name);
    return counts_text(line, json_object_get(iv, "counts"));
}

json_t *hx_report_families(const hx_report *rep)
{
    json_t *out = json_array();
    const char *last = NULL;
    for (size_t i = 0; i < rep->suite->ncases; i++) {
        const hx_case *c = &rep->suite->cases[i];
        if (!hx_case_selected(rep->cfg, c->id) || (last && strcmp(last, c->file) == 0))
            continue;
        json_array_append_new(out, json_string(c->file));
        last = c->file;
    }
    return out;
}

static json_int_t num(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

char *hx_family_cell(const json_t *fam, int width, const char *const glyph[3])
{
    json_int_t part[3] = {num(fam, "passed"), num(fam, "failed"), num(fam, "unsupported")};
    json_int_t total = part[0] + part[1] + part[2];
    int cells[3] = {0, 0, 0}, used = 0, big = 0;
    for (int i = 0; i < 3 && total > 0; i++) {
        cells[i] = (int)((part[i] * width + total / 2) / total);
        if (part[i] > 0 && cells[i] == 0)
            cells[i] = 1; /* a single failure still shows */
        used += cells[i];
        big = cells[i] > cells[big] ? i : big;
    }
    if (total > 0)
        cells[big] += width - used; /* rounding goes to the largest part */
    size_t glen = strlen(glyph[0]) > strlen(glyph[1]) ? strlen(glyph[0]) : strlen(glyph[1]);
    glen = glen > strlen(glyph[2]) ? glen : strlen(glyph[2]);
    char *bar = calloc(1, (size_t)width * glen + 1);
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < cells[i]; k++)
            strcat(bar, glyph[i]);
    char *text = hx_printf("%s %lld/%lld passed", bar, (long long)part[0], (long long)num(fam, "judged"));
    free(bar);
    for (int i = 1; i < 3; i++)
        if (part[i] > 0) {
            char *next = hx_printf("%s, %lld %s", text, (long long)part[i], i == 1 ? "failed" : "unsupported");
            free(text);
            text = next;
        }
    return text;
}

/* The terminal table: family rows, one column per implementation, padded to the widest cell. */
static void family_table(const hx_report *rep, FILE *f)
{
    static const char *const ascii[3] = {"#", "x", "."};
    json_t *fams = hx_report_families(rep), *impls = json_object_get(rep->doc, "implementations");
    size_t nf = json_array_size(fams), ni = json_array_size(impls), fw = strlen("family");
    char **cell = calloc((nf + 1) * ni + 1, sizeof *cell);
    size_t *w = calloc(ni + 1, sizeof *w);
    for (size_t k = 0; k < ni; k++) {
        cell[k] = hx_ctl_escape(json_string_value(json_object_get(json_array_get(impls, k), "name")) ?: "");
        w[k] = strlen(cell[k]);
    }
    for (size_t i = 0; i < nf; i++) {
        const char *fam = json_string_value(json_array_get(fams, i));
        fw = strlen(fam) > fw ? strlen(fam) : fw;
        for (size_t k = 0; k < ni; k++) {
            json_t *fc = json_object_get(json_object_get(json_array_get(impls, k), "families"), fam);
            char *c = fc ? hx_family_cell(fc, 10, ascii) : hx_strdup("-");
            cell[(i + 1) * ni + k] = c;
            w[k] = strlen(c) > w[k] ? strlen(c) : w[k];
        }
    }
    for (size_t i = 0; i <= nf; i++) {
        fprintf(f, "%-*s", (int)fw, i ? json_string_value(json_array_get(fams, i - 1)) : "family");
        for (size_t k = 0; k < ni; k++)
            fprintf(f, "  %-*s", k + 1 < ni ? (int)w[k] : 0, cell[i * ni + k]);
        fputc('\n', f);
    }
    for (size_t i = 0; i < (nf + 1) * ni; i++)
        free(cell[i]);
    free(cell);
    free(w);
    json_decref(fams);
}

void hx_report_print(const hx_report *rep, FILE *f)
{
    char *line = hx_report_summary_line(rep);
    fprintf(f, "%s\n", line);
    free(line);
    for (size_t k = 0; rep->cfg->nimpls > 1 && k < rep->cfg->nimpls; k++) {
        line = hx_report_impl_line(rep, k);
        fprintf(f, "  %s\n", line);
        free(line);
    }
    family_table(rep, f);
    size_t i, w;
    json_t *iv, *text;
    json_array_foreach(json_object_get(rep->doc, "implementations"), i, iv)
        json_array_foreach(json_object_get(iv, "warnings"), w, text) {
            char *msg = hx_ctl_escape(json_string_value(text));
            fprintf(f, "%s\n", msg);
            free(msg);
        }
}
