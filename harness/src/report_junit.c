/*
 * report_junit.c: junit.xml, one testsuite per implementation, one testcase per case. Unexpected
 * verdicts are <failure> (message: verdict, expected and observed verdict and reason or error;
 * body: also the case's why and spec IDs, the native text and the harness's note), SKIP and
 * UNSUPPORTED are <skipped>. Everything is XML-escaped; control
 * bytes (not allowed in XML 1.0) are written as \xNN text.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pre, then text XML-escaped, then post */
static void put(FILE *f, const char *pre, const char *text, const char *post)
{
    char *e = hx_xml_escape(text);
    fputs(pre, f);
    fputs(e, f);
    fputs(post, f);
    free(e);
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key)) ?: "";
}

/* "VERDICT: expected reject R, observed accept" (or "observed error CODE: MESSAGE", or "observed
 * no answer"), then the body: each part on its own line (why, spec, native text, note). */
static void testcase(FILE *f, const json_t *r, const json_t *c)
{
    const char *verdict = str(r, "verdict");
    put(f, "  <testcase classname=\"", str(r, "implementation"), "\"");
    put(f, " name=\"", str(r, "case"), "\"");
    fprintf(f, " time=\"%.3f\">\n", (double)json_integer_value(json_object_get(r, "duration_ms")) / 1000.0);
    const json_t *x = json_object_get(r, "expected"), *err = json_object_get(r, "error");
    const char *policy = json_string_value(json_object_get(x, "policy"));
    char *expected = hx_printf("%s%s%s%s%s%s", str(x, "verdict"), *str(x, "reason") ? " " : "",
                               str(x, "reason"), *str(x, "flag") ? " " : "", str(x, "flag"),
                               !*str(x, "flag") ? "" : policy && !strcmp(policy, "accept") ? " (policy: accept)"
                               : policy ? " (policy: reject)" : " (no policy: both pass)");
    char *observed = json_is_string(json_object_get(r, "observed"))
                         ? hx_printf("%s%s%s", str(r, "observed"), *str(r, "reason") ? " " : "", str(r, "reason"))
                     : err ? hx_printf("error %s: %s", str(err, "code"), str(err, "message"))
                           : hx_strdup("no answer");
    char *msg = hx_printf("%s: expected %s, observed %s", verdict, expected, observed);
    char *spec = hx_strdup("");
    size_t i;
    json_t *id;
    json_array_foreach(json_object_get(c, "spec"), i, id) {
        char *next = hx_printf("%s%s%s", spec, i ? ", " : "", json_string_value(id) ?: "");
        free(spec);
        spec = next;
    }
    char *body = hx_printf("%s\nwhy: %s\nspec: %s\nnative: %s\nnote: %s", msg, str(c, "why"),
                           spec, str(r, "native"), str(r, "note"));
    if (json_is_true(json_object_get(r, "unexpected"))) {
        put(f, "   <failure message=\"", msg, "\">");
        put(f, "", body, "</failure>\n");
    } else if (strcmp(verdict, "SKIP") == 0 || strcmp(verdict, "UNSUPPORTED") == 0) {
        char *why = hx_printf("%s: %s", verdict, str(r, "note"));
        put(f, "   <skipped message=\"", why, "\"/>\n");
        free(why);
    } else {
        put(f, "   <system-out>", body, "</system-out>\n");
    }
    free(expected), free(observed), free(msg), free(spec), free(body);
    fputs("  </testcase>\n", f);
}

static size_t counted(const json_t *impl, const char *verdict)
{
    return (size_t)json_integer_value(json_object_get(json_object_get(impl, "counts"), verdict));
}

int hx_report_junit_write(const hx_report *rep, const char *dir)
{
    char *path = hx_path_join(dir, "junit.xml");
    char *tmp = hx_printf("%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        free(tmp);
        free(path);
        return -1;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"stirmls conformance\">\n", f);
    size_t i;
    json_t *impl;
    json_array_foreach(json_object_get(rep->doc, "implementations"), i, impl) {
        const char *name = json_string_value(json_object_get(impl, "name"));
        size_t skipped = counted(impl, "SKIP") + counted(impl, "UNSUPPORTED");
        put(f, " <testsuite name=\"", name, "\"");
        bool nothing = hx_report_judged_nothing(rep, i);
        fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", rep->tests[i] + nothing,
                rep->failures[i] + nothing, skipped);
        size_t cur = 0, k = 0;
        const json_t *ref = NULL;
        while (hx_report_next(rep, &cur, &ref, &k)) {
            if (k != i)
                continue;
            json_t *r = hx_report_result(rep, ref);
            json_t *c = hx_suite_case_json(rep->suite, &rep->suite->cases[(cur - 1) / rep->cfg->nimpls]);
            testcase(f, r, c);
            json_decref(c);
            json_decref(r);
        }
        if (hx_report_judged_nothing(rep, i)) /* a CI reading only junit.xml must not see green */
            put(f, "  <testcase classname=\"", name,
                "\" name=\"(judged no case)\">\n   <failure message=\"every result UNSUPPORTED or SKIP\"/>\n"
                "  </testcase>\n");
        size_t w;
        json_t *text;
        json_array_foreach(json_object_get(impl, "warnings"), w, text)
            put(f, "  <system-err>", json_string_value(text), "</system-err>\n");
        fputs(" </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    int rc = (fclose(f) == 0 && rename(tmp, path) == 0) ? 0 : -1;
    free(tmp);
    free(path);
    return rc;
}
