/*
 * main.c: stirmls-vectorgen, the scenario compiler. Reads scenarios/ and (once the builders are
 * wired) writes vectors/. Nothing is written when any scenario file is invalid.
 */
#include <stdio.h>
#include <string.h>
#include "coverage.h"
#include "model.h"
#include "mutators.h"

static int usage(FILE *out, int rc)
{
    fprintf(out, "usage: stirmls-vectorgen [--scenarios DIR] [--requirements FILE] --check | --coverage\n"
                 "       stirmls-vectorgen --mutators\n"
                 "  --check      load and validate every scenario file; print the case counts\n"
                 "  --coverage   print each requirement with its positive and negative cases; exit 1\n"
                 "               when a checked requirement lacks either\n"
                 "  --mutators   print the mutator table (name, stage, expected reason, effect)\n");
    return rc;
}

int main(int argc, char **argv)
{
    const char *dir = "scenarios", *reqpath = "docs/requirements.md";
    int check = 0, mutators = 0, coverage = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--scenarios") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--requirements") == 0 && i + 1 < argc)
            reqpath = argv[++i];
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
    if (!check && !coverage)
        return usage(stderr, 2);
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
