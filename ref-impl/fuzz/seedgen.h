/* seedgen.h: shared by the seed generator's files (seedgen.c: the library-built seeds and main;
 * seedgen_files.c: seeds read from vectors/, scenarios/ and harness/ under $STIRMLS_ROOT;
 * seedgen_group.c: the group targets' seeds from the MLS working group's vectors). */
#ifndef STIRMLS_FUZZ_SEEDGEN_H
#define STIRMLS_FUZZ_SEEDGEN_H

#include <stddef.h>
#include "stirmls.h"

/* Print "stirmls-seedgen: what" and exit 2. */
void die(const char *what) __attribute__((noreturn));
/* Write one seed of the current target (an input already written for it is skipped). */
void seed(const void *p, size_t n);
void seed_str(const char *s);
void seed_buf(stirmls_buf *b);

/* seedgen_files.c: one generator per target */
void gen_cert(void);
void gen_der(void);
void gen_tnauthlist(void);
void gen_jcc(void);
void gen_scenario(void);
void gen_expectations(void);
void gen_response(void);
/* seedgen_group.c */
void gen_group_info(void);
void gen_ratchet_tree(void);
void gen_commit(void);
void gen_public_message(void);

#endif
