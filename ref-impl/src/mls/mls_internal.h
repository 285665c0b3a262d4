/* mls_internal.h: helpers shared by the files of src/mls/ (not public API): the LeafNode and
 * KeyPackage codecs' readers, then the group files'. */
#ifndef STIRMLS_MLS_INTERNAL_H
#define STIRMLS_MLS_INTERNAL_H

#include "stirmls/group.h"
#include "stirmls/leafnode.h"

/* A uint16 vector <V>: its body as a slice (an odd-length body fails with TRUNCATED). */
stirmls_reason stirmls_mls_read_u16list(stirmls_reader *r, stirmls_slice *body, const char *what,
                                        stirmls_detail *d);
/* extensions<V>: every Extension {uint16 type; opaque data<V>} is checked; the body as a slice. */
stirmls_reason stirmls_mls_read_extensions(stirmls_reader *r, stirmls_slice *body, const char *what,
                                           stirmls_detail *d);
/* opaque<V> with the failure offset recorded. */
stirmls_reason stirmls_mls_read_opaque(stirmls_reader *r, stirmls_slice *out, const char *what,
                                       stirmls_detail *d);
/* An extension type appears at most once in the extensions body (MLS_EXTENSION_DUPLICATE, RFC 9420
 * §13.4), and every non-default type is in caps.extensions (MLS_EXTENSION_NOT_IN_CAPS). */
stirmls_reason stirmls_mls_check_extensions(stirmls_slice body, stirmls_slice caps_extensions,
                                            const char *where, stirmls_detail *d);

/* ---- the group files (group_*.c, tree*.c) ------------------------------------------------ */

/* Fixed-width reads with the failure offset and field name recorded. */
stirmls_reason stirmls_grp_read_u8(stirmls_reader *r, uint8_t *v, const char *what,
                                   stirmls_detail *d);
stirmls_reason stirmls_grp_read_u16(stirmls_reader *r, uint16_t *v, const char *what,
                                    stirmls_detail *d);
stirmls_reason stirmls_grp_read_u32(stirmls_reader *r, uint32_t *v, const char *what,
                                    stirmls_detail *d);
stirmls_reason stirmls_grp_read_u64(stirmls_reader *r, uint64_t *v, const char *what,
                                    stirmls_detail *d);
/* TRAILING_BYTES when anything is left after `what`. */
stirmls_reason stirmls_grp_finish(const stirmls_reader *r, const char *what, stirmls_detail *d);
/* MLSMessage version (MLS_VERSION) and wire_format (MLS_MESSAGE_WIRE_FORMAT). */
stirmls_reason stirmls_grp_message_header(stirmls_reader *r, uint16_t want_wire, const char *what,
                                          stirmls_detail *d);
/* FramedContent: group_id, epoch, sender, authenticated_data, content. */
void stirmls_grp_write_framed_content(stirmls_buf *b, const stirmls_public_message *m);
/* The parent of node x in a full tree (x is not the root; tree.c). */
size_t stirmls_grp_tree_parent(size_t x);
/* Free the blocks a tree owns (tree_ops.c). */
void stirmls_grp_tree_free_owned(stirmls_ratchet_tree *t);
/* group_verify.c: a member row from a LeafNode judged with reason rc (m->detail already holds
 * the failure), and the rule that a leaf supports every credential type in use in the tree. */
void stirmls_grp_member_fill(stirmls_group_member *m, const stirmls_leafnode *ln,
                             uint32_t leaf_index, stirmls_reason rc, const stirmls_mls_result *r,
                             const stirmls_group_policy *p, uint64_t at);
typedef struct stirmls_grp_types {
    size_t n;
    uint16_t *type; /* owned: each credential type in use, in the order of its first leaf */
    uint32_t *leaf; /* owned: that first leaf's index */
    int has_required; /* the GroupContext carries required_capabilities (RFC 9420 §11.1) */
    stirmls_slice req_extensions, req_proposals, req_credentials; /* its uint16 list bodies */
} stirmls_grp_types;
/* The credential types in use in t (INTERNAL when memory runs out); linear in the tree. */
stirmls_reason stirmls_grp_types_in_use(const stirmls_ratchet_tree *t, stirmls_grp_types *out);
void stirmls_grp_types_cleanup(stirmls_grp_types *ty);
/* The GroupContext's required_capabilities extension (type 0x0003), if any, into ty: the codec's
 * reason (TRUNCATED, TRAILING_BYTES...) when it is malformed. */
stirmls_reason stirmls_grp_required_caps(const stirmls_group_context *gc, stirmls_grp_types *ty,
                                         stirmls_detail *d);
/* MLS_CAPABILITIES_CREDENTIAL when ln's capabilities.credentials lacks a type in use (the detail
 * names the first leaf, in tree order, whose type is missing); then MLS_REQUIRED_CAPABILITIES when
 * its capabilities lack a required type (a default extension or proposal type, RFC 9420 §7.2,
 * counts as supported; no credential type is default). */
stirmls_reason stirmls_grp_caps_cover(const stirmls_grp_types *in_use, const stirmls_leafnode *ln,
                                      stirmls_detail *d);
/* VerifyWithLabel of tbs under a 65-byte signature key; a signature that does not verify is
 * `bad`; the failure names `leaf` (group_verify.c). */
stirmls_reason stirmls_grp_verify(stirmls_slice key, const char *label, const stirmls_buf *tbs,
                                  stirmls_slice sig, stirmls_reason bad, uint32_t leaf,
                                  stirmls_detail *d);

#endif
