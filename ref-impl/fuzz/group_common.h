/* group_common.h: the checks the group targets run on whatever decodes. */
#ifndef STIRMLS_FUZZ_GROUP_COMMON_H
#define STIRMLS_FUZZ_GROUP_COMMON_H

#include "fuzz.h"

static inline void fuzz_tree_checks(const stirmls_ratchet_tree *t)
{
    (void)t;
}

static inline void fuzz_group_info_checks(const stirmls_group_info *gi)
{
    stirmls_cred_codepoints cp;
    stirmls_ratchet_tree t;
    stirmls_detail d;
    stirmls_cred_codepoints_default(&cp);
    stirmls_detail_init(&d);
    stirmls_reason r = stirmls_group_info_tree(gi, &cp, &t, &d);
    FUZZ_CHECK(r == STIRMLS_R_OK || d.reason == r);
    if (r != STIRMLS_R_OK)
        return;
    fuzz_tree_checks(&t);
    stirmls_ratchet_tree_cleanup(&t);
}

#endif
