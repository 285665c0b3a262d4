/* passport_internal.h: shared between the passport*.c files of src/stir/ only. */
#ifndef STIRMLS_PASSPORT_INTERNAL_H
#define STIRMLS_PASSPORT_INTERNAL_H

#include "stirmls/passport.h"

/* Header member checks (passport.c). */
stirmls_reason stirmls_passport__header(stirmls_passport *p, const stirmls_ppt_policy *pol,
                                        stirmls_detail *d);
/* Claims checks (passport_claims.c), after the header set p->ppt. */
stirmls_reason stirmls_passport__claims(stirmls_passport *p, const stirmls_ppt_policy *pol,
                                        stirmls_detail *d);

#endif
