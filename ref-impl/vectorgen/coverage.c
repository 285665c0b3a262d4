/*
 * coverage.c: requirement coverage. Reads the IDs and levels of docs/requirements.md (rows
 * "| `ID` | level | ..."), and for each requirement lists the cases that exercise it positively
 * (expect accept) and negatively (expect reject). `either` cases count as policy cases, neither.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"

json_t *vg_requirements_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        snprintf(err, errlen, "%s: cannot open", path);
        return NULL;
    }
    json_t *reqs = json_array();
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "| `", 3) != 0)
            continue;
        char *id = line + 3, *end = strchr(id, '`');
        if (end == NULL)
            continue;
        *end = 0;
        char *lvl = strchr(end + 1, '|');
        char level[64] = "";
        if (lvl) {
            lvl++;
            while (*lvl == ' ')
                lvl++;
            size_t n = strcspn(lvl, "|");
            while (n > 0 && lvl[n - 1] == ' ')
                n--;
            snprintf(level, sizeof level, "%.*s", (int)n, lvl);
        }
        json_array_append_new(reqs, json_pack("{s:s,s:s}", "id", id, "level", level));
    }
    fclose(f);
    return reqs;
}

static json_t *find_req(json_t *reqs, const char *id)
{
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r) if (strcmp(json_string_value(json_object_get(r, "id")), id) == 0) return r;
    return NULL;
}

int vg_check_spec_ids(json_t *model, json_t *reqs, char *err, size_t errlen)
{
    size_t i, j, k;
    json_t *fam, *c, *s;
    json_array_foreach(json_object_get(model, "families"), i, fam)
        json_array_foreach(json_object_get(fam, "cases"), j, c)
            json_array_foreach(json_object_get(c, "spec"), k, s)
                if (!json_is_string(s) || find_req(reqs, json_string_value(s)) == NULL) {
                    snprintf(err, errlen, "%s: case %s: spec '%s' is not in docs/requirements.md",
                             json_string_value(json_object_get(fam, "file")),
                             json_string_value(json_object_get(c, "id")),
                             json_is_string(s) ? json_string_value(s) : "?");
                    return 0;
                }
    return 1;
}

int vg_coverage_print(json_t *model, json_t *reqs, FILE *out)
{
    size_t i, j, k;
    json_t *r, *fam, *c, *s;
    int lacking = 0;
    json_array_foreach(reqs, i, r) {
        json_object_set_new(r, "pos", json_array());
        json_object_set_new(r, "neg", json_array());
    }
    json_array_foreach(json_object_get(model, "families"), i, fam)
        json_array_foreach(json_object_get(fam, "cases"), j, c) {
            json_t *e = json_object_get(c, "expect");
            const char *bucket = json_is_string(e) || json_object_get(e, "accept") ? "pos"
                                 : json_object_get(e, "reject")                    ? "neg"
                                                                                   : NULL;
            if (bucket == NULL)
                continue;
            json_array_foreach(json_object_get(c, "spec"), k, s) {
                json_t *req = find_req(reqs, json_string_value(s));
                if (req)
                    json_array_append(json_object_get(req, bucket), json_object_get(c, "id"));
            }
        }
    fprintf(out, "%-10s %-15s %4s %4s  cases\n", "ID", "level", "pos", "neg");
    json_t *gaps = json_array();
    json_array_foreach(reqs, i, r) {
        const char *id = json_string_value(json_object_get(r, "id"));
        const char *level = json_string_value(json_object_get(r, "level"));
        json_t *pos = json_object_get(r, "pos"), *neg = json_object_get(r, "neg");
        fprintf(out, "%-10s %-15s %4zu %4zu ", id, level, json_array_size(pos), json_array_size(neg));
        size_t n = 0;
        json_t *v;
        json_array_foreach(pos, k, v) if (n++ < 3) fprintf(out, " +%s", json_string_value(v));
        n = 0;
        json_array_foreach(neg, k, v) if (n++ < 3) fprintf(out, " -%s", json_string_value(v));
        fputc('\n', out);
        if (strcmp(level, "info") != 0 && (json_array_size(pos) == 0 || json_array_size(neg) == 0))
            json_array_append_new(gaps, json_sprintf("%s (%s%s%s)", id,
                                                     json_array_size(pos) ? "" : "no positive case",
                                                     json_array_size(pos) || json_array_size(neg) ? "" : ", ",
                                                     json_array_size(neg) ? "" : "no negative case"));
    }
    fprintf(out, "\n%zu requirements; %zu checked ones lack a positive or a negative case%s\n",
            json_array_size(reqs), json_array_size(gaps), json_array_size(gaps) ? ":" : ".");
    json_t *g;
    json_array_foreach(gaps, k, g) fprintf(out, "  %s\n", json_string_value(g));
    lacking = (int)json_array_size(gaps);
    json_decref(gaps);
    return lacking;
}
