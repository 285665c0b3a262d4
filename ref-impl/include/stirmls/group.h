/*
 * group.h: RFC 9420 group state and group messages: GroupContext (§8.1), GroupInfo (§12.4.3),
 * the ratchet tree (§12.4.3.3, vector of optional<Node>), and PublicMessage (§6.2) carrying a
 * Proposal (§12.1) or a Commit (§12.4) with its optional UpdatePath (§7.6).
 *
 * Decoded structures BORROW from the input bytes (every slice points into them); the arrays of
 * variable length (tree nodes, a Commit's proposals, an UpdatePath's nodes) are owned by the
 * structure and freed by its *_cleanup function (which also accepts a zeroed structure).
 * Re-encoding a decoded structure gives the input bytes back exactly.
 *
 * Proposals: Add, Update and Remove are decoded field by field; PreSharedKey, ReInit,
 * ExternalInit and GroupContextExtensions are checked for shape and kept as their raw body; any
 * other proposal type is MLS_PROPOSAL_TYPE (a reader cannot know the length of an unknown body).
 */
#ifndef STIRMLS_GROUP_H
#define STIRMLS_GROUP_H

#include "stirmls/keypackage.h"

#define STIRMLS_MLS_WIRE_PUBLIC_MESSAGE 0x0001
#define STIRMLS_MLS_WIRE_GROUP_INFO 0x0004
#define STIRMLS_MLS_EXT_RATCHET_TREE 0x0002

/* ---- GroupContext and GroupInfo ---------------------------------------------------------- */

typedef struct stirmls_group_context {
    uint16_t version;
    uint16_t cipher_suite;
    stirmls_slice group_id;
    uint64_t epoch;
    stirmls_slice tree_hash;
    stirmls_slice confirmed_transcript_hash;
    stirmls_slice extensions; /* body of extensions<V> */
} stirmls_group_context;

typedef struct stirmls_group_info {
    stirmls_group_context context;
    stirmls_slice extensions;       /* body of extensions<V> */
    stirmls_slice confirmation_tag; /* MAC: needs the epoch's confirmation key, not checked */
    uint32_t signer;                /* leaf index */
    stirmls_slice signature;
} stirmls_group_info;

STIRMLS_MUST_USE stirmls_reason stirmls_group_context_read(stirmls_reader *r,
                                                           stirmls_group_context *out,
                                                           stirmls_detail *d);
void stirmls_group_context_write(stirmls_buf *b, const stirmls_group_context *gc);

STIRMLS_MUST_USE stirmls_reason stirmls_group_info_read(stirmls_reader *r, stirmls_group_info *out,
                                                        stirmls_detail *d);
/* A buffer holding exactly one MLSMessage (mls10, wire_format mls_group_info) with a GroupInfo:
 * MLS_VERSION, MLS_MESSAGE_WIRE_FORMAT, the field reasons, TRAILING_BYTES. */
STIRMLS_MUST_USE stirmls_reason stirmls_group_info_decode_message(const uint8_t *buf, size_t len,
                                                                  stirmls_group_info *out,
                                                                  stirmls_detail *d);
void stirmls_group_info_write(stirmls_buf *b, const stirmls_group_info *gi);
void stirmls_group_info_write_message(stirmls_buf *b, const stirmls_group_info *gi);
/* GroupInfoTBS: every field but the signature (signed with the label "GroupInfoTBS"). */
void stirmls_group_info_write_tbs(stirmls_buf *b, const stirmls_group_info *gi);
/* The data of the first extension of `type` in an extensions<V> body: 1 and *data when found. */
int stirmls_extensions_find(stirmls_slice body, uint16_t type, stirmls_slice *data);

/* ---- the ratchet tree -------------------------------------------------------------------- */

typedef enum stirmls_node_type {
    STIRMLS_NODE_BLANK = 0,
    STIRMLS_NODE_LEAF = 1,
    STIRMLS_NODE_PARENT = 2
} stirmls_node_type;

typedef struct stirmls_parent_node {
    stirmls_slice encryption_key;
    stirmls_slice parent_hash;
    stirmls_slice unmerged_leaves; /* body of uint32 unmerged_leaves<V> (length a multiple of 4) */
} stirmls_parent_node;

typedef struct stirmls_node {
    stirmls_node_type type;
    stirmls_leafnode leaf;     /* type LEAF */
    stirmls_parent_node parent; /* type PARENT */
} stirmls_node;

typedef struct stirmls_ratchet_tree {
    size_t n_wire;  /* nodes on the wire (the last one non-blank) */
    size_t n_nodes; /* after extension with blanks to 2^(d+1)-1 nodes (§12.4.3.3) */
    stirmls_node *nodes; /* owned, n_nodes entries; node i is a leaf when i is even */
} stirmls_ratchet_tree;

/* Decode optional<Node> ratchet_tree<V> from r: MLS_NODE_TYPE (undefined type, or a leaf at an
 * odd index / a parent at an even one), MLS_TREE_SHAPE (empty, or the last node blank),
 * OPTIONAL_PRESENCE, the LeafNode reasons, reader reasons. The tree is extended with blanks. */
STIRMLS_MUST_USE stirmls_reason stirmls_ratchet_tree_read(stirmls_reader *r,
                                                          const stirmls_cred_codepoints *cp,
                                                          stirmls_ratchet_tree *out,
                                                          stirmls_detail *d);
STIRMLS_MUST_USE stirmls_reason stirmls_ratchet_tree_decode(const uint8_t *buf, size_t len,
                                                            const stirmls_cred_codepoints *cp,
                                                            stirmls_ratchet_tree *out,
                                                            stirmls_detail *d);
/* Writes the first n_wire nodes (what was decoded) as ratchet_tree<V>. */
void stirmls_ratchet_tree_write(stirmls_buf *b, const stirmls_ratchet_tree *t);
void stirmls_ratchet_tree_cleanup(stirmls_ratchet_tree *t);
/* A deep copy of the node array (the slices still borrow the same bytes). */
STIRMLS_MUST_USE stirmls_reason stirmls_ratchet_tree_copy(const stirmls_ratchet_tree *t,
                                                          stirmls_ratchet_tree *out);
/* The GroupInfo's ratchet_tree extension: MLS_RATCHET_TREE_MISSING when absent. */
STIRMLS_MUST_USE stirmls_reason stirmls_group_info_tree(const stirmls_group_info *gi,
                                                        const stirmls_cred_codepoints *cp,
                                                        stirmls_ratchet_tree *out,
                                                        stirmls_detail *d);

/* ---- tree math and checks (§4.1, §7.8, §7.9, Appendix C) ------------------------------------- */

/* The hash length of an MLS cipher suite (1-3: 32, 7: 48, 4-6: 64), 0 for another value. */
size_t stirmls_mls_suite_hash_len(uint16_t suite);
/* Node indices: the root of the (extended) tree, the children of a parent node. */
size_t stirmls_tree_root(const stirmls_ratchet_tree *t);
size_t stirmls_tree_left(size_t x);
size_t stirmls_tree_right(size_t x);
/* The tree hash of every node (TreeHashInput, §7.8) into out: n_nodes * hlen bytes, node x at
 * out + x * hlen. USAGE for a hlen other than 32, 48, 64. */
STIRMLS_MUST_USE stirmls_reason stirmls_tree_hashes(const stirmls_ratchet_tree *t, size_t hlen,
                                                    uint8_t *out);
/* The resolution of node x (§4.1.1): its length; the node indices in order into out[0..cap)
 * (a tree whose unmerged leaves pass stirmls_tree_check_unmerged needs cap <= n_nodes). */
size_t stirmls_tree_resolution(const stirmls_ratchet_tree *t, size_t x, size_t *out, size_t cap);
/* Every non-blank parent node is parent-hash valid (§7.9.2): a node in the resolution of one
 * child (the parent's unmerged leaves left out) carries the parent hash of the parent computed
 * with the other child's original tree hash. hashes: from stirmls_tree_hashes. MLS_PARENT_HASH
 * naming the first parent that is not. */
STIRMLS_MUST_USE stirmls_reason stirmls_tree_verify_parent_hashes(const stirmls_ratchet_tree *t,
                                                                  size_t hlen,
                                                                  const uint8_t *hashes,
                                                                  stirmls_detail *d);
/* Unmerged leaves (§7.8, §12.4.3.1): each is a non-blank leaf below its parent, and every
 * non-blank parent between them lists it too, none listed twice; MLS_UNMERGED_LEAF otherwise. */
STIRMLS_MUST_USE stirmls_reason stirmls_tree_check_unmerged(const stirmls_ratchet_tree *t,
                                                            stirmls_detail *d);
/* Every non-blank leaf's signature (LeafNodeTBS with group_id and its leaf index for the update
 * and commit sources). Suite 2 keys only (P-256): MLS_KEY_FORMAT for another key,
 * MLS_SIGNATURE_FORMAT, MLS_LEAF_SIGNATURE; the detail names the leaf. */
STIRMLS_MUST_USE stirmls_reason stirmls_tree_check_leaf_signatures(const stirmls_ratchet_tree *t,
                                                                   stirmls_slice group_id,
                                                                   stirmls_detail *d);

/* ---- proposals, commits, PublicMessage --------------------------------------------------- */

#define STIRMLS_PROPOSAL_ADD 1
#define STIRMLS_PROPOSAL_UPDATE 2
#define STIRMLS_PROPOSAL_REMOVE 3
#define STIRMLS_PROPOSAL_PSK 4
#define STIRMLS_PROPOSAL_REINIT 5
#define STIRMLS_PROPOSAL_EXTERNAL_INIT 6
#define STIRMLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS 7

typedef struct stirmls_proposal {
    uint16_t type;
    stirmls_keypackage add;  /* Add */
    stirmls_leafnode update; /* Update */
    uint32_t removed;        /* Remove */
    stirmls_slice body;      /* the encoded body (every type); written back as is for 4..7 */
} stirmls_proposal;

STIRMLS_MUST_USE stirmls_reason stirmls_proposal_read(stirmls_reader *r,
                                                      const stirmls_cred_codepoints *cp,
                                                      stirmls_proposal *out, stirmls_detail *d);
void stirmls_proposal_write(stirmls_buf *b, const stirmls_proposal *p);

typedef struct stirmls_proposal_or_ref {
    uint8_t type; /* 1 proposal, 2 reference */
    stirmls_proposal proposal;
    stirmls_slice reference; /* ProposalRef */
} stirmls_proposal_or_ref;

typedef struct stirmls_update_path_node {
    stirmls_slice encryption_key;
    stirmls_slice encrypted_path_secret; /* body of HPKECiphertext encrypted_path_secret<V> */
} stirmls_update_path_node;

typedef struct stirmls_commit {
    size_t n_proposals;
    stirmls_proposal_or_ref *proposals; /* owned */
    int has_path;
    stirmls_leafnode path_leaf;
    size_t n_path_nodes;
    stirmls_update_path_node *path_nodes; /* owned */
} stirmls_commit;

STIRMLS_MUST_USE stirmls_reason stirmls_commit_read(stirmls_reader *r,
                                                    const stirmls_cred_codepoints *cp,
                                                    stirmls_commit *out, stirmls_detail *d);
STIRMLS_MUST_USE stirmls_reason stirmls_commit_decode(const uint8_t *buf, size_t len,
                                                      const stirmls_cred_codepoints *cp,
                                                      stirmls_commit *out, stirmls_detail *d);
void stirmls_commit_write(stirmls_buf *b, const stirmls_commit *c);
void stirmls_commit_cleanup(stirmls_commit *c);

#define STIRMLS_SENDER_MEMBER 1
#define STIRMLS_SENDER_EXTERNAL 2
#define STIRMLS_SENDER_NEW_MEMBER_PROPOSAL 3
#define STIRMLS_SENDER_NEW_MEMBER_COMMIT 4
#define STIRMLS_CONTENT_APPLICATION 1
#define STIRMLS_CONTENT_PROPOSAL 2
#define STIRMLS_CONTENT_COMMIT 3

typedef struct stirmls_public_message {
    stirmls_slice group_id;
    uint64_t epoch;
    uint8_t sender_type;
    uint32_t sender_index; /* member: leaf_index; external: sender_index */
    stirmls_slice authenticated_data;
    uint8_t content_type;
    stirmls_slice application_data;
    stirmls_proposal proposal;
    stirmls_commit commit;          /* owned arrays: stirmls_public_message_cleanup */
    stirmls_slice signature;
    stirmls_slice confirmation_tag; /* commit */
    stirmls_slice membership_tag;   /* member sender: needs the epoch's membership key */
} stirmls_public_message;

/* A buffer holding exactly one MLSMessage (mls10, wire_format mls_public_message):
 * MLS_VERSION, MLS_MESSAGE_WIRE_FORMAT, MLS_SENDER_TYPE, MLS_CONTENT_TYPE, MLS_PROPOSAL_TYPE,
 * MLS_PSK_TYPE, the LeafNode / KeyPackage reasons, reader reasons. */
STIRMLS_MUST_USE stirmls_reason stirmls_public_message_decode_message(
    const uint8_t *buf, size_t len, const stirmls_cred_codepoints *cp,
    stirmls_public_message *out, stirmls_detail *d);
void stirmls_public_message_write_message(stirmls_buf *b, const stirmls_public_message *m);
void stirmls_public_message_cleanup(stirmls_public_message *m);

#endif
