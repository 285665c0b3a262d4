/* group_message_verify.c: a PublicMessage judged against a GroupInfo of the same epoch at a time
 * T (group.h): the sender, the signature over FramedContentTBS, and each Add, Update, Remove and
 * UpdatePath leaf, with the successor rule for a member's new credential. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls/cert.h"
#include "stirmls/passport.h"
#include "mls_internal.h"

/* The time a credential was issued at: a PASSporT's iat, or the latest notBefore of the
 * certificates it carries; 0 when neither can be read. */
static uint64_t issued_at(const stirmls_credential *c)
{
    uint64_t t = 0;
    if (c->kind == STIRMLS_CRED_KIND_STIR_PASSPORT) {
        stirmls_ppt_policy pol;
        stirmls_passport *p = NULL;
        stirmls_ppt_policy_init(&pol);
        pol.lenient = 1, pol.chain_carried = 1; /* only iat is wanted */
        if (stirmls_passport_parse((const char *)c->passport.ptr, c->passport.len, &pol, &p,
                                   NULL) == STIRMLS_R_OK && p->iat > 0)
            t = (uint64_t)p->iat;
        stirmls_passport_free(p);
        return t;
    }
    for (size_t i = 0; i < c->ncerts; i++) {
        stirmls_cert *cert = NULL;
        if (stirmls_cert_from_der(c->certs[i].ptr, c->certs[i].len, &cert, NULL) == STIRMLS_R_OK &&
            stirmls_cert_not_before(cert) > t)
            t = stirmls_cert_not_before(cert);
        stirmls_cert_free(cert);
    }
    return t;
}

/* The identities the sender's current leaf presents: validated at `at`; when its credential has
 * expired by then, validated at the time it was issued (docs/profile.md Part 3 §11). */
static stirmls_reason old_identities(const stirmls_leafnode *ln, const stirmls_group_policy *p,
                                     const stirmls_cred_validators *v, uint64_t at,
                                     stirmls_identities *ids, stirmls_detail *d)
{
    uint64_t na;
    stirmls_detail tmp;
    stirmls_detail_init(&tmp);
    stirmls_reason rc = stirmls_cred_validate(v, p->mls.x509_stir_profile, &ln->credential,
                                              ln->signature_key, at, &na, ids, &tmp);
    if (rc != STIRMLS_R_OK && stirmls_reason_is_expiry(rc)) {
        uint64_t t = issued_at(&ln->credential);
        stirmls_detail_init(&tmp);
        if (t != 0)
            rc = stirmls_cred_validate(v, p->mls.x509_stir_profile, &ln->credential,
                                       ln->signature_key, t, &na, ids, &tmp);
    }
    if (rc != STIRMLS_R_OK)
        return stirmls_fail(d, rc, "the sender's current credential: %.280s", tmp.text);
    return STIRMLS_R_OK;
}

typedef struct msg_ctx {
    const stirmls_group_info *gi;
    const stirmls_ratchet_tree *t;
    const stirmls_grp_types *in_use;
    const stirmls_group_policy *p;
    const stirmls_cred_validators *v;
    uint64_t at;
    uint32_t sender; /* the proposer: the message's sender, or a referenced proposal's */
    stirmls_group_message_result *res;
} msg_ctx;

/* One proposal of a Commit's list: by value (proposer the committer) or resolved by reference
 * (proposer the sender of the proposal's own message). */
typedef struct entry {
    const stirmls_proposal *p;
    uint32_t proposer;
} entry;

/* A member's new leaf (Update, UpdatePath) or a joiner's (Add): valid at T, the group's
 * credential types supported, and for a member the successor rule. */
static stirmls_reason new_leaf(const msg_ctx *c, const stirmls_leafnode *ln,
                               const stirmls_leaf_context *ctx, const stirmls_keypackage *kp,
                               stirmls_detail *d)
{
    stirmls_group_member *m = &c->res->new_member;
    stirmls_mls_result r;
    stirmls_reason rc;
    memset(m, 0, sizeof *m);
    stirmls_detail_init(&m->detail);
    stirmls_identities_init(&r.identities);
    c->res->has_new_member = 1;
    rc = kp ? stirmls_keypackage_verify(kp, &c->p->mls, c->v, c->at, &r, &m->detail)
            : stirmls_leafnode_verify(ln, ctx, &c->p->mls, c->v, c->at, &r, &m->detail);
    stirmls_grp_member_fill(m, ln, kp ? 0 : ctx->leaf_index, rc, &r, c->p, c->at);
    int own = rc != STIRMLS_R_OK; /* the leaf itself failed (status set by the fill) */
    if (rc == STIRMLS_R_OK)
        rc = stirmls_grp_caps_cover(c->in_use, ln, &m->detail);
    if (rc == STIRMLS_R_OK && !kp) {
        stirmls_identities old;
        stirmls_identities_init(&old);
        rc = old_identities(&c->t->nodes[2 * (size_t)c->sender].leaf, c->p, c->v, c->at, &old,
                            &m->detail);
        if (rc == STIRMLS_R_OK)
            rc = stirmls_identities_successor(&old, &r.identities, &m->detail);
    }
    if (rc != STIRMLS_R_OK) {
        if (!own) /* valid in itself, but not an acceptable successor or capability */
            m->status = STIRMLS_MEMBER_INVALID;
        if (d != NULL && d->reason == STIRMLS_R_OK) {
            *d = m->detail;
            snprintf(d->text, sizeof d->text, "%s leaf: %.280s", kp ? "the added" : "the new",
                     m->detail.text);
        }
    }
    return rc;
}

/* 1 when a Remove in the Commit's list (e, n) removes leaf `leaf`. */
static int removed_by(const entry *e, size_t n, uint32_t leaf)
{
    for (size_t i = 0; i < n; i++)
        if (e[i].p->type == STIRMLS_PROPOSAL_REMOVE && e[i].p->removed == leaf)
            return 1;
    return 0;
}

/* An Add's signature_key must not be a member's (one the same Commit removes aside: RFC 9420
 * §12.2 "unless there is a Remove proposal in the list removing the matching client"), nor that
 * of an earlier Add of the same Commit (§7.3: signature keys are unique among the leaves). */
static stirmls_reason add_key_new(const msg_ctx *c, const stirmls_keypackage *kp, const entry *e,
                                  size_t n, size_t index, stirmls_detail *d)
{
    stirmls_slice key = kp->leaf.signature_key;
    for (size_t x = 0; x < c->t->n_nodes; x += 2)
        if (c->t->nodes[x].type == STIRMLS_NODE_LEAF &&
            stirmls_slice_eq(c->t->nodes[x].leaf.signature_key, key) && !removed_by(e, n, (uint32_t)(x / 2)))
            return stirmls_fail(d, STIRMLS_R_MLS_ADD_EXISTING_KEY,
                                "the added KeyPackage's signature_key is leaf %zu's", x / 2);
    for (size_t i = 0; i < index; i++)
        if (e[i].p->type == STIRMLS_PROPOSAL_ADD && stirmls_slice_eq(e[i].p->add.leaf.signature_key, key))
            return stirmls_fail(d, STIRMLS_R_MLS_ADD_EXISTING_KEY,
                                "proposals %zu and %zu add the same signature_key", i, index);
    return STIRMLS_R_OK;
}

/* The leaf an Update (its proposer's) or a Remove changes, or UINT32_MAX for the other types. */
static uint32_t changed_leaf(const entry *e)
{
    return e->p->type == STIRMLS_PROPOSAL_UPDATE   ? e->proposer
           : e->p->type == STIRMLS_PROPOSAL_REMOVE ? e->p->removed
                                                   : UINT32_MAX;
}

/* RFC 9420 §12.2, the proposal list of a member's Commit (by value and resolved references): no
 * Update generated by the committer, no Remove of the committer, at most one Update or Remove
 * per leaf, no Add of a signature_key already present. */
static stirmls_reason commit_list(const msg_ctx *c, const entry *e, size_t n, stirmls_detail *d)
{
    for (size_t i = 0; i < n; i++) {
        const stirmls_proposal *pr = e[i].p;
        uint32_t leaf = changed_leaf(&e[i]);
        if (pr->type == STIRMLS_PROPOSAL_UPDATE && e[i].proposer == c->sender)
            return stirmls_fail(d, STIRMLS_R_MLS_COMMIT_OWN_UPDATE,
                                "proposal %zu is an Update generated by the committer (leaf %u)",
                                i, c->sender);
        if (pr->type == STIRMLS_PROPOSAL_REMOVE && pr->removed == c->sender)
            return stirmls_fail(d, STIRMLS_R_MLS_COMMIT_REMOVES_COMMITTER,
                                "proposal %zu removes the committer (leaf %u)", i, c->sender);
        for (size_t j = 0; leaf != UINT32_MAX && j < i; j++)
            if (changed_leaf(&e[j]) == leaf)
                return stirmls_fail(d, STIRMLS_R_MLS_COMMIT_SAME_LEAF,
                                    "proposals %zu and %zu both update or remove leaf %u", j, i, leaf);
        if (pr->type == STIRMLS_PROPOSAL_ADD) {
            stirmls_reason rc = add_key_new(c, &pr->add, e, n, i, d);
            if (rc != STIRMLS_R_OK)
                return rc;
        }
    }
    return STIRMLS_R_OK;
}

static stirmls_reason proposal(const msg_ctx *c, const stirmls_proposal *pr, stirmls_detail *d)
{
    c->res->proposal_type = pr->type;
    if (pr->type == STIRMLS_PROPOSAL_ADD)
        return new_leaf(c, &pr->add.leaf, NULL, &pr->add, d);
    if (pr->type == STIRMLS_PROPOSAL_UPDATE) {
        const stirmls_leafnode *old = &c->t->nodes[2 * (size_t)c->sender].leaf;
        stirmls_leaf_context ctx = {STIRMLS_LEAF_SOURCE_UPDATE, c->gi->context.group_id, c->sender,
                                    old->encryption_key};
        return new_leaf(c, &pr->update, &ctx, NULL, d);
    }
    if (pr->type == STIRMLS_PROPOSAL_REMOVE) {
        size_t x = 2 * (size_t)pr->removed;
        if (x >= c->t->n_nodes || c->t->nodes[x].type != STIRMLS_NODE_LEAF)
            return stirmls_fail(d, STIRMLS_R_MLS_REMOVE_TARGET,
                                "Remove of leaf %u, which is not a member", pr->removed);
    }
    return STIRMLS_R_OK; /* the other types change no leaf: nothing of STIR to judge */
}

static stirmls_reason check_frame(const msg_ctx *c, const stirmls_public_message *m,
                                  stirmls_detail *d);

/* The proposal message of the pool whose ProposalRef is `ref`, or NULL. */
static const stirmls_public_message *resolve(const stirmls_public_message *pool, size_t n,
                                             stirmls_slice ref)
{
    uint8_t h[STIRMLS_SHA256_LEN];
    for (size_t j = 0; j < n; j++)
        if (pool[j].content_type == STIRMLS_CONTENT_PROPOSAL &&
            stirmls_proposal_ref(&pool[j], h) == STIRMLS_R_OK && ref.len == sizeof h &&
            memcmp(ref.ptr, h, sizeof h) == 0)
            return &pool[j];
    return NULL;
}

static stirmls_reason commit(const msg_ctx *c, const stirmls_commit *cm,
                             const stirmls_public_message *pool, size_t n_pool, stirmls_detail *d)
{
    stirmls_reason rc = STIRMLS_R_OK;
    entry *e = malloc((cm->n_proposals ? cm->n_proposals : 1) * sizeof *e);
    if (e == NULL)
        return stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
    for (size_t i = 0; i < cm->n_proposals; i++) {
        e[i] = (entry){&cm->proposals[i].proposal, c->sender};
        if (cm->proposals[i].type == 1)
            continue;
        c->res->n_references++;
        const stirmls_public_message *pm = resolve(pool, n_pool, cm->proposals[i].reference);
        if (pm == NULL) {
            rc = stirmls_fail(d, STIRMLS_R_MLS_PROPOSAL_REF_UNRESOLVED,
                              "proposal %zu is a reference that none of the %zu proposal message(s) "
                              "given has", i, n_pool);
            goto out;
        }
        /* the proposal's own message: this group and epoch, a member sender, its signature */
        STIRMLS_TRY(check_frame(c, pm, d));
        e[i] = (entry){&pm->proposal, pm->sender_index};
    }
    STIRMLS_TRY(commit_list(c, e, cm->n_proposals, d));
    for (size_t i = 0; i < cm->n_proposals; i++) {
        msg_ctx pc = *c;
        pc.sender = e[i].proposer;
        STIRMLS_TRY(proposal(&pc, e[i].p, d));
    }
    if (cm->has_path) {
        stirmls_leaf_context ctx = {STIRMLS_LEAF_SOURCE_COMMIT, c->gi->context.group_id, c->sender,
                                    {NULL, 0}};
        rc = new_leaf(c, &cm->path_leaf, &ctx, NULL, d);
    }
out:
    free(e);
    return rc;
}

stirmls_reason stirmls_proposal_ref(const stirmls_public_message *m, uint8_t out[STIRMLS_SHA256_LEN])
{
    stirmls_buf b; /* AuthenticatedContent: wire_format, FramedContent, FramedContentAuthData */
    stirmls_buf_init(&b);
    stirmls_buf_put_u16(&b, STIRMLS_MLS_WIRE_PUBLIC_MESSAGE);
    stirmls_grp_write_framed_content(&b, m);
    stirmls_buf_put_opaque(&b, m->signature.ptr, m->signature.len);
    if (m->content_type == STIRMLS_CONTENT_COMMIT)
        stirmls_buf_put_opaque(&b, m->confirmation_tag.ptr, m->confirmation_tag.len);
    stirmls_reason rc = stirmls_buf_status(&b);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_mls_ref_hash("MLS 1.0 Proposal Reference", (stirmls_slice){b.ptr, b.len}, out);
    stirmls_buf_cleanup(&b);
    return rc;
}

static stirmls_reason check_signature(const msg_ctx *c, const stirmls_public_message *m,
                                      stirmls_detail *d)
{
    stirmls_slice key = c->t->nodes[2 * (size_t)m->sender_index].leaf.signature_key;
    stirmls_buf tbs;
    stirmls_buf_init(&tbs);
    stirmls_buf_put_u16(&tbs, STIRMLS_MLS10);
    stirmls_buf_put_u16(&tbs, STIRMLS_MLS_WIRE_PUBLIC_MESSAGE);
    stirmls_grp_write_framed_content(&tbs, m);
    stirmls_group_context_write(&tbs, &c->gi->context); /* member sender */
    stirmls_reason rc = stirmls_grp_verify(key, "FramedContentTBS", &tbs, m->signature,
                                           STIRMLS_R_MLS_MESSAGE_SIGNATURE, m->sender_index, d);
    stirmls_buf_cleanup(&tbs);
    return rc;
}

/* A message of this group and epoch from a member, a proposal or a commit, signed by its sender. */
static stirmls_reason check_frame(const msg_ctx *c, const stirmls_public_message *m,
                                  stirmls_detail *d)
{
    const stirmls_group_info *gi = c->gi;
    if (!stirmls_slice_eq(m->group_id, gi->context.group_id) || m->epoch != gi->context.epoch)
        return stirmls_fail(d, STIRMLS_R_MLS_MESSAGE_GROUP,
                            "the message is for another group or epoch (%llu, the GroupInfo's %llu)",
                            (unsigned long long)m->epoch, (unsigned long long)gi->context.epoch);
    if (m->sender_type != STIRMLS_SENDER_MEMBER)
        return stirmls_fail(d, STIRMLS_R_MLS_SENDER_TYPE,
                            "sender_type %u: only member senders are judged", m->sender_type);
    size_t x = 2 * (size_t)m->sender_index;
    if (x >= c->t->n_nodes || c->t->nodes[x].type != STIRMLS_NODE_LEAF)
        return stirmls_fail(d, STIRMLS_R_MLS_SENDER_NOT_MEMBER, "sender leaf %u is not a member",
                            m->sender_index);
    if (m->content_type != STIRMLS_CONTENT_PROPOSAL && m->content_type != STIRMLS_CONTENT_COMMIT)
        return stirmls_fail(d, STIRMLS_R_MLS_CONTENT_TYPE,
                            "a PublicMessage carries a proposal or a commit, not content_type %u",
                            m->content_type);
    return check_signature(c, m, d);
}

stirmls_reason stirmls_group_message_verify(const stirmls_group_info *gi,
                                            const stirmls_public_message *m,
                                            const stirmls_group_policy *p,
                                            const stirmls_cred_validators *v, uint64_t at,
                                            stirmls_group_message_result *res, stirmls_detail *d)
{
    return stirmls_group_message_verify_refs(gi, m, NULL, 0, p, v, at, res, d);
}

stirmls_reason stirmls_group_message_verify_refs(const stirmls_group_info *gi,
                                           const stirmls_public_message *m,
                                           const stirmls_public_message *proposals,
                                           size_t n_proposals, const stirmls_group_policy *p,
                                           const stirmls_cred_validators *v, uint64_t at,
                                           stirmls_group_message_result *res, stirmls_detail *d)
{
    stirmls_group_message_result local;
    stirmls_ratchet_tree t = {0};
    stirmls_grp_types in_use = {0};
    stirmls_reason rc;
    if (res == NULL)
        res = &local;
    memset(res, 0, sizeof *res);
    stirmls_detail_init(&res->new_member.detail);
    STIRMLS_TRY(stirmls_group_info_verify(gi, p, v, at, NULL, d));
    STIRMLS_TRY(stirmls_group_info_tree(gi, &p->mls.codepoints, &t, d));
    res->content_type = m->content_type;
    res->sender = m->sender_index;
    if (stirmls_grp_types_in_use(&t, &in_use) != STIRMLS_R_OK) {
        rc = stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
        goto out;
    }
    STIRMLS_TRY(stirmls_grp_required_caps(&gi->context, &in_use, d)); /* read once already */
    msg_ctx c = {gi, &t, &in_use, p, v, at, m->sender_index, res};
    STIRMLS_TRY(check_frame(&c, m, d));
    if (m->content_type == STIRMLS_CONTENT_PROPOSAL && m->proposal.type == STIRMLS_PROPOSAL_ADD)
        STIRMLS_TRY(add_key_new(&c, &m->proposal.add, NULL, 0, 0, d));
    rc = m->content_type == STIRMLS_CONTENT_PROPOSAL ? proposal(&c, &m->proposal, d)
                                                     : commit(&c, &m->commit, proposals, n_proposals, d);
out:
    stirmls_ratchet_tree_cleanup(&t);
    stirmls_grp_types_cleanup(&in_use);
    return rc;
}
