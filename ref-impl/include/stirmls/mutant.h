/* mutant.h: the switch of `make mutants` (harness/mutants/). STIRMLS_MUTANT_ID is 0 unless the
 * build passes -DSTIRMLS_MUTANT=N; each `#if STIRMLS_MUTANT_ID == N` block is one deliberate fault
 * listed in harness/mutants/mutants.tsv. The default build compiles none of them. */
#ifndef STIRMLS_MUTANT_H
#define STIRMLS_MUTANT_H

#ifdef STIRMLS_MUTANT
#define STIRMLS_MUTANT_ID STIRMLS_MUTANT
#else
#define STIRMLS_MUTANT_ID 0
#endif

/* The mutant this library was built with: 0 in every ordinary build (tested by mutant_test.c). */
int stirmls_mutant_id(void);

#endif
