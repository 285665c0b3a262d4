/* output.h: writing the vectors folder (output.c). */
#ifndef STIRMLS_VG_OUTPUT_H
#define STIRMLS_VG_OUTPUT_H

#include <jansson.h>

/* One case as plain files in dir (created): case.json, trust.pem, chain.pem, passport.txt,
 * credential.hex, key_package.hex, signature_key.hex, x5u_map.json, policy.json, at.txt,
 * expect.json (those that apply); for a generate case params.json and check.json. */
int vg_write_case_files(const char *dir, json_t *vector);
/* All families: out/<family>.json and out/<family>/<name>/; atomic as a whole. */
int vg_write_suite(const char *out, json_t *families);

#endif
