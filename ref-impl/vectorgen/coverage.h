/* coverage.h: requirement IDs from docs/requirements.md and scenario coverage of them. */
#ifndef STIRMLS_VG_COVERAGE_H
#define STIRMLS_VG_COVERAGE_H

#include <jansson.h>
#include <stdio.h>

/* [{"id","level"}] in document order; NULL with err on failure. */
json_t *vg_requirements_load(const char *path, char *err, size_t errlen);
/* Every spec reference of every case names a catalogued requirement. */
int vg_check_spec_ids(json_t *model, json_t *reqs, char *err, size_t errlen);
/* Print the coverage table; returns the number of checked requirements lacking a side. */
int vg_coverage_print(json_t *model, json_t *reqs, FILE *out);

#endif
