/*
 * build_group.c: the group kinds (docs/scenarios.md, `group:`). A GroupInfo over the members a case
 * names, built through the library (stirmls_group_info_build: a tree of the members' leaves with
 * blank parents, or parents given as data), and for group_message a PublicMessage in that group
 * (stirmls_public_message_build). Each member is the case merged with the member's own keys
 * (credential, passport, signature_key, key_package, mutations), built as a KeyPackage whose LeafNode
 * goes into the tree (source key_package), or as a LeafNode of source update or commit signed for the
 * group and the member's leaf index.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "build.h"
#include "model.h"

#define VG_MAX_MEMBERS 32
#define VG_HASH_LEN 32

struct member {
    uint8_t *bytes; /* the LeafNode (or, for an Add, the KeyPackage MLSMessage) */
    size_t len;
    const char *key; /* signature key name */
};

static stirmls_leaf_source source_of(json_t *m)
{
    const char *s = json_string_value(json_object_get(m, "source"));
    if (s != NULL && strcmp(s, "update") == 0)
        return STIRMLS_LEAF_SOURCE_UPDATE;
    if (s != NULL && strcmp(s, "commit") == 0)
        return STIRMLS_LEAF_SOURCE_COMMIT;
    return STIRMLS_LEAF_SOURCE_KEY_PACKAGE;
}

/* The case a member is built in: the parent case's keys, the member's over them (sub.c owned:
 * release with member_case_cleanup). */
static void member_case(struct vg_case *vc, json_t *spec, struct vg_case *sub)
{
    memset(sub, 0, sizeof *sub);
    sub->c = json_copy(vc->c);
    json_object_del(sub->c, "mutations");
    json_object_del(sub->c, "group");
    json_object_update(sub->c, spec);
    json_object_del(sub->c, "source");
    sub->pki = vc->pki;
    sub->at = vc->at;
    sub->seed = vc->seed;
    sub->seedlen = vc->seedlen;
    sub->mutations = json_object_get(sub->c, "mutations");
    if (sub->mutations == NULL) {
        sub->mutations = json_array();
        json_object_set_new(sub->c, "mutations", sub->mutations);
    }
    sub->artifacts = json_object();
}

static void member_case_cleanup(struct vg_case *sub)
{
    vg_case_cleanup(sub);
    json_decref(sub->c);
}

/* One member built in a case of its own.
 * source key_package: the KeyPackage MLSMessage when whole_kp, else its LeafNode. */
static int build_member(struct vg_case *vc, json_t *spec, stirmls_leaf_source source, uint32_t index,
                        int whole_kp, stirmls_slice parent_hash, struct member *out)
{
    struct vg_case sub;
    member_case(vc, spec, &sub);
    sub.leaf_source = source == STIRMLS_LEAF_SOURCE_KEY_PACKAGE ? 0 : source;
    sub.group_id = vc->group_id;
    sub.leaf_index = index;
    sub.parent_hash = parent_hash;
    out->key = json_string_value(json_object_get(spec, "signature_key"));
    if (out->key == NULL)
        out->key = json_string_value(json_object_get(vc->c, "signature_key"));
    out->bytes = vg_key_package(&sub, &out->len);
    int ok = out->bytes != NULL && out->key != NULL;
    if (!ok)
        vg_fail(vc, "member %u: %s", index, sub.err[0] ? sub.err : "no signature_key");
    if (ok && source == STIRMLS_LEAF_SOURCE_KEY_PACKAGE && !whole_kp) {
        stirmls_keypackage kp;
        stirmls_cred_codepoints cp;
        stirmls_buf b;
        stirmls_cred_codepoints_default(&cp);
        stirmls_buf_init(&b);
        ok = stirmls_keypackage_decode_message(out->bytes, out->len, &cp, &kp, NULL) == STIRMLS_R_OK;
        if (ok)
            stirmls_leafnode_write(&b, &kp.leaf);
        free(out->bytes);
        out->bytes = ok ? stirmls_buf_take(&b, &out->len) : NULL;
        stirmls_buf_cleanup(&b);
        ok = ok && out->bytes != NULL;
        if (!ok)
            vg_fail(vc, "member %u: the KeyPackage does not decode", index);
    }
    member_case_cleanup(&sub);
    return ok;
}

/* A ParentNode {index: I, parent_hash: HEX (default empty), unmerged: [leaf index...] (default
 * none)}: its encryption key derived from "parent/<I>", the unmerged_leaves as listed. */
static int parent_node(struct vg_case *vc, json_t *spec, stirmls_buf *b)
{
    char name[48];
    uint8_t pt[STIRMLS_P256_POINT_LEN], *ph = NULL;
    size_t phlen = 0;
    const char *h = json_string_value(json_object_get(spec, "parent_hash"));
    snprintf(name, sizeof name, "parent/%lld", (long long)json_integer_value(json_object_get(spec, "index")));
    stirmls_key *k = vg_key(vc, name);
    if (k == NULL || (h != NULL && stirmls_hex_decode(h, strlen(h), &ph, &phlen) != STIRMLS_R_OK))
        return vg_fail(vc, "a parent needs an index and a hex parent_hash, or none");
    stirmls_key_point(k, pt);
    stirmls_buf_put_opaque(b, pt, sizeof pt);
    stirmls_buf_put_opaque(b, ph, phlen);
    size_t mark = stirmls_buf_vec_open(b), i; /* unmerged_leaves<V> of uint32 */
    json_t *u;
    json_array_foreach(json_object_get(spec, "unmerged"), i, u) stirmls_buf_put_u32(b, (uint32_t)json_integer_value(u));
    stirmls_buf_vec_close(b, mark);
    free(ph);
    return 1;
}

/* The group-stage mutators on a finished MLSMessage (version u16, wire_format u16, body): the
 * prefix's fields, outside the signed body, and one byte appended. *bytes may be reallocated. */
static int mutate_message(struct vg_case *vc, const char *prefix, uint8_t **bytes, size_t *len)
{
    char name[48];
    snprintf(name, sizeof name, "%s_version_2", prefix);
    if (vg_has_mutation(vc, name) && *len >= 2)
        (*bytes)[0] = 0, (*bytes)[1] = 2;
    snprintf(name, sizeof name, "%s_wire_format_key_package", prefix);
    if (vg_has_mutation(vc, name) && *len >= 4)
        (*bytes)[2] = 0, (*bytes)[3] = 5;
    snprintf(name, sizeof name, "%s_trailing_byte", prefix);
    if (vg_has_mutation(vc, name)) {
        uint8_t *more = realloc(*bytes, *len + 1);
        if (more == NULL)
            return vg_fail(vc, "out of memory");
        *bytes = more;
        (*bytes)[(*len)++] = 0;
    }
    return 1;
}

/* The group-stage mutators that change the ratchet tree inside the signed GroupInfo: the tree of
 * the GroupInfo built so far, edited as bytes, signed again with the same tree_hash (the tree no
 * longer decodes, so nothing could hash it). tree_parent_node_type_3 finds parent node 1 as the octets
 * 01 (present) 02 (parent) 40 41 (a 65-octet encryption_key, two-octet varint) and the key of "parent/0". */
static int mutate_tree(struct vg_case *vc, stirmls_group_build *b, uint8_t **out, size_t *len)
{
    int type3 = vg_has_mutation(vc, "tree_parent_node_type_3"), pres = vg_has_mutation(vc, "tree_first_presence_2");
    b->omit_ratchet_tree = vg_has_mutation(vc, "group_info_no_ratchet_tree");
    if (!type3 && !pres && !b->omit_ratchet_tree)
        return 1;
    stirmls_group_info gi;
    stirmls_slice tree;
    uint8_t *copy = NULL, pat[4 + STIRMLS_P256_POINT_LEN] = {1, STIRMLS_NODE_PARENT, 0x40, STIRMLS_P256_POINT_LEN};
    stirmls_key *pk = type3 ? vg_key(vc, "parent/0") : NULL;
    if (stirmls_group_info_decode_message(*out, *len, &gi, NULL) != STIRMLS_R_OK ||
        !stirmls_extensions_find(gi.extensions, STIRMLS_MLS_EXT_RATCHET_TREE, &tree) || tree.len < 2 ||
        (copy = malloc(tree.len)) == NULL)
        return vg_fail(vc, "the group mutators: the GroupInfo does not decode");
    memcpy(copy, tree.ptr, tree.len);
    uint8_t th[VG_HASH_LEN];
    memcpy(th, gi.context.tree_hash.ptr, gi.context.tree_hash.len < sizeof th ? gi.context.tree_hash.len : sizeof th);
    int ok = 1;
    if (pres) /* the vector's length is one octet for a tree under 64 octets, else two or four */
        copy[(copy[0] >> 6) == 0 ? 1 : (copy[0] >> 6) == 1 ? 2 : 4] = 2;
    if (type3) {
        uint8_t *hit = NULL;
        if (pk != NULL)
            stirmls_key_point(pk, pat + 4);
        for (size_t i = 0; pk != NULL && i + sizeof pat <= tree.len && hit == NULL; i++)
            if (memcmp(copy + i, pat, sizeof pat) == 0)
                hit = copy + i + 1;
        ok = hit != NULL ? (*hit = 3, 1) : vg_fail(vc, "tree_parent_node_type_3 needs group.parents with index 0");
    }
    if (ok && (type3 || pres)) {
        b->ratchet_tree = (stirmls_slice){copy, tree.len};
        b->tree_hash = (stirmls_slice){th, sizeof th};
    }
    uint8_t *again = NULL;
    size_t alen = 0;
    if (ok && stirmls_group_info_build(b, &again, &alen, NULL) != STIRMLS_R_OK)
        ok = vg_fail(vc, "cannot build the mutated GroupInfo");
    if (ok) {
        free(*out);
        *out = again, *len = alen;
    }
    b->ratchet_tree = (stirmls_slice){NULL, 0};
    free(copy);
    return ok;
}

/* What a message is built in: the GroupInfo, the members, the epoch, and the input's proposals
 * (the messages of the proposals a Commit references). */
struct msg_env {
    const stirmls_group_info *gi;
    const struct member *mem;
    size_t n;
    uint64_t epoch;
    json_t *pool;
};

static int message_content(struct vg_case *vc, const struct msg_env *env, json_t *m, uint32_t sender,
                           stirmls_buf *b, uint8_t *ctype);

/* A PublicMessage (owned) in the group from `sender`, signed with `signed_by` (default the
 * sender's key), carrying content of ctype. */
static uint8_t *public_message(struct vg_case *vc, const struct msg_env *env, uint32_t sender,
                               const char *signed_by, uint8_t ctype, const stirmls_buf *content, size_t *len)
{
    uint8_t *out = NULL;
    if (signed_by == NULL && sender < env->n)
        signed_by = env->mem[sender].key;
    stirmls_key *k = signed_by ? vg_key(vc, signed_by) : NULL;
    stirmls_slice c = {content->ptr, content->len};
    if (k == NULL)
        vg_fail(vc, "group.message: no key for sender %u", sender);
    else if (stirmls_buf_status(content) != STIRMLS_R_OK ||
             stirmls_public_message_build(env->gi, sender, env->epoch, ctype, c, k, &out, len, NULL) != STIRMLS_R_OK)
        vg_fail(vc, "cannot build the PublicMessage");
    return out;
}

/* A proposal by reference (RFC 9420 §12.4): the proposal sent in a message of its own by `sender`
 * (default the committer), signed with `signed_by`; its ProposalRef goes into the Commit and the
 * message into the input's proposals, unless `withheld`. */
static int proposal_by_ref(struct vg_case *vc, const struct msg_env *env, json_t *pr, uint32_t committer,
                           stirmls_buf *b)
{
    json_t *js = json_object_get(pr, "sender");
    uint32_t s = json_is_integer(js) ? (uint32_t)json_integer_value(js) : committer;
    stirmls_buf content;
    uint8_t t = 0, ref[STIRMLS_SHA256_LEN], *out = NULL;
    size_t len = 0;
    stirmls_public_message pm;
    stirmls_cred_codepoints cp;
    stirmls_cred_codepoints_default(&cp);
    stirmls_buf_init(&content);
    int ok = message_content(vc, env, pr, s, &content, &t);
    ok = ok && (out = public_message(vc, env, s, json_string_value(json_object_get(pr, "signed_by")),
                                     STIRMLS_CONTENT_PROPOSAL, &content, &len)) != NULL;
    if (ok && stirmls_public_message_decode_message(out, len, &cp, &pm, NULL) == STIRMLS_R_OK) {
        ok = stirmls_proposal_ref(&pm, ref) == STIRMLS_R_OK;
        stirmls_public_message_cleanup(&pm);
    } else {
        ok = ok && vg_fail(vc, "the proposal message does not decode");
    }
    if (ok) {
        stirmls_buf_put_u8(b, 2);
        stirmls_buf_put_opaque(b, ref, sizeof ref);
        if (!json_is_true(json_object_get(pr, "withheld")))
            json_array_append_new(env->pool, vg_hex_json(out, len));
    }
    free(out);
    stirmls_buf_cleanup(&content);
    return ok;
}

/* The content of the case's message (group.message): a Proposal or a Commit into b; its type. */
static int message_content(struct vg_case *vc, const struct msg_env *env, json_t *m, uint32_t sender,
                           stirmls_buf *b, uint8_t *ctype)
{
    const char *type = json_string_value(json_object_get(m, "type"));
    json_t *leaf = json_object_get(m, "leaf");
    struct member nm = {0};
    int ok = 1;
    if (type == NULL)
        return vg_fail(vc, "group.message needs a type");
    *ctype = strcmp(type, "commit") == 0 ? STIRMLS_CONTENT_COMMIT : STIRMLS_CONTENT_PROPOSAL;
    if (strcmp(type, "add") == 0 || strcmp(type, "update") == 0 || (strcmp(type, "commit") == 0 && leaf)) {
        stirmls_leaf_source s = type[0] == 'a' ? STIRMLS_LEAF_SOURCE_KEY_PACKAGE
                                : type[0] == 'u' ? STIRMLS_LEAF_SOURCE_UPDATE : STIRMLS_LEAF_SOURCE_COMMIT;
        if (leaf == NULL || !build_member(vc, leaf, s, sender, 1, (stirmls_slice){NULL, 0}, &nm))
            return leaf == NULL ? vg_fail(vc, "group.message %s needs a leaf", type) : 0;
    }
    if (strcmp(type, "add") == 0) {
        stirmls_buf_put_u16(b, STIRMLS_PROPOSAL_ADD);
        stirmls_buf_put(b, nm.bytes + 4, nm.len - 4); /* the bare KeyPackage */
    } else if (strcmp(type, "update") == 0) {
        stirmls_buf_put_u16(b, STIRMLS_PROPOSAL_UPDATE);
        stirmls_buf_put(b, nm.bytes, nm.len);
    } else if (strcmp(type, "remove") == 0) {
        stirmls_buf_put_u16(b, STIRMLS_PROPOSAL_REMOVE);
        stirmls_buf_put_u32(b, (uint32_t)json_integer_value(json_object_get(m, "removed")));
    } else if (strcmp(type, "commit") == 0) {
        /* proposals by value: a Remove when `removed`, then each of `proposals` (add, update,
         * remove, as a message of that type; by reference when `by_reference`) */
        size_t mark = stirmls_buf_vec_open(b), i;
        json_t *pr;
        uint8_t ignored;
        if (json_is_integer(json_object_get(m, "removed"))) {
            stirmls_buf_put_u8(b, 1);
            stirmls_buf_put_u16(b, STIRMLS_PROPOSAL_REMOVE);
            stirmls_buf_put_u32(b, (uint32_t)json_integer_value(json_object_get(m, "removed")));
        }
        json_array_foreach(json_object_get(m, "proposals"), i, pr) {
            const char *pt = json_string_value(json_object_get(pr, "type"));
            if (ok && (pt == NULL || strcmp(pt, "commit") == 0))
                ok = vg_fail(vc, "group.message.proposals: each needs a type add, update or remove");
            if (ok && json_is_true(json_object_get(pr, "by_reference"))) {
                ok = proposal_by_ref(vc, env, pr, sender, b);
                continue;
            }
            stirmls_buf_put_u8(b, 1);
            if (ok)
                ok = message_content(vc, env, pr, sender, b, &ignored);
        }
        stirmls_buf_vec_close(b, mark);
        stirmls_buf_put_u8(b, nm.bytes != NULL);
        if (nm.bytes != NULL) { /* UpdatePath: the leaf, no path nodes (not judged: docs/profile.md) */
            stirmls_buf_put(b, nm.bytes, nm.len);
            stirmls_buf_put_varint(b, 0);
        }
    } else if (strcmp(type, "application") == 0) { /* application_data<V>: only a PrivateMessage may carry it */
        *ctype = STIRMLS_CONTENT_APPLICATION;
        stirmls_buf_put_opaque(b, "hello", 5);
    } else {
        ok = vg_fail(vc, "group.message type must be add, update, remove, commit or application");
    }
    free(nm.bytes);
    return ok;
}

/* The group-stage mutators on the message content before it is signed (the signature is valid;
 * the content no longer decodes): the Proposal's type, the first ProposalOrRef's type octet, the
 * length octets of the UpdatePath leaf's encryption_key<V>. */
static int mutate_content(struct vg_case *vc, stirmls_buf *c, uint8_t ctype)
{
    int pt = vg_has_mutation(vc, "proposal_type_0"), por = vg_has_mutation(vc, "commit_proposal_or_ref_3"),
        leaf = vg_has_mutation(vc, "commit_path_leaf_key_overrun");
    if (!pt && !por && !leaf)
        return 1;
    if (pt && (ctype != STIRMLS_CONTENT_PROPOSAL || c->len < 2))
        return vg_fail(vc, "proposal_type_0 needs a proposal message");
    if (pt)
        c->ptr[0] = 0, c->ptr[1] = 0;
    if (ctype != STIRMLS_CONTENT_COMMIT || c->len == 0)
        return pt ? 1 : vg_fail(vc, "the commit mutators need a commit message");
    size_t pre = (c->ptr[0] >> 6) == 0 ? 1 : (c->ptr[0] >> 6) == 1 ? 2 : 4, n = c->ptr[0] & 0x3F;
    for (size_t i = 1; i < pre && i < c->len; i++)
        n = n << 8 | c->ptr[i];
    if (por && (n == 0 || pre >= c->len))
        return vg_fail(vc, "commit_proposal_or_ref_3 needs a commit with a proposal");
    if (por)
        c->ptr[pre] = 3;
    size_t at = pre + n; /* optional<UpdatePath>: presence, then the leaf's encryption_key<V> */
    if (leaf && (at + 3 > c->len || c->ptr[at] != 1 || c->ptr[at + 1] != 0x40))
        return vg_fail(vc, "commit_path_leaf_key_overrun needs a commit with a path leaf");
    if (leaf)
        c->ptr[at + 1] = 0x7F, c->ptr[at + 2] = 0xFF;
    return 1;
}

static int build_message(struct vg_case *vc, json_t *g, const uint8_t *gib, size_t gilen,
                         const struct member *mem, size_t n, json_t *in)
{
    json_t *m = json_object_get(g, "message");
    stirmls_group_info gi;
    stirmls_buf content;
    uint8_t ctype = 0, *out = NULL;
    size_t len = 0;
    if (m == NULL || stirmls_group_info_decode_message(gib, gilen, &gi, NULL) != STIRMLS_R_OK)
        return vg_fail(vc, "a group_message case needs group.message");
    uint32_t sender = (uint32_t)json_integer_value(json_object_get(m, "sender"));
    struct msg_env env = {&gi, mem, n, gi.context.epoch, json_array()};
    if (json_is_integer(json_object_get(m, "epoch")))
        env.epoch = (uint64_t)json_integer_value(json_object_get(m, "epoch"));
    stirmls_buf_init(&content);
    int ok = message_content(vc, &env, m, sender, &content, &ctype) && mutate_content(vc, &content, ctype);
    ok = ok && (out = public_message(vc, &env, sender, json_string_value(json_object_get(m, "signed_by")), ctype,
                                     &content, &len)) != NULL;
    ok = ok && mutate_message(vc, "message", &out, &len);
    if (ok)
        json_object_set_new(in, "message", vg_hex_json(out, len));
    if (ok && json_array_size(env.pool) > 0)
        json_object_set(in, "proposals", env.pool);
    json_decref(env.pool);
    free(out);
    stirmls_buf_cleanup(&content);
    return ok;
}

/* The GroupContext extensions: group.required_capabilities {extensions, proposals, credentials}
 * (lists of 16-bit types, credential types by name or number) as a required_capabilities extension,
 * or group.required_capabilities_hex, that extension's data as given (malformed ones). */
static int context_extensions(struct vg_case *vc, json_t *g, stirmls_buf *b)
{
    static const char *const lists[] = {"extensions", "proposals", "credentials"};
    json_t *rq = json_object_get(g, "required_capabilities");
    const char *hex = json_string_value(json_object_get(g, "required_capabilities_hex"));
    uint8_t *raw = NULL;
    size_t rawlen = 0;
    if (rq == NULL && hex == NULL)
        return 1;
    if (hex != NULL && stirmls_hex_decode(hex, strlen(hex), &raw, &rawlen) != STIRMLS_R_OK)
        return vg_fail(vc, "group.required_capabilities_hex is not hex");
    stirmls_buf_put_u16(b, STIRMLS_MLS_EXT_REQUIRED_CAPABILITIES);
    size_t mark = stirmls_buf_vec_open(b);
    if (raw != NULL)
        stirmls_buf_put(b, raw, rawlen);
    for (size_t i = 0; raw == NULL && i < 3; i++) {
        uint16_t v[VG_MAX_EXT];
        stirmls_u16list l = vg_u16_list(vc, json_object_get(rq, lists[i]), v);
        size_t m = stirmls_buf_vec_open(b);
        for (size_t j = 0; j < l.n; j++)
            stirmls_buf_put_u16(b, l.v[j]);
        stirmls_buf_vec_close(b, m);
    }
    stirmls_buf_vec_close(b, mark);
    free(raw);
    return stirmls_buf_status(b) == STIRMLS_R_OK || vg_fail(vc, "out of memory");
}

/* Whether leaf node y is in the subtree of parent node x (level k: x ± 2^k - 1). */
static int below(size_t x, size_t y)
{
    size_t k = 0;
    while ((x >> k) & 1)
        k++;
    size_t span = ((size_t)1 << k) - 1;
    return y != x && y + span >= x && y <= x + span;
}

/* A parent {index: I, child: L} made parent-hash valid (RFC 9420 §7.9): member L (a leaf below
 * parent node 2I+1, in the resolution of one of its children when the nodes between are blank;
 * source commit) is rebuilt carrying
 * Hash(ParentHashInput{the parent's encryption_key, its parent_hash, the other child's tree hash}),
 * the sibling's original tree hash taken from the GroupInfo built so far (L's own bytes do not enter
 * it): the tree hash with the parent's unmerged leaves blank (RFC 9420 §7.9.2). */
static int link_child(struct vg_case *vc, json_t *p, json_t *spec, struct member *m, const uint8_t *gib,
                      size_t gilen)
{
    stirmls_group_info gi;
    stirmls_ratchet_tree t = {0};
    stirmls_cred_codepoints cp;
    stirmls_cred_codepoints_default(&cp);
    size_t x = 2 * (size_t)json_integer_value(json_object_get(p, "index")) + 1;
    size_t leaf = 2 * (size_t)json_integer_value(json_object_get(p, "child"));
    if (stirmls_group_info_decode_message(gib, gilen, &gi, NULL) != STIRMLS_R_OK ||
        stirmls_group_info_tree(&gi, &cp, &t, NULL) != STIRMLS_R_OK)
        return vg_fail(vc, "group.parents: the GroupInfo does not decode");
    uint8_t *h = malloc(t.n_nodes * VG_HASH_LEN), ph[VG_HASH_LEN];
    if (x < t.n_nodes && t.nodes[x].type == STIRMLS_NODE_PARENT) /* the original tree: unmerged leaves out */
        for (size_t i = 0; i + 4 <= t.nodes[x].parent.unmerged_leaves.len; i += 4) {
            const uint8_t *u = t.nodes[x].parent.unmerged_leaves.ptr + i;
            size_t ux = 2 * ((size_t)u[0] << 24 | (size_t)u[1] << 16 | (size_t)u[2] << 8 | u[3]);
            if (ux < t.n_nodes)
                t.nodes[ux].type = STIRMLS_NODE_BLANK;
        }
    int ok = x < t.n_nodes && t.nodes[x].type == STIRMLS_NODE_PARENT && h != NULL &&
             below(x, leaf) &&
             stirmls_tree_hashes(&t, VG_HASH_LEN, h) == STIRMLS_R_OK;
    if (ok) {
        size_t sib = leaf < x ? stirmls_tree_right(x) : stirmls_tree_left(x);
        stirmls_buf in;
        stirmls_buf_init(&in);
        stirmls_buf_put_opaque(&in, t.nodes[x].parent.encryption_key.ptr, t.nodes[x].parent.encryption_key.len);
        stirmls_buf_put_opaque(&in, t.nodes[x].parent.parent_hash.ptr, t.nodes[x].parent.parent_hash.len);
        stirmls_buf_put_opaque(&in, h + sib * VG_HASH_LEN, VG_HASH_LEN);
        ok = stirmls_buf_status(&in) == STIRMLS_R_OK;
        if (ok)
            stirmls_sha256(in.ptr, in.len, ph);
        stirmls_buf_cleanup(&in);
    }
    stirmls_ratchet_tree_cleanup(&t);
    free(h);
    if (!ok)
        return vg_fail(vc, "group.parents: child %zu is not a leaf below parent node %zu", leaf / 2, x);
    free(m->bytes);
    m->bytes = NULL;
    return build_member(vc, spec, STIRMLS_LEAF_SOURCE_COMMIT, (uint32_t)(leaf / 2), 0,
                        (stirmls_slice){ph, sizeof ph}, m);
}

int vg_group_input(struct vg_case *vc, const char *kind, json_t *in)
{
    json_t *g = json_object_get(vc->c, "group"), *members = json_object_get(g, "members");
    struct member mem[VG_MAX_MEMBERS];
    stirmls_slice leaves[VG_MAX_MEMBERS], parents[VG_MAX_MEMBERS];
    stirmls_buf pbuf[VG_MAX_MEMBERS];
    size_t n = json_array_size(members), np = 0;
    static const uint8_t zero[VG_HASH_LEN];
    uint8_t *th = NULL, *out = NULL;
    size_t thlen = 0, len = 0;
    int ok = 1;
    if (n == 0 || n > VG_MAX_MEMBERS)
        return vg_fail(vc, "group.members: 1 to %d members", VG_MAX_MEMBERS);
    const char *gid = json_string_value(json_object_get(g, "group_id"));
    vc->group_id = stirmls_slice_str(gid ? gid : "stir-group");
    memset(mem, 0, sizeof mem);
    memset(leaves, 0, sizeof leaves);
    memset(parents, 0, sizeof parents);
    for (size_t i = 0; ok && i < n; i++) {
        json_t *m = json_array_get(members, i);
        if (json_is_null(m))
            continue; /* a blank leaf */
        ok = build_member(vc, m, source_of(m), (uint32_t)i, 0, (stirmls_slice){NULL, 0}, &mem[i]);
        leaves[i] = (stirmls_slice){mem[i].bytes, mem[i].len};
    }
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(g, "parents"), i, p) {
        json_int_t x = json_integer_value(json_object_get(p, "index"));
        if (!ok || x < 0 || x >= VG_MAX_MEMBERS) {
            ok = ok && vg_fail(vc, "group.parents: an index below %d", VG_MAX_MEMBERS);
            break;
        }
        stirmls_buf_init(&pbuf[np]);
        ok = parent_node(vc, p, &pbuf[np]);
        parents[x] = (stirmls_slice){pbuf[np].ptr, pbuf[np].len};
        np++;
    }
    json_int_t signer = json_is_integer(json_object_get(g, "signer")) ? json_integer_value(json_object_get(g, "signer"))
                                                                      : (json_int_t)n - 1;
    const char *signed_by = json_string_value(json_object_get(g, "signed_by"));
    if (signed_by == NULL && signer >= 0 && (size_t)signer < n)
        signed_by = mem[signer].key;
    stirmls_key *sk = ok && signed_by ? vg_key(vc, signed_by) : NULL;
    const char *thhex = json_string_value(json_object_get(g, "tree_hash"));
    if (ok && thhex && stirmls_hex_decode(thhex, strlen(thhex), &th, &thlen) != STIRMLS_R_OK)
        ok = vg_fail(vc, "group.tree_hash is not hex");
    if (ok && sk == NULL)
        ok = vg_fail(vc, "group: no key to sign the GroupInfo with");
    stirmls_group_build b;
    stirmls_buf cext;
    memset(&b, 0, sizeof b);
    stirmls_buf_init(&cext);
    ok = ok && context_extensions(vc, g, &cext);
    if (ok) {
        stirmls_detail d;
        stirmls_detail_init(&d);
        b.group_id = vc->group_id;
        b.epoch = json_is_integer(json_object_get(g, "epoch")) ? (uint64_t)json_integer_value(json_object_get(g, "epoch")) : 1;
        b.leaves = leaves;
        b.n_leaves = n;
        b.parents = parents;
        b.n_parents = VG_MAX_MEMBERS;
        b.signer = (uint32_t)signer;
        b.signer_key = sk;
        b.confirmed_transcript_hash = (stirmls_slice){zero, sizeof zero};
        b.confirmation_tag = (stirmls_slice){zero, sizeof zero};
        b.tree_hash = (stirmls_slice){th, thlen};
        b.cipher_suite = vg_has_mutation(vc, "group_cipher_suite_1") ? 1 : 0;
        b.context_extensions = (stirmls_slice){cext.ptr, cext.len};
        if (stirmls_group_info_build(&b, &out, &len, &d) != STIRMLS_R_OK)
            ok = vg_fail(vc, "cannot build the GroupInfo: %s", d.text);
    }
    json_array_foreach(json_object_get(g, "parents"), i, p) {
        if (ok && json_is_integer(json_object_get(p, "child")))
            ok = link_child(vc, p, json_array_get(members, (size_t)json_integer_value(json_object_get(p, "child"))),
                            &mem[json_integer_value(json_object_get(p, "child"))], out, len);
    }
    if (ok && json_object_get(g, "parents") != NULL) { /* again, over the linked leaves */
        for (size_t j = 0; j < n; j++)
            leaves[j] = (stirmls_slice){mem[j].bytes, mem[j].len};
        free(out);
        out = NULL;
        stirmls_detail d;
        stirmls_detail_init(&d);
        if (stirmls_group_info_build(&b, &out, &len, &d) != STIRMLS_R_OK)
            ok = vg_fail(vc, "cannot build the GroupInfo: %s", d.text);
    }
    ok = ok && mutate_tree(vc, &b, &out, &len);
    if (ok && strcmp(kind, "group_message") == 0)
        ok = build_message(vc, g, out, len, mem, n, in);
    ok = ok && mutate_message(vc, "group_info", &out, &len);
    if (ok)
        json_object_set_new(in, "group_info", vg_hex_json(out, len));
    for (size_t j = 0; j < n; j++)
        free(mem[j].bytes);
    for (size_t j = 0; j < np; j++)
        stirmls_buf_cleanup(&pbuf[j]);
    stirmls_buf_cleanup(&cext);
    free(th);
    free(out);
    return ok;
}

/* One member's producer params (vg_kp_generate_params over the member's own case), or NULL. */
static json_t *member_params(struct vg_case *vc, json_t *spec, size_t i)
{
    struct vg_case sub;
    member_case(vc, spec, &sub);
    json_t *p = vg_kp_generate_params(&sub), *caps = vg_caps_credentials(&sub);
    if (p && caps)
        json_object_set(p, "credential_types", caps);
    json_decref(caps);
    if (p == NULL)
        vg_fail(vc, "member %zu: %s", i, sub.err[0] ? sub.err : "no credential or signature_key");
    member_case_cleanup(&sub);
    return p;
}

/* generate group_info / group_message (docs/protocol.md): member 0 makes the group and adds the
 * others by KeyPackage; group.update {member, leaf}: that member renews its credential (the leaf's,
 * same signature key) by an Update; group.commit_path: member 0 then commits with an UpdatePath. */
json_t *vg_group_generate_params(struct vg_case *vc, const char *kind, json_t *anchors)
{
    json_t *g = json_object_get(vc->c, "group"), *members = json_object_get(g, "members");
    json_t *u = json_object_get(g, "update"), *list = json_array();
    size_t n = json_array_size(members), i;
    json_t *m;
    int ok = n > 0 && n <= VG_MAX_MEMBERS;
    if (!ok)
        vg_fail(vc, "group.members: 1 to %d members", VG_MAX_MEMBERS);
    json_array_foreach(members, i, m) {
        json_t *mp = ok && json_is_object(m) ? member_params(vc, m, i) : NULL;
        if (ok && !json_is_object(m))
            vg_fail(vc, "group.members: a generated group has no blank leaf");
        ok = ok && mp != NULL && json_array_append_new(list, mp) == 0;
    }
    const char *gid = json_string_value(json_object_get(g, "group_id"));
    stirmls_slice id = stirmls_slice_str(gid ? gid : "stir-group");
    json_t *p = ok ? json_pack("{s:s,s:I,s:o,s:O,s:O,s:b}", "kind", kind, "at", (json_int_t)vc->at, "group_id",
                               vg_hex_json(id.ptr, id.len), "members", list, "trust_anchors", anchors,
                               "commit_path", json_is_true(json_object_get(g, "commit_path")))
                   : NULL;
    if (p && json_object_get(vc->c, "policy"))
        json_object_set(p, "policy", json_object_get(vc->c, "policy"));
    if (p && u) {
        json_int_t who = json_integer_value(json_object_get(u, "member"));
        json_t *lp = who >= 1 && (size_t)who < n ? member_params(vc, json_object_get(u, "leaf"), (size_t)who) : NULL;
        if (lp)
            json_object_set_new(p, "update", json_pack("{s:I,s:O}", "member", who, "credential",
                                                      json_object_get(lp, "credential")));
        else {
            vg_fail(vc, "group.update: a member index from 1 and a leaf");
            json_decref(p);
            p = NULL;
        }
        json_decref(lp);
    }
    json_decref(list);
    return p;
}
