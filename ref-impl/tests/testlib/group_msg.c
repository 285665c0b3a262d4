/* group_msg.c: PublicMessages for the group tests (group_msg.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include "testlib/group_msg.h"

uint8_t *tl_public_message(const stirmls_group_info *gi, uint32_t sender, uint64_t epoch,
                           uint8_t ctype, const stirmls_buf *content, const stirmls_key *signer,
                           size_t *len)
{
    stirmls_buf b, tbs;
    stirmls_buf_init(&b), stirmls_buf_init(&tbs);
    stirmls_buf_put_u16(&b, STIRMLS_MLS10);
    stirmls_buf_put_u16(&b, STIRMLS_MLS_WIRE_PUBLIC_MESSAGE);
    stirmls_buf_put_opaque(&b, gi->context.group_id.ptr, gi->context.group_id.len);
    stirmls_buf_put_u64(&b, epoch);
    stirmls_buf_put_u8(&b, STIRMLS_SENDER_MEMBER), stirmls_buf_put_u32(&b, sender);
    stirmls_buf_put_opaque(&b, "", 0); /* authenticated_data */
    stirmls_buf_put_u8(&b, ctype);
    stirmls_buf_put(&b, content->ptr, content->len);
    stirmls_buf_put(&tbs, b.ptr, b.len);
    stirmls_group_context_write(&tbs, &gi->context);
    uint8_t *sig = NULL;
    size_t siglen = 0;
    stirmls_slice c = {tbs.ptr, tbs.len};
    ck_assert_int_eq(stirmls_buf_status(&tbs), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_mls_sign_with_label(signer, "FramedContentTBS", c, &sig, &siglen),
                     STIRMLS_R_OK);
    stirmls_buf_put_opaque(&b, sig, siglen);
    static const uint8_t tag[32];
    if (ctype == STIRMLS_CONTENT_COMMIT)
        stirmls_buf_put_opaque(&b, tag, sizeof tag); /* confirmation_tag */
    stirmls_buf_put_opaque(&b, tag, sizeof tag);     /* membership_tag */
    ck_assert_int_eq(stirmls_buf_status(&b), STIRMLS_R_OK);
    free(sig);
    stirmls_buf_cleanup(&tbs);
    return stirmls_buf_take(&b, len);
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
