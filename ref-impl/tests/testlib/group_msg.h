/* group_msg.h: PublicMessages for the group tests. */
#ifndef STIRMLS_TESTLIB_GROUP_MSG_H
#define STIRMLS_TESTLIB_GROUP_MSG_H

#include "stirmls.h"

/* MLSMessage(PublicMessage) for the group of gi, from member `sender`, at `epoch`, carrying
 * content_type ctype (2 proposal, 3 commit) with the encoded content, signed over
 * FramedContentTBS (with gi's GroupContext) by `signer`; zero confirmation and membership tags.
 * Owned (free()). */
uint8_t *tl_public_message(const stirmls_group_info *gi, uint32_t sender, uint64_t epoch,
                           uint8_t ctype, const stirmls_buf *content, const stirmls_key *signer,
                           size_t *len);
/* A credential validator for tests: a basic credential's identity is "<tn> <not_after> [<REASON>]":
 * the TN is presented (assurance tn-authorized) and not_after reported, or with a reason the
 * credential fails with it; an x509 credential presents 19995550199 until 2026-10-28. */
stirmls_reason tl_scripted_validator(void *ctx, const stirmls_credential *cred, stirmls_slice key,
                                     uint64_t at, uint64_t *not_after, stirmls_identities *ids,
                                     stirmls_detail *d);

#endif
