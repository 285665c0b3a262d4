/*
 * output.c: writing vectors. vectors/<family>.json (the harness's input, docs/vectors.md) and, per
 * case, vectors/<family>/<name>/ holding the same case as plain files for other projects' unit
 * tests. Everything is first written under a temporary folder and moved into place only when the
 * whole suite built, so an invalid scenario never leaves a half-written vectors/.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "output.h"

static int write_text(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return 0;
    int ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

static int write_json(const char *dir, const char *name, json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    size_t n = s ? strlen(s) : 0;
    char *line = s ? realloc(s, n + 2) : NULL;
    if (line == NULL) {
        free(s);
        return 0;
    }
    line[n] = '\n', line[n + 1] = 0;
    int ok = write_text(dir, name, line);
    free(line);
    return ok;
}

/* s and a newline into dir/name; nothing (1) when s is NULL. */
static int write_line(const char *dir, const char *name, const char *s)
{
    if (s == NULL)
        return 1;
    size_t n = strlen(s);
    char *line = malloc(n + 2);
    if (line == NULL)
        return 0;
    memcpy(line, s, n);
    line[n] = '\n', line[n + 1] = 0;
    int ok = write_text(dir, name, line);
    free(line);
    return ok;
}

static int write_pems(const char *dir, const char *name, json_t *pems)
{
    size_t i, n = 0;
    json_t *p;
    json_array_foreach(pems, i, p) n += strlen(json_string_value(p));
    char *all = calloc(1, n + 1);
    json_array_foreach(pems, i, p) strcat(all, json_string_value(p));
    int ok = write_text(dir, name, all);
    free(all);
    return ok;
}

int vg_write_case_files(const char *dir, json_t *v)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return 0;
    json_t *in = json_object_get(v, "input");
    char at[32];
    snprintf(at, sizeof at, "%lld\n", (long long)json_integer_value(json_object_get(v, "at")));
    int ok = write_json(dir, "case.json", v) && write_text(dir, "at.txt", at) &&
             write_pems(dir, "trust.pem", json_object_get(v, "trust_anchors"));
    if (ok && json_object_get(v, "check")) { /* a generate case: what producers get, how it is checked */
        return write_json(dir, "params.json", json_object_get(v, "params")) &&
               write_json(dir, "check.json", json_object_get(v, "check"));
    }
    ok = ok && write_json(dir, "expect.json", json_object_get(v, "expect"));
    if (ok && json_object_get(in, "chain"))
        ok = write_pems(dir, "chain.pem", json_object_get(in, "chain"));
    static const char *const texts[][2] = {{"passport", "passport.txt"}, {"credential", "credential.hex"},
                                           {"key_package", "key_package.hex"},
                                           {"signature_key", "signature_key.hex"}, {"tn", "tn.txt"},
                                           {"group_info", "group_info.hex"}, {"message", "message.hex"}};
    for (size_t i = 0; ok && i < sizeof texts / sizeof texts[0]; i++)
        ok = write_line(dir, texts[i][1], json_string_value(json_object_get(in, texts[i][0])));
    json_t *pm;
    size_t i;
    json_array_foreach(json_object_get(in, "proposals"), i, pm) { /* proposal-<i>.hex */
        char name[48];
        snprintf(name, sizeof name, "proposal-%zu.hex", i);
        ok = ok && write_line(dir, name, json_string_value(pm));
    }
    if (ok && json_object_get(in, "x5u_map"))
        ok = write_json(dir, "x5u_map.json", json_object_get(in, "x5u_map"));
    if (ok && json_object_size(json_object_get(v, "policy")) > 0)
        ok = write_json(dir, "policy.json", json_object_get(v, "policy"));
    return ok;
}

static int run(const char *cmd)
{
    return system(cmd) == 0;
}

int vg_write_suite(const char *out, json_t *families)
{
    char tmp[4096], cmd[8300];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out, (long)getpid());
    if (mkdir(tmp, 0755) != 0)
        return 0;
    int ok = 1;
    size_t i, j;
    json_t *fam, *v;
    json_array_foreach(families, i, fam) {
        const char *family = json_string_value(json_object_get(fam, "family"));
        char name[512], fdir[4608];
        snprintf(name, sizeof name, "%s.json", family);
        ok = ok && write_json(tmp, name, fam);
        snprintf(fdir, sizeof fdir, "%s/%s", tmp, family);
        ok = ok && mkdir(fdir, 0755) == 0;
        json_array_foreach(json_object_get(fam, "cases"), j, v) {
            const char *id = json_string_value(json_object_get(v, "id"));
            char cdir[5200];
            snprintf(cdir, sizeof cdir, "%s/%s", fdir, strchr(id, '/') + 1);
            ok = ok && vg_write_case_files(cdir, v);
        }
    }
    if (ok) {
        /* replace the generated part of out (family files and folders); schema/ and README stay */
        snprintf(cmd, sizeof cmd,
                 "mkdir -p '%s' && cd '%s' && for f in *.json; do [ -e \"$f\" ] && rm -rf \"${f%%.json}\" \"$f\"; done; "
                 "cd - >/dev/null && cp -R '%s'/. '%s'/",
                 out, out, tmp, out);
        ok = run(cmd);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    run(cmd);
    return ok;
}
