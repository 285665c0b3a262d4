/* group_common.h: the checks the group targets run on whatever decodes. */
#ifndef STIRMLS_FUZZ_GROUP_COMMON_H
#define STIRMLS_FUZZ_GROUP_COMMON_H

#include "fuzz.h"

/* Tree hashes (every suite hash length), resolutions, parent hashes, unmerged leaves and leaf
 * signatures on any decoded tree: no crash, every failure recorded with its reason. */
static inline void fuzz_tree_checks(const stirmls_ratchet_tree *t)
{
    static const size_t hlens[] = {32, 48, 64};
    uint8_t *hashes = malloc(t->n_nodes * 64);
    size_t *res = malloc(t->n_nodes * sizeof *res);
    stirmls_detail d;
    FUZZ_CHECK(hashes != NULL && res != NULL);
    for (size_t i = 0; i < sizeof hlens / sizeof hlens[0]; i++) {
        FUZZ_CHECK(stirmls_tree_hashes(t, hlens[i], hashes) == STIRMLS_R_OK);
        stirmls_detail_init(&d);
        stirmls_reason r = stirmls_tree_verify_parent_hashes(t, hlens[i], hashes, &d);
        FUZZ_CHECK(r == STIRMLS_R_OK || d.reason == r);
    }
    for (size_t x = 0; x < t->n_nodes; x++)
        (void)stirmls_tree_resolution(t, x, res, t->n_nodes);
    stirmls_detail_init(&d);
    stirmls_reason r = stirmls_tree_check_unmerged(t, &d);
    FUZZ_CHECK(r == STIRMLS_R_OK || d.reason == r);
    stirmls_detail_init(&d);
    r = stirmls_tree_check_leaf_signatures(t, stirmls_slice_str("group"), &d);
    FUZZ_CHECK(r == STIRMLS_R_OK || d.reason == r);
    free(hashes);
    free(res);
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
    /* the whole verification with the default validators (basic understood, STIR unsupported) */
    stirmls_group_policy p;
    stirmls_cred_validators v;
    stirmls_group_result res;
    stirmls_group_policy_default(&p);
    stirmls_cred_validators_default(&v);
    stirmls_detail_init(&d);
    r = stirmls_group_info_verify(gi, &p, &v, 1700000000, &res, &d);
    FUZZ_CHECK(r == STIRMLS_R_OK || d.reason == r);
    FUZZ_CHECK(res.n_members <= res.n_leaves);
    for (size_t i = 0; i < res.n_members; i++)
        FUZZ_CHECK(res.members[i].status <= STIRMLS_MEMBER_INVALID);
    stirmls_group_result_cleanup(&res);
}

#endif
