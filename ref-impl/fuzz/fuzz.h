/* fuzz.h: shared by the libFuzzer targets ref-impl/fuzz/<name>_fuzz.c. */
#ifndef STIRMLS_FUZZ_H
#define STIRMLS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a crash: libFuzzer keeps the input as an artifact. */
#define FUZZ_CHECK(cond)                                                                        \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);       \
            abort();                                                                            \
        }                                                                                       \
    } while (0)

/* Two byte strings are identical. */
#define FUZZ_SAME(p1, n1, p2, n2) FUZZ_CHECK((n1) == (n2) && ((n1) == 0 || memcmp((p1), (p2), (n1)) == 0))

#endif
