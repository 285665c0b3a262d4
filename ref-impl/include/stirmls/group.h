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
#define STIRMLS_MLS_EXT_REQUIRED_CAPABILITIES 0x0003

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
    void *owned;         /* bytes the tree owns (lists made by stirmls_tree_apply), or NULL */
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
/* A copy of the node array (the slices still borrow the same bytes, and any bytes t owns:
 * the copy must not outlive t). */
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

/* Apply an Add, Update (from leaf `sender`) or Remove proposal to the tree (RFC 9420 §12.1.1-3):
 * Add takes the leftmost blank leaf (the tree doubles when there is none) and joins the unmerged
 * leaves of every non-blank parent above it; Update replaces the sender's leaf and blanks its
 * direct path; Remove blanks the leaf and its direct path and truncates the right half while it
 * holds no leaf. USAGE when the updated / removed leaf is blank or outside; UNSUPPORTED for the
 * other proposal types. The new leaf borrows from the proposal's bytes; the tree owns the lists it
 * makes. No proposal validation is done here. */
struct stirmls_proposal;
STIRMLS_MUST_USE stirmls_reason stirmls_tree_apply(stirmls_ratchet_tree *t,
                                                   const struct stirmls_proposal *p,
                                                   uint32_t sender, stirmls_detail *d);

/* ---- GroupInfo verification at a time T and the member table ------------------------------- */

typedef enum stirmls_member_status {
    STIRMLS_MEMBER_VALID = 0,
    STIRMLS_MEMBER_EXPIRING, /* valid, and its effective not-after is within warn_within of T */
    STIRMLS_MEMBER_EXPIRED,  /* its credential (or key_package lifetime) has ended at T */
    STIRMLS_MEMBER_INVALID   /* any other failure: reason says which */
} stirmls_member_status;

/* "valid", "expiring", "expired", "invalid". */
const char *stirmls_member_status_name(stirmls_member_status s);
/* 1 for the reasons that mean "ended at the evaluation time": CERT_EXPIRED, PPT_STALE,
 * PPT_EXPIRED, PPT_SIGNER_EXPIRED, MLS_LIFETIME_EXPIRED. */
int stirmls_reason_is_expiry(stirmls_reason r);

typedef struct stirmls_group_member {
    uint32_t leaf_index;
    uint16_t credential_type;
    stirmls_cred_kind kind;
    stirmls_leaf_source source;
    stirmls_identities identities; /* presented identities and assurance (valid, expiring) */
    uint64_t not_after; /* effective: the credential's end, and a key_package leaf's lifetime
                           end when earlier; UINT64_MAX unbounded; 0 unknown (expired, invalid) */
    stirmls_member_status status;
    stirmls_detail detail; /* reason and text for expired and invalid members */
} stirmls_group_member;

typedef struct stirmls_group_policy {
    stirmls_mls_options mls;
    uint64_t warn_within; /* seconds: a valid member ending within this is "expiring" */
    int reject_expired;   /* 0 (default, docs/profile.md): an expired member is flagged, the
                             GroupInfo accepted; 1: MLS_MEMBER_EXPIRED */
} stirmls_group_policy;

void stirmls_group_policy_default(stirmls_group_policy *p);

typedef struct stirmls_group_result {
    size_t n_members;
    stirmls_group_member *members; /* owned: stirmls_group_result_cleanup; one per non-blank leaf */
    size_t n_leaves;               /* leaves of the (extended) tree */
    size_t n_expired, n_expiring, n_invalid;
} stirmls_group_result;

void stirmls_group_result_cleanup(stirmls_group_result *r);

/*
 * Verify a decoded GroupInfo at `at` (RFC 9420 §12.4.3.1 as a joiner does, with the public
 * checks only; docs/profile.md says what needs epoch secrets and is left out). In order:
 *   GroupContext version (MLS_VERSION) and suite 0x0002 (MLS_CIPHER_SUITE);
 *   the ratchet_tree extension (MLS_RATCHET_TREE_MISSING, its decode reasons);
 *   the signer is a non-blank leaf (MLS_GROUP_INFO_SIGNER) whose signature_key verifies
 *   GroupInfoTBS (MLS_KEY_FORMAT, MLS_SIGNATURE_FORMAT, MLS_GROUP_INFO_SIGNATURE);
 *   the root's tree hash equals GroupContext.tree_hash (MLS_TREE_HASH);
 *   unmerged leaves (MLS_UNMERGED_LEAF) and parent hashes (MLS_PARENT_HASH);
 *   signature keys unique among leaves, encryption keys unique among all nodes
 *   (MLS_DUPLICATE_SIGNATURE_KEY, MLS_DUPLICATE_ENCRYPTION_KEY);
 *   then every non-blank leaf as §7.3 demands (stirmls_leafnode_verify with its own source and,
 *   for update/commit, group_id and leaf index; its capabilities list every credential type in
 *   use in the tree: MLS_CAPABILITIES_CREDENTIAL) with its credential validated at `at`.
 * The member table (res, may be NULL) is filled whenever the structural checks pass. The verdict:
 * the first (lowest leaf index) invalid member's reason; else MLS_MEMBER_EXPIRED when a member
 * expired and p->reject_expired; else OK (expired members flagged in the table).
 */
STIRMLS_MUST_USE stirmls_reason stirmls_group_info_verify(const stirmls_group_info *gi,
                                                          const stirmls_group_policy *p,
                                                          const stirmls_cred_validators *v,
                                                          uint64_t at, stirmls_group_result *res,
                                                          stirmls_detail *d);

/* ---- a deterministic GroupInfo builder ---------------------------------------------------- */

/* A group whose parent nodes are all blank (members joined by Add-only commits): no key schedule
 * is needed. The tree hash is computed; confirmed_transcript_hash and confirmation_tag are opaque
 * inputs (the builder cannot derive them). */
typedef struct stirmls_group_build {
    stirmls_slice group_id;
    uint64_t epoch;
    const stirmls_slice *leaves; /* encoded LeafNodes, leaf i at leaves[i]; .ptr NULL: blank */
    size_t n_leaves;
    const stirmls_slice *parents; /* encoded ParentNodes written as given, parent i (node 2i+1) at
                                     parents[i]; NULL or .ptr NULL: blank (the usual case) */
    size_t n_parents;
    uint32_t signer;                 /* leaf index written in the GroupInfo */
    const stirmls_key *signer_key;   /* signs GroupInfoTBS (with its private part) */
    stirmls_slice confirmed_transcript_hash;
    stirmls_slice confirmation_tag;
    stirmls_slice tree_hash;         /* if .ptr: written instead of the computed one */
    stirmls_cred_codepoints codepoints; /* to decode the leaves (zero: the defaults) */
    uint16_t cipher_suite;           /* GroupContext.cipher_suite (0: 0x0002, the one we offer) */
    stirmls_slice ratchet_tree;      /* if .ptr: the ratchet_tree extension's data as given (a tree
                                        taken from elsewhere, not decoded); tree_hash must be given */
    int omit_ratchet_tree;           /* no ratchet_tree extension (the tree travels out of band) */
    stirmls_slice context_extensions; /* GroupContext extensions<V> body as given (e.g. a
                                         required_capabilities extension); empty by default */
} stirmls_group_build;

/* The GroupInfo as an MLSMessage (owned, free()), with the ratchet_tree extension. USAGE when a
 * leaf does not decode or the last leaf is blank; the reasons of signing. */
STIRMLS_MUST_USE stirmls_reason stirmls_group_info_build(const stirmls_group_build *p,
                                                         uint8_t **out, size_t *outlen,
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

/* A PublicMessage (as an MLSMessage, owned, free()) in the group of gi from member `sender` at
 * `epoch`, carrying content_type (2 proposal, 3 commit) with its encoded content (a Proposal, or a
 * Commit), signed over FramedContentTBS with gi's GroupContext by `signer`. The confirmation and
 * membership tags are zero (they need the epoch's secrets). Deterministic. */
STIRMLS_MUST_USE stirmls_reason stirmls_public_message_build(const stirmls_group_info *gi,
                                                             uint32_t sender, uint64_t epoch,
                                                             uint8_t content_type,
                                                             stirmls_slice content,
                                                             const stirmls_key *signer,
                                                             uint8_t **out, size_t *outlen,
                                                             stirmls_detail *d);

/* ---- a PublicMessage judged against a GroupInfo of the same epoch ------------------------- */

typedef struct stirmls_group_message_result {
    uint8_t content_type;
    uint16_t proposal_type; /* the last proposal judged (by value) */
    uint32_t sender;
    size_t n_references;    /* proposals by reference in a Commit (resolved, or the failure) */
    int has_new_member;
    stirmls_group_member new_member; /* the last new leaf judged: an Add's KeyPackage leaf
                                        (leaf_index 0: not placed yet), an Update's leaf or a
                                        Commit's UpdatePath leaf */
} stirmls_group_message_result;

/*
 * Verify a decoded PublicMessage at `at` against the GroupInfo of its epoch (docs/profile.md
 * Part 3 §11). In order: the GroupInfo itself (stirmls_group_info_verify under p: its reason);
 * group_id and epoch (MLS_MESSAGE_GROUP); a member sender (MLS_SENDER_TYPE) whose leaf exists
 * (MLS_SENDER_NOT_MEMBER); a proposal or commit (MLS_CONTENT_TYPE); the signature over
 * FramedContentTBS with the GroupContext under the sender's signature_key
 * (MLS_MESSAGE_SIGNATURE, MLS_SIGNATURE_FORMAT); then each proposal by value: an Add's KeyPackage
 * verified at T (stirmls_keypackage_verify) and supporting the group's credential types; an
 * Update's LeafNode valid at T with source update, group_id and the sender's index, a new
 * encryption_key, the group's credential types, and the successor rule against the sender's
 * current credential (CRED_SUCCESSOR_TN); a Remove naming a member (MLS_REMOVE_TARGET; an expired
 * member may be removed); a Commit's UpdatePath leaf as an Update with source commit. The
 * membership_tag, the confirmation_tag and the UpdatePath's parent hash are not checked (they need
 * the epoch's secrets or the next epoch's tree).
 */
STIRMLS_MUST_USE stirmls_reason stirmls_group_message_verify(const stirmls_group_info *gi,
                                                             const stirmls_public_message *m,
                                                             const stirmls_group_policy *p,
                                                             const stirmls_cred_validators *v,
                                                             uint64_t at,
                                                             stirmls_group_message_result *res,
                                                             stirmls_detail *d);
/* Without proposal messages, every reference of a Commit is MLS_PROPOSAL_REF_UNRESOLVED. With
 * them (stirmls_group_message_verify_refs), each proposal a Commit holds by reference (RFC 9420
 * §12.4) is the one of `proposals` whose ProposalRef it is (none: MLS_PROPOSAL_REF_UNRESOLVED);
 * that message must be of this group and epoch, from a member and signed by it (the reasons
 * above), and its proposal is judged as one by value with its own sender as the proposer (an
 * Update by reference from another member is valid; the Commit's list rules count it). Proposals
 * given but not referenced are ignored. */
STIRMLS_MUST_USE stirmls_reason stirmls_group_message_verify_refs(
    const stirmls_group_info *gi, const stirmls_public_message *m,
    const stirmls_public_message *proposals, size_t n_proposals, const stirmls_group_policy *p,
    const stirmls_cred_validators *v, uint64_t at, stirmls_group_message_result *res,
    stirmls_detail *d);

/* ProposalRef = RefHash("MLS 1.0 Proposal Reference", AuthenticatedContent) of a PublicMessage
 * (RFC 9420 §5.2): wire_format, FramedContent and FramedContentAuthData as decoded. */
STIRMLS_MUST_USE stirmls_reason stirmls_proposal_ref(const stirmls_public_message *m,
                                                     uint8_t out[STIRMLS_SHA256_LEN]);

#endif
