/* mlswg.h: the MLS working group's vector files (ref-impl/tests/data/mlswg/) as JSON. */
#ifndef STIRMLS_TESTLIB_MLSWG_H
#define STIRMLS_TESTLIB_MLSWG_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The parsed file (aborts the test when it does not load); json_decref() it. */
json_t *tl_mlswg_load(const char *name);
/* The hex string member `key` of o, decoded (aborts the test when missing); owned, free(). */
uint8_t *tl_json_hex(json_t *o, const char *key, size_t *n);

#endif
