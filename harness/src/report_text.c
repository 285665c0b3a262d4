/*
 * report_text.c: what a run prints when it ends: the summary line, then the warnings (an
 * implementation that judged no case, hello tags no case carries). Everything an implementation
 * sent is printed with control bytes escaped.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

void hx_report_print(const hx_report *rep, FILE *f)
{
    char *line = hx_report_summary_line(rep);
    fprintf(f, "%s\n", line);
    free(line);
    size_t i, w;
    json_t *iv, *text;
    json_array_foreach(json_object_get(rep->doc, "implementations"), i, iv)
        json_array_foreach(json_object_get(iv, "warnings"), w, text) {
            char *msg = hx_ctl_escape(json_string_value(text));
            fprintf(f, "%s\n", msg);
            free(msg);
        }
}
