/* group_build.c: a deterministic GroupInfo over a tree of leaves and (blank or given) parents, and
 * PublicMessages in its group (group.h). */
#include <stdlib.h>
#include <string.h>
#include "mls_internal.h"

/* optional<Node> ratchet_tree<V>: leaves at even indices, parents (blank unless given) at odd ones,
 * trailing blanks cut. */
static void write_tree(stirmls_buf *b, const stirmls_group_build *p)
{
    size_t last = 0;
    for (size_t i = 0; i < p->n_leaves; i++)
        if (p->leaves[i].ptr != NULL)
            last = 2 * i;
    size_t mark = stirmls_buf_vec_open(b);
    for (size_t x = 0; x <= last; x++) {
        const stirmls_slice *node = x % 2 == 0 ? &p->leaves[x / 2]
                                    : x / 2 < p->n_parents ? &p->parents[x / 2] : NULL;
        if (node == NULL || node->ptr == NULL) {
            stirmls_buf_put_u8(b, 0);
            continue;
        }
        stirmls_buf_put_u8(b, 1);
        stirmls_buf_put_u8(b, x % 2 == 0 ? STIRMLS_NODE_LEAF : STIRMLS_NODE_PARENT);
        stirmls_buf_put(b, node->ptr, node->len);
    }
    stirmls_buf_vec_close(b, mark);
}

stirmls_reason stirmls_group_info_build(const stirmls_group_build *p, uint8_t **out, size_t *outlen,
                                        stirmls_detail *d)
{
    stirmls_buf tree, exts, msg;
    stirmls_ratchet_tree t = {0};
    stirmls_cred_codepoints cp = p->codepoints;
    uint8_t *hashes = NULL, *sig = NULL;
    size_t siglen = 0;
    stirmls_reason rc;
    stirmls_buf_init(&tree), stirmls_buf_init(&exts), stirmls_buf_init(&msg);
    if (cp.stir_certificate == 0 && cp.stir_passport == 0)
        stirmls_cred_codepoints_default(&cp);
    if (p->ratchet_tree.ptr != NULL) { /* a tree as given: not ours to decode or hash */
        if (p->tree_hash.ptr == NULL) {
            rc = stirmls_fail(d, STIRMLS_R_USAGE, "a ratchet tree given as bytes needs its tree_hash");
            goto out;
        }
        stirmls_buf_put(&tree, p->ratchet_tree.ptr, p->ratchet_tree.len);
    } else {
        if (p->n_leaves == 0 || p->leaves[p->n_leaves - 1].ptr == NULL) {
            rc = stirmls_fail(d, STIRMLS_R_USAGE, "a group needs a non-blank last leaf");
            goto out;
        }
        write_tree(&tree, p);
        STIRMLS_TRY(stirmls_buf_status(&tree));
        /* the bytes are ours, but decoding them checks every leaf and gives the tree to hash */
        if ((rc = stirmls_ratchet_tree_decode(tree.ptr, tree.len, &cp, &t, d)) != STIRMLS_R_OK) {
            rc = stirmls_fail(d, STIRMLS_R_USAGE, "a leaf does not decode");
            goto out;
        }
        hashes = malloc(t.n_nodes * STIRMLS_SHA256_LEN);
        if (hashes == NULL) {
            rc = stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
            goto out;
        }
        STIRMLS_TRY(stirmls_tree_hashes(&t, STIRMLS_SHA256_LEN, hashes));
    }
    STIRMLS_TRY(stirmls_buf_status(&tree));
    stirmls_group_info gi;
    memset(&gi, 0, sizeof gi);
    gi.context.version = STIRMLS_MLS10;
    gi.context.cipher_suite = p->cipher_suite ? p->cipher_suite : STIRMLS_MLS_SUITE_P256;
    gi.context.group_id = p->group_id;
    gi.context.epoch = p->epoch;
    if (p->tree_hash.ptr != NULL)
        gi.context.tree_hash = p->tree_hash;
    else
        gi.context.tree_hash = (stirmls_slice){hashes + stirmls_tree_root(&t) * STIRMLS_SHA256_LEN,
                                               STIRMLS_SHA256_LEN};
    gi.context.confirmed_transcript_hash = p->confirmed_transcript_hash;
    gi.context.extensions = p->context_extensions;
    if (!p->omit_ratchet_tree) {
        stirmls_buf_put_u16(&exts, STIRMLS_MLS_EXT_RATCHET_TREE);
        stirmls_buf_put_opaque(&exts, tree.ptr, tree.len);
    }
    STIRMLS_TRY(stirmls_buf_status(&exts));
    gi.extensions.ptr = exts.ptr, gi.extensions.len = exts.len;
    gi.confirmation_tag = p->confirmation_tag;
    gi.signer = p->signer;
    stirmls_group_info_write_tbs(&msg, &gi);
    STIRMLS_TRY(stirmls_buf_status(&msg));
    stirmls_slice tbs = {msg.ptr, msg.len};
    STIRMLS_TRY(stirmls_mls_sign_with_label(p->signer_key, "GroupInfoTBS", tbs, &sig, &siglen));
    gi.signature.ptr = sig, gi.signature.len = siglen;
    stirmls_buf_reset(&msg);
    stirmls_group_info_write_message(&msg, &gi);
    STIRMLS_TRY(stirmls_buf_status(&msg));
    *out = stirmls_buf_take(&msg, outlen);
    rc = *out ? STIRMLS_R_OK : STIRMLS_R_INTERNAL;
out:
    stirmls_ratchet_tree_cleanup(&t);
    free(hashes);
    free(sig);
    stirmls_buf_cleanup(&tree), stirmls_buf_cleanup(&exts), stirmls_buf_cleanup(&msg);
    return rc;
}

stirmls_reason stirmls_public_message_build(const stirmls_group_info *gi, uint32_t sender, uint64_t epoch,
                                            uint8_t content_type, stirmls_slice content,
                                            const stirmls_key *signer, uint8_t **out, size_t *outlen,
                                            stirmls_detail *d)
{
    static const uint8_t tag[STIRMLS_SHA256_LEN]; /* zero tags: they need the epoch's secrets */
    stirmls_buf b, tbs;
    uint8_t *sig = NULL;
    size_t siglen = 0;
    stirmls_reason rc;
    stirmls_buf_init(&b), stirmls_buf_init(&tbs);
    stirmls_buf_put_u16(&b, STIRMLS_MLS10);
    stirmls_buf_put_u16(&b, STIRMLS_MLS_WIRE_PUBLIC_MESSAGE);
    stirmls_buf_put_opaque(&b, gi->context.group_id.ptr, gi->context.group_id.len);
    stirmls_buf_put_u64(&b, epoch);
    stirmls_buf_put_u8(&b, STIRMLS_SENDER_MEMBER);
    stirmls_buf_put_u32(&b, sender);
    stirmls_buf_put_opaque(&b, "", 0); /* authenticated_data */
    stirmls_buf_put_u8(&b, content_type);
    stirmls_buf_put(&b, content.ptr, content.len);
    /* FramedContentTBS: version, wire_format, the FramedContent, then the GroupContext */
    stirmls_buf_put(&tbs, b.ptr, b.len);
    stirmls_group_context_write(&tbs, &gi->context);
    STIRMLS_TRY(stirmls_buf_status(&tbs));
    stirmls_slice t = {tbs.ptr, tbs.len};
    STIRMLS_TRY(stirmls_mls_sign_with_label(signer, "FramedContentTBS", t, &sig, &siglen));
    stirmls_buf_put_opaque(&b, sig, siglen);
    if (content_type == STIRMLS_CONTENT_COMMIT)
        stirmls_buf_put_opaque(&b, tag, sizeof tag); /* confirmation_tag */
    stirmls_buf_put_opaque(&b, tag, sizeof tag);     /* membership_tag */
    STIRMLS_TRY(stirmls_buf_status(&b));
    *out = stirmls_buf_take(&b, outlen);
    rc = *out ? STIRMLS_R_OK : stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
out:
    free(sig);
    stirmls_buf_cleanup(&b), stirmls_buf_cleanup(&tbs);
    return rc;
}
