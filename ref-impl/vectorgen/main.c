/*
 * main.c: stirmls-vectorgen, the scenario compiler. Reads scenarios/ and (once the builders are
 * wired) writes vectors/. Nothing is written when any scenario file is invalid.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "stirmls.h"
#include "build.h"
#include "coverage.h"
#include "output.h"
#include "model.h"
#include "mutators.h"

/* Build every case (or only `only`), then write the suite to out (or the one case's files). */
static int generate(json_t *model, const char *out, const char *only)
{
    json_t *families = json_array();
    size_t i, j, built = 0;
    json_t *fam, *c;
    char err[1024];
    json_array_foreach(json_object_get(model, "families"), i, fam) {
        const char *file = json_string_value(json_object_get(fam, "file"));
        json_t *vf = json_pack("{s:s,s:O,s:{s:s,s:s,s:s},s:[]}", "schema", "stirmls-vectors/1", "family",
                               json_object_get(fam, "family"), "generator", "tool", "stirmls-vectorgen",
                               "version", STIRMLS_VERSION, "scenario", file, "cases");
        json_array_foreach(json_object_get(fam, "cases"), j, c) {
            if (only && strcmp(json_string_value(json_object_get(c, "id")), only) != 0)
                continue;
            json_t *v = vg_build_case(model, c, err, sizeof err);
            if (v == NULL) {
                fprintf(stderr, "stirmls-vectorgen: %s: %s\n", file, err);
                json_decref(vf);
                json_decref(families);
                return 2;
            }
            if (only) {
                int ok = vg_write_case_files(out, v);
                json_decref(v);
                json_decref(vf);
                json_decref(families);
                if (!ok)
                    fprintf(stderr, "stirmls-vectorgen: cannot write %s\n", out);
                return ok ? 0 : 2;
            }
            json_array_append_new(json_object_get(vf, "cases"), v);
            built++;
        }
        json_array_append_new(families, vf);
    }
    if (only) {
        fprintf(stderr, "stirmls-vectorgen: no case '%s'\n", only);
        json_decref(families);
        return 2;
    }
    int ok = vg_write_suite(out, families);
    json_decref(families);
    if (!ok) {
        fprintf(stderr, "stirmls-vectorgen: cannot write %s\n", out);
        return 2;
    }
    printf("stirmls-vectorgen: %zu cases written to %s\n", built, out);
    return 0;
}

/* Default inputs. In a repository: scenarios/ and docs/requirements.md of the working directory,
 * or the requirements beside the given scenarios; installed (make install): the suite in
 * <prefix>/share/stirmls/ next to <prefix>/bin/stirmls-vectorgen. The first path that exists wins;
 * "no such file" is then reported for the first candidate. */
static int exists(const char *p, int want_dir)
{
    struct stat st;
    return stat(p, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

static const char *installed(const char *rel, char *buf, size_t len)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return NULL;
    self[n] = 0;
    char *slash = strrchr(self, '/');
    if (slash == NULL)
        return NULL;
    *slash = 0;
    snprintf(buf, len, "%s/../share/stirmls/%s", self, rel);
    return buf;
}

static const char *first_existing(const char *const *cands, size_t n, int want_dir)
{
    for (size_t i = 0; i < n; i++)
        if (cands[i] != NULL && exists(cands[i], want_dir))
            return cands[i];
    return cands[0];
}

static int usage(FILE *out, int rc)
{
    fprintf(out, "usage: stirmls-vectorgen [--scenarios DIR] [--requirements FILE] --check | --coverage\n"
                 "       stirmls-vectorgen [--scenarios DIR] --out DIR          compile every case to vectors\n"
                 "       stirmls-vectorgen [--scenarios DIR] extract ID --out DIR   one case as plain files\n"
                 "       stirmls-vectorgen --mutators\n"
                 "  --check      load and validate every scenario file; print the case counts\n"
                 "  --coverage   print each requirement with its positive and negative cases; exit 1\n"
                 "               when a checked requirement lacks either\n"
                 "  --mutators   print the mutator table (name, stage, expected reason, effect)\n"
                 "Defaults: --scenarios scenarios/ (else the installed share/stirmls/scenarios),\n"
                 "--requirements docs/requirements.md (else the one beside DIR, else the installed\n"
                 "share/stirmls/requirements.md).\n");
    return rc;
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *reqpath = NULL;
    const char *out = NULL, *extract = NULL;
    int check = 0, mutators = 0, coverage = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--scenarios") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--requirements") == 0 && i + 1 < argc)
            reqpath = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "extract") == 0 && i + 1 < argc)
            extract = argv[++i];
        else if (strcmp(argv[i], "--coverage") == 0)
            coverage = 1;
        else if (strcmp(argv[i], "--check") == 0)
            check = 1;
        else if (strcmp(argv[i], "--mutators") == 0)
            mutators = 1;
        else if (strcmp(argv[i], "--help") == 0)
            return usage(stdout, 0);
        else
            return fprintf(stderr, "stirmls-vectorgen: unknown argument '%s'\n", argv[i]), 2;
    }
    if (mutators) {
        for (size_t i = 0; i < vg_mutator_count(); i++) {
            const struct vg_mutator *m = vg_mutator_at(i);
            printf("%-32s %-24s %s\n", m->name, m->reason[0] ? m->reason : "(depends on the case)", m->what);
        }
        return 0;
    }
    if (!check && !coverage && out == NULL)
        return usage(stderr, 2);
    char inst_scn[PATH_MAX + 64], inst_req[PATH_MAX + 64], beside[PATH_MAX + 64], beside_docs[PATH_MAX + 64];
    if (dir == NULL) {
        const char *c[] = {"scenarios", installed("scenarios", inst_scn, sizeof inst_scn)};
        dir = first_existing(c, 2, 1);
    }
    if (reqpath == NULL) {
        snprintf(beside_docs, sizeof beside_docs, "%s/../docs/requirements.md", dir);
        snprintf(beside, sizeof beside, "%s/../requirements.md", dir);
        const char *c[] = {"docs/requirements.md", beside_docs, beside,
                           installed("requirements.md", inst_req, sizeof inst_req)};
        reqpath = first_existing(c, 4, 0);
    }
    char err[1024];
    json_t *model = vg_load(dir, err, sizeof err);
    json_t *reqs = model ? vg_requirements_load(reqpath, err, sizeof err) : NULL;
    if (model == NULL || reqs == NULL || !vg_check_spec_ids(model, reqs, err, sizeof err)) {
        fprintf(stderr, "stirmls-vectorgen: %s\n", err);
        json_decref(model);
        json_decref(reqs);
        return 2;
    }
    if (coverage) {
        int lacking = vg_coverage_print(model, reqs, stdout);
        json_decref(model);
        json_decref(reqs);
        return lacking ? 1 : 0;
    }
    json_decref(reqs);
    if (out != NULL) {
        int rc = generate(model, out, extract);
        json_decref(model);
        return rc;
    }
    size_t i, total = 0;
    json_t *fam;
    json_array_foreach(json_object_get(model, "families"), i, fam) {
        size_t n = json_array_size(json_object_get(fam, "cases"));
        printf("%-12s %3zu cases\n", json_string_value(json_object_get(fam, "family")), n);
        total += n;
    }
    printf("total        %3zu cases\n", total);
    json_decref(model);
    return 0;
}
