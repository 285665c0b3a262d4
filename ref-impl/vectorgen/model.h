/*
 * model.h: the scenario model. load.c reads scenarios/<family>.yaml (strictly, with positioned errors) into
 * plain JSON values (jansson), defaults merged, references checked; the builder reads those.
 *
 * model = {"pkis": {NAME: {"seed":S,"keys":[...],"certs":[{...}]}},
 *          "families": [{"family":F,"description":D,"file":PATH,"cases":[{...}]}]}
 * A case holds exactly the keys of docs/scenarios.md, with times kept as written (integers, or
 * strings "at", "at+N", "at-N"; see vg_time).
 */
#ifndef STIRMLS_VG_MODEL_H
#define STIRMLS_VG_MODEL_H

#include <jansson.h>
#include <stdint.h>

/* Load scenarios from DIR (pki.yaml plus every other *.yaml). NULL and a message in err on failure. */
json_t *vg_load(const char *dir, char *err, size_t errlen);

/* Resolve a time value (integer, "at", "at+N", "at-N") against the evaluation time. 0 if invalid. */
int vg_time(const json_t *v, uint64_t at, uint64_t *out);

#endif
