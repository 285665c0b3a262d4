/* group_verify.c: GroupInfo verification at a time T and the member table (group.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mls_internal.h"

const char *stirmls_member_status_name(stirmls_member_status s)
{
    static const char *const names[] = {"valid", "expiring", "expired", "invalid"};
    return s <= STIRMLS_MEMBER_INVALID ? names[s] : "invalid";
}

int stirmls_reason_is_expiry(stirmls_reason r)
{
    return r == STIRMLS_R_CERT_EXPIRED || r == STIRMLS_R_PPT_STALE || r == STIRMLS_R_PPT_EXPIRED ||
           r == STIRMLS_R_PPT_SIGNER_EXPIRED || r == STIRMLS_R_MLS_LIFETIME_EXPIRED;
}

void stirmls_group_policy_default(stirmls_group_policy *p)
{
    memset(p, 0, sizeof *p);
    stirmls_mls_options_default(&p->mls);
}

void stirmls_group_result_cleanup(stirmls_group_result *r)
{
    if (r == NULL)
        return;
    free(r->members);
    memset(r, 0, sizeof *r);
}

/* ---- structural checks ------------------------------------------------------------------- */

static stirmls_reason check_signer(const stirmls_group_info *gi, const stirmls_ratchet_tree *t,
                                   stirmls_detail *d)
{
    size_t x = 2 * (size_t)gi->signer;
    if (x >= t->n_nodes || t->nodes[x].type != STIRMLS_NODE_LEAF)
        return stirmls_fail(d, STIRMLS_R_MLS_GROUP_INFO_SIGNER,
                            "signer %u is %s", gi->signer,
                            x >= t->n_nodes ? "outside the tree" : "a blank leaf");
    stirmls_slice key = t->nodes[x].leaf.signature_key;
    stirmls_reason rc = stirmls_mls_check_key(key, "the signer's signature_key", d);
    stirmls_buf tbs;
    stirmls_buf_init(&tbs);
    stirmls_group_info_write_tbs(&tbs, gi);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_grp_verify(key, "GroupInfoTBS", &tbs, gi->signature,
                                STIRMLS_R_MLS_GROUP_INFO_SIGNATURE, gi->signer, d);
    stirmls_buf_cleanup(&tbs);
    return rc;
}

stirmls_reason stirmls_grp_verify(stirmls_slice key, const char *label, const stirmls_buf *tbs,
                                  stirmls_slice sig, stirmls_reason bad, uint32_t leaf,
                                  stirmls_detail *d)
{
    stirmls_key *k = NULL;
    stirmls_reason rc = stirmls_buf_status(tbs);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_key_from_point(key.ptr, key.len, &k);
    if (rc == STIRMLS_R_OK) {
        stirmls_slice content = {tbs->ptr, tbs->len};
        rc = stirmls_mls_verify_with_label(k, label, content, sig);
        if (rc == STIRMLS_R_MLS_LEAF_SIGNATURE)
            rc = bad;
    }
    if (rc != STIRMLS_R_OK)
        stirmls_fail(d, rc, "%s signature does not verify under leaf %u's key", label, leaf);
    stirmls_key_free(k);
    return rc;
}

static stirmls_reason check_tree_hash(const stirmls_group_info *gi, const stirmls_ratchet_tree *t,
                                      uint8_t *hashes, stirmls_detail *d)
{
    stirmls_reason rc = stirmls_tree_hashes(t, STIRMLS_SHA256_LEN, hashes);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail(d, rc, "tree hash");
    const uint8_t *root = hashes + stirmls_tree_root(t) * STIRMLS_SHA256_LEN;
    if (gi->context.tree_hash.len != STIRMLS_SHA256_LEN ||
        memcmp(gi->context.tree_hash.ptr, root, STIRMLS_SHA256_LEN) != 0)
        return stirmls_fail(d, STIRMLS_R_MLS_TREE_HASH,
                            "the ratchet tree hashes to a value other than GroupContext.tree_hash");
    return STIRMLS_R_OK;
}

typedef struct keyref {
    stirmls_slice key;
    size_t node;
} keyref;

static int keyref_cmp(const void *a, const void *b)
{
    const keyref *x = a, *y = b;
    if (x->key.len != y->key.len)
        return x->key.len < y->key.len ? -1 : 1;
    int c = x->key.len ? memcmp(x->key.ptr, y->key.ptr, x->key.len) : 0;
    return c ? c : (x->node < y->node ? -1 : x->node > y->node);
}

/* Signature keys among leaves (sig = 1) or encryption keys among all nodes (sig = 0). */
static stirmls_reason unique_keys(const stirmls_ratchet_tree *t, int sig, keyref *refs,
                                  stirmls_detail *d)
{
    size_t n = 0;
    for (size_t x = 0; x < t->n_nodes; x++) {
        const stirmls_node *nd = &t->nodes[x];
        if (nd->type == STIRMLS_NODE_LEAF)
            refs[n++] = (keyref){sig ? nd->leaf.signature_key : nd->leaf.encryption_key, x};
        else if (nd->type == STIRMLS_NODE_PARENT && !sig)
            refs[n++] = (keyref){nd->parent.encryption_key, x};
    }
    qsort(refs, n, sizeof *refs, keyref_cmp);
    for (size_t i = 1; i < n; i++)
        if (stirmls_slice_eq(refs[i - 1].key, refs[i].key))
            return stirmls_fail(d, sig ? STIRMLS_R_MLS_DUPLICATE_SIGNATURE_KEY
                                       : STIRMLS_R_MLS_DUPLICATE_ENCRYPTION_KEY,
                                "nodes %zu and %zu share %s", refs[i - 1].node, refs[i].node,
                                sig ? "a signature_key" : "an encryption_key");
    return STIRMLS_R_OK;
}

static stirmls_reason structure(const stirmls_group_info *gi, const stirmls_ratchet_tree *t,
                                stirmls_detail *d)
{
    stirmls_reason rc = STIRMLS_R_OK;
    uint8_t *hashes = malloc(t->n_nodes * STIRMLS_SHA256_LEN);
    keyref *refs = malloc(t->n_nodes * sizeof *refs);
    if (hashes == NULL || refs == NULL) {
        rc = stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
        goto out;
    }
    STIRMLS_TRY(check_signer(gi, t, d));
    STIRMLS_TRY(check_tree_hash(gi, t, hashes, d));
    STIRMLS_TRY(stirmls_tree_check_unmerged(t, d));
    STIRMLS_TRY(stirmls_tree_verify_parent_hashes(t, STIRMLS_SHA256_LEN, hashes, d));
    STIRMLS_TRY(unique_keys(t, 1, refs, d));
    STIRMLS_TRY(unique_keys(t, 0, refs, d));
out:
    free(hashes);
    free(refs);
    return rc;
}

/* ---- members ----------------------------------------------------------------------------- */

/* Every credential type in use must be in the leaf's capabilities.credentials (§7.3). */
stirmls_reason stirmls_grp_types_in_use(const stirmls_ratchet_tree *t, stirmls_grp_types *out)
{
    size_t leaves = (t->n_nodes + 1) / 2;
    memset(out, 0, sizeof *out);
    out->type = malloc((leaves ? leaves : 1) * sizeof *out->type);
    out->leaf = malloc((leaves ? leaves : 1) * sizeof *out->leaf);
    if (out->type == NULL || out->leaf == NULL) {
        stirmls_grp_types_cleanup(out);
        return STIRMLS_R_INTERNAL;
    }
    for (size_t x = 0; x < t->n_nodes; x += 2) {
        if (t->nodes[x].type != STIRMLS_NODE_LEAF)
            continue;
        uint16_t type = t->nodes[x].leaf.credential.type;
        size_t i = 0;
        while (i < out->n && out->type[i] != type)
            i++;
        if (i == out->n) {
            out->type[out->n] = type;
            out->leaf[out->n++] = (uint32_t)(x / 2);
        }
    }
    return STIRMLS_R_OK;
}

void stirmls_grp_types_cleanup(stirmls_grp_types *ty)
{
    free(ty->type);
    free(ty->leaf);
    memset(ty, 0, sizeof *ty);
}

stirmls_reason stirmls_grp_required_caps(const stirmls_group_context *gc, stirmls_grp_types *ty,
                                         stirmls_detail *d)
{
    stirmls_slice data;
    stirmls_reader r;
    stirmls_reason rc;
    ty->has_required = 0;
    if (!stirmls_extensions_find(gc->extensions, STIRMLS_MLS_EXT_REQUIRED_CAPABILITIES, &data))
        return STIRMLS_R_OK;
    stirmls_reader_init(&r, data.ptr, data.len);
    if ((rc = stirmls_mls_read_u16list(&r, &ty->req_extensions, "required_capabilities.extension_types", d)) ||
        (rc = stirmls_mls_read_u16list(&r, &ty->req_proposals, "required_capabilities.proposal_types", d)) ||
        (rc = stirmls_mls_read_u16list(&r, &ty->req_credentials, "required_capabilities.credential_types", d)) ||
        (rc = stirmls_grp_finish(&r, "required_capabilities extension", d)))
        return rc;
    ty->has_required = 1;
    return STIRMLS_R_OK;
}

/* The first type of `required` that `have` lacks, types in [dlo, dhi] (the defaults) aside: 1 and
 * *missing when there is one. */
static int lacks(stirmls_slice required, stirmls_slice have, uint16_t dlo, uint16_t dhi,
                 uint16_t *missing)
{
    stirmls_reader r;
    uint16_t x;
    stirmls_reader_init(&r, required.ptr, required.len);
    while (stirmls_reader_u16(&r, &x) == STIRMLS_R_OK)
        if (!(dlo != 0 && x >= dlo && x <= dhi) && !stirmls_u16list_has(have, x)) {
            *missing = x;
            return 1;
        }
    return 0;
}

/* Every credential type in use must be in the leaf's capabilities.credentials (§7.3), and every
 * type required_capabilities lists in its capabilities (§7.3, §11.1; default types excepted, §7.2). */
stirmls_reason stirmls_grp_caps_cover(const stirmls_grp_types *in_use, const stirmls_leafnode *ln,
                                      stirmls_detail *d)
{
    uint16_t x;
    for (size_t i = 0; i < in_use->n; i++)
        if (!stirmls_u16list_has(ln->capabilities.credentials, in_use->type[i]))
            return stirmls_fail(d, STIRMLS_R_MLS_CAPABILITIES_CREDENTIAL,
                                "capabilities.credentials lacks 0x%04X, in use by leaf %u",
                                in_use->type[i], in_use->leaf[i]);
    if (!in_use->has_required)
        return STIRMLS_R_OK;
    const char *what = lacks(in_use->req_extensions, ln->capabilities.extensions, 0x0001, 0x0005, &x)
                           ? "extensions"
                       : lacks(in_use->req_proposals, ln->capabilities.proposals, 0x0001, 0x0007, &x)
                           ? "proposals"
                       : lacks(in_use->req_credentials, ln->capabilities.credentials, 0, 0, &x)
                           ? "credentials"
                           : NULL;
    if (what != NULL)
        return stirmls_fail(d, STIRMLS_R_MLS_REQUIRED_CAPABILITIES,
                            "capabilities.%s lacks 0x%04X, which required_capabilities lists", what, x);
    return STIRMLS_R_OK;
}

void stirmls_grp_member_fill(stirmls_group_member *m, const stirmls_leafnode *ln,
                             uint32_t leaf_index, stirmls_reason rc, const stirmls_mls_result *r,
                             const stirmls_group_policy *p, uint64_t at)
{
    m->leaf_index = leaf_index;
    m->credential_type = ln->credential.type;
    m->kind = ln->credential.kind;
    m->source = ln->source;
    stirmls_identities_init(&m->identities);
    m->not_after = 0;
    if (rc != STIRMLS_R_OK) {
        m->status = stirmls_reason_is_expiry(rc) ? STIRMLS_MEMBER_EXPIRED : STIRMLS_MEMBER_INVALID;
        return;
    }
    m->identities = r->identities;
    m->not_after = r->credential_not_after;
    if (ln->source == STIRMLS_LEAF_SOURCE_KEY_PACKAGE && ln->not_after < m->not_after)
        m->not_after = ln->not_after;
    m->status = m->not_after - at <= p->warn_within ? STIRMLS_MEMBER_EXPIRING : STIRMLS_MEMBER_VALID;
}

static void judge_member(const stirmls_group_info *gi, const stirmls_ratchet_tree *t,
                         const stirmls_grp_types *in_use, size_t x, const stirmls_group_policy *p,
                         const stirmls_cred_validators *v, uint64_t at, stirmls_group_member *m)
{
    const stirmls_leafnode *ln = &t->nodes[x].leaf;
    stirmls_leaf_context ctx = {ln->source, gi->context.group_id, (uint32_t)(x / 2), {NULL, 0}};
    stirmls_mls_result r;
    memset(m, 0, sizeof *m);
    stirmls_detail_init(&m->detail);
    stirmls_reason rc = stirmls_leafnode_verify(ln, &ctx, &p->mls, v, at, &r, &m->detail);
    stirmls_grp_member_fill(m, ln, (uint32_t)(x / 2), rc, &r, p, at);
    if (rc == STIRMLS_R_OK && stirmls_grp_caps_cover(in_use, ln, &m->detail) != STIRMLS_R_OK) {
        m->status = STIRMLS_MEMBER_INVALID;
        stirmls_identities_init(&m->identities);
        m->not_after = 0;
    }
}

stirmls_reason stirmls_group_info_verify(const stirmls_group_info *gi, const stirmls_group_policy *p,
                                         const stirmls_cred_validators *v, uint64_t at,
                                         stirmls_group_result *res, stirmls_detail *d)
{
    stirmls_ratchet_tree t = {0};
    stirmls_grp_types in_use = {0};
    stirmls_group_result out = {0};
    stirmls_reason rc;
    if (res != NULL)
        memset(res, 0, sizeof *res);
    if (gi->context.version != STIRMLS_MLS10)
        return stirmls_fail(d, STIRMLS_R_MLS_VERSION, "GroupContext version 0x%04X is not mls10",
                            gi->context.version);
    if (gi->context.cipher_suite != STIRMLS_MLS_SUITE_P256)
        return stirmls_fail(d, STIRMLS_R_MLS_CIPHER_SUITE, "cipher suite 0x%04X is not 0x0002",
                            gi->context.cipher_suite);
    STIRMLS_TRY(stirmls_group_info_tree(gi, &p->mls.codepoints, &t, d));
    STIRMLS_TRY(structure(gi, &t, d));
    out.n_leaves = (t.n_nodes + 1) / 2;
    out.members = calloc(out.n_leaves, sizeof *out.members);
    if (out.members == NULL || stirmls_grp_types_in_use(&t, &in_use) != STIRMLS_R_OK) {
        rc = stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
        goto out;
    }
    if ((rc = stirmls_grp_required_caps(&gi->context, &in_use, d)) != STIRMLS_R_OK)
        goto out;
    const stirmls_group_member *first_bad = NULL;
    for (size_t x = 0; x < t.n_nodes; x += 2) {
        if (t.nodes[x].type != STIRMLS_NODE_LEAF)
            continue;
        stirmls_group_member *m = &out.members[out.n_members++];
        judge_member(gi, &t, &in_use, x, p, v, at, m);
        out.n_expired += m->status == STIRMLS_MEMBER_EXPIRED;
        out.n_expiring += m->status == STIRMLS_MEMBER_EXPIRING;
        out.n_invalid += m->status == STIRMLS_MEMBER_INVALID;
        if (first_bad == NULL && m->status == STIRMLS_MEMBER_INVALID)
            first_bad = m;
    }
    if (first_bad != NULL) {
        rc = first_bad->detail.reason;
        if (d != NULL && d->reason == STIRMLS_R_OK) {
            *d = first_bad->detail;
            snprintf(d->text, sizeof d->text, "member %u: %.300s", first_bad->leaf_index,
                     first_bad->detail.text);
        }
    } else if (out.n_expired > 0 && p->reject_expired) {
        rc = stirmls_fail(d, STIRMLS_R_MLS_MEMBER_EXPIRED,
                          "%zu member(s) expired at %llu and the policy rejects expired members",
                          out.n_expired, (unsigned long long)at);
    } else {
        rc = STIRMLS_R_OK;
    }
out:
    stirmls_ratchet_tree_cleanup(&t);
    stirmls_grp_types_cleanup(&in_use);
    if (res != NULL && out.members != NULL)
        *res = out;
    else
        stirmls_group_result_cleanup(&out);
    return rc;
}
