/* mutant.c: which deliberate fault of `make mutants` this build carries (0: none). */
#include "stirmls/mutant.h"

int stirmls_mutant_id(void)
{
    return STIRMLS_MUTANT_ID;
}
