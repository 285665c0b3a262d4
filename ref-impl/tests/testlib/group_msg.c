/* group_msg.c: PublicMessages for the group tests (group_msg.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include "testlib/group_msg.h"

uint8_t *tl_public_message(const stirmls_group_info *gi, uint32_t sender, uint64_t epoch,
                           uint8_t ctype, const stirmls_buf *content, const stirmls_key *signer,
                           size_t *len)
{
    uint8_t *out = NULL;
    stirmls_slice c = {content->ptr, content->len};
    ck_assert_int_eq(stirmls_public_message_build(gi, sender, epoch, ctype, c, signer, &out, len, NULL),
                     STIRMLS_R_OK);
    return out;
}

stirmls_reason tl_scripted_validator(void *ctx, const stirmls_credential *cred, stirmls_slice key,
                                     uint64_t at, uint64_t *not_after, stirmls_identities *ids,
                                     stirmls_detail *d)
{
    (void)ctx, (void)key, (void)at;
    char buf[128], tn[32] = "", why[64] = "";
    unsigned long long na = 0;
    snprintf(buf, sizeof buf, "%.*s", (int)cred->identity.len, (const char *)cred->identity.ptr);
    if (cred->kind == STIRMLS_CRED_KIND_X509)
        snprintf(buf, sizeof buf, "19995550199 1793145600");
    ck_assert_int_ge(sscanf(buf, "%31s %llu %63s", tn, &na, why), 2);
    stirmls_reason r;
    if (why[0] != 0 && stirmls_reason_from_name(why, &r))
        return stirmls_fail(d, r, "scripted failure %s", why);
    char id[48];
    snprintf(id, sizeof id, "tn:%s", tn);
    snprintf(ids->assurance, sizeof ids->assurance, "tn-authorized");
    *not_after = na;
    return stirmls_identities_add(ids, id);
}
