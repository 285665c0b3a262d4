/* group_message_verify.c: a PublicMessage judged against a GroupInfo of the same epoch at a time
 * T (group.h): the sender, the signature over FramedContentTBS, and each Add, Update, Remove and
 * UpdatePath leaf, with the successor rule for a member's new credential. */
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
    uint32_t sender;
    stirmls_group_message_result *res;
} msg_ctx;

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

/* 1 when a Remove by value in the Commit (cm, may be NULL) removes leaf `leaf`. */
static int removed_by(const stirmls_commit *cm, uint32_t leaf)
{
    for (size_t i = 0; cm != NULL && i < cm->n_proposals; i++)
        if (cm->proposals[i].type == 1 && cm->proposals[i].proposal.type == STIRMLS_PROPOSAL_REMOVE &&
            cm->proposals[i].proposal.removed == leaf)
            return 1;
    return 0;
}

/* An Add's signature_key must not be a member's (one the same Commit removes aside: RFC 9420
 * §12.2 "unless there is a Remove proposal in the list removing the matching client"), nor that
 * of an earlier Add of the same Commit (§7.3: signature keys are unique among the leaves). */
static stirmls_reason add_key_new(const msg_ctx *c, const stirmls_keypackage *kp,
                                  const stirmls_commit *cm, size_t index, stirmls_detail *d)
{
    stirmls_slice key = kp->leaf.signature_key;
    for (size_t x = 0; x < c->t->n_nodes; x += 2)
        if (c->t->nodes[x].type == STIRMLS_NODE_LEAF &&
            stirmls_slice_eq(c->t->nodes[x].leaf.signature_key, key) && !removed_by(cm, (uint32_t)(x / 2)))
            return stirmls_fail(d, STIRMLS_R_MLS_ADD_EXISTING_KEY,
                                "the added KeyPackage's signature_key is leaf %zu's", x / 2);
    for (size_t i = 0; cm != NULL && i < index; i++) {
        const stirmls_proposal *o = &cm->proposals[i].proposal;
        if (cm->proposals[i].type == 1 && o->type == STIRMLS_PROPOSAL_ADD &&
            stirmls_slice_eq(o->add.leaf.signature_key, key))
            return stirmls_fail(d, STIRMLS_R_MLS_ADD_EXISTING_KEY,
                                "proposals %zu and %zu add the same signature_key", i, index);
    }
    return STIRMLS_R_OK;
}

/* RFC 9420 §12.2, the proposal list of a member's Commit (the proposals by value; references are
 * counted, not resolved): no Update by value (it would be generated by the committer), no Remove
 * of the committer, at most one Remove per leaf, no Add of a signature_key already present. */
static stirmls_reason commit_list(const msg_ctx *c, const stirmls_commit *cm, stirmls_detail *d)
{
    for (size_t i = 0; i < cm->n_proposals; i++) {
        const stirmls_proposal *pr = &cm->proposals[i].proposal;
        if (cm->proposals[i].type != 1)
            continue;
        if (pr->type == STIRMLS_PROPOSAL_UPDATE)
            return stirmls_fail(d, STIRMLS_R_MLS_COMMIT_OWN_UPDATE,
                                "proposal %zu is an Update by value, generated by the committer (leaf %u)",
                                i, c->sender);
        if (pr->type == STIRMLS_PROPOSAL_REMOVE && pr->removed == c->sender)
            return stirmls_fail(d, STIRMLS_R_MLS_COMMIT_REMOVES_COMMITTER,
                                "proposal %zu removes the committer (leaf %u)", i, c->sender);
        for (size_t j = 0; pr->type == STIRMLS_PROPOSAL_REMOVE && j < i; j++)
            if (cm->proposals[j].type == 1 && cm->proposals[j].proposal.type == STIRMLS_PROPOSAL_REMOVE &&
                cm->proposals[j].proposal.removed == pr->removed)
                return stirmls_fail(d, STIRMLS_R_MLS_COMMIT_SAME_LEAF,
                                    "proposals %zu and %zu both remove leaf %u", j, i, pr->removed);
        if (pr->type == STIRMLS_PROPOSAL_ADD) {
            stirmls_reason rc = add_key_new(c, &pr->add, cm, i, d);
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

static stirmls_reason commit(const msg_ctx *c, const stirmls_commit *cm, stirmls_detail *d)
{
    stirmls_reason rc = commit_list(c, cm, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    for (size_t i = 0; i < cm->n_proposals; i++) {
        if (cm->proposals[i].type != 1) {
            c->res->n_references++;
            continue;
        }
        if ((rc = proposal(c, &cm->proposals[i].proposal, d)) != STIRMLS_R_OK)
            return rc;
    }
    if (!cm->has_path)
        return STIRMLS_R_OK;
    stirmls_leaf_context ctx = {STIRMLS_LEAF_SOURCE_COMMIT, c->gi->context.group_id, c->sender,
                                {NULL, 0}};
    return new_leaf(c, &cm->path_leaf, &ctx, NULL, d);
}

static stirmls_reason check_signature(const msg_ctx *c, const stirmls_public_message *m,
                                      stirmls_detail *d)
{
    stirmls_slice key = c->t->nodes[2 * (size_t)c->sender].leaf.signature_key;
    stirmls_buf tbs;
    stirmls_buf_init(&tbs);
    stirmls_buf_put_u16(&tbs, STIRMLS_MLS10);
    stirmls_buf_put_u16(&tbs, STIRMLS_MLS_WIRE_PUBLIC_MESSAGE);
    stirmls_grp_write_framed_content(&tbs, m);
    stirmls_group_context_write(&tbs, &c->gi->context); /* member sender */
    stirmls_reason rc = stirmls_grp_verify(key, "FramedContentTBS", &tbs, m->signature,
                                           STIRMLS_R_MLS_MESSAGE_SIGNATURE, c->sender, d);
    stirmls_buf_cleanup(&tbs);
    return rc;
}

stirmls_reason stirmls_group_message_verify(const stirmls_group_info *gi,
                                            const stirmls_public_message *m,
                                            const stirmls_group_policy *p,
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
    if (!stirmls_slice_eq(m->group_id, gi->context.group_id) || m->epoch != gi->context.epoch) {
        rc = stirmls_fail(d, STIRMLS_R_MLS_MESSAGE_GROUP,
                          "the message is for another group or epoch (%llu, the GroupInfo's %llu)",
                          (unsigned long long)m->epoch, (unsigned long long)gi->context.epoch);
        goto out;
    }
    if (m->sender_type != STIRMLS_SENDER_MEMBER) {
        rc = stirmls_fail(d, STIRMLS_R_MLS_SENDER_TYPE,
                          "sender_type %u: only member senders are judged", m->sender_type);
        goto out;
    }
    size_t x = 2 * (size_t)m->sender_index;
    if (x >= t.n_nodes || t.nodes[x].type != STIRMLS_NODE_LEAF) {
        rc = stirmls_fail(d, STIRMLS_R_MLS_SENDER_NOT_MEMBER, "sender leaf %u is not a member",
                          m->sender_index);
        goto out;
    }
    if (m->content_type != STIRMLS_CONTENT_PROPOSAL && m->content_type != STIRMLS_CONTENT_COMMIT) {
        rc = stirmls_fail(d, STIRMLS_R_MLS_CONTENT_TYPE,
                          "a PublicMessage carries a proposal or a commit, not content_type %u",
                          m->content_type);
        goto out;
    }
    if (stirmls_grp_types_in_use(&t, &in_use) != STIRMLS_R_OK) {
        rc = stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
        goto out;
    }
    STIRMLS_TRY(stirmls_grp_required_caps(&gi->context, &in_use, d)); /* read once already */
    msg_ctx c = {gi, &t, &in_use, p, v, at, m->sender_index, res};
    STIRMLS_TRY(check_signature(&c, m, d));
    if (m->content_type == STIRMLS_CONTENT_PROPOSAL && m->proposal.type == STIRMLS_PROPOSAL_ADD)
        STIRMLS_TRY(add_key_new(&c, &m->proposal.add, NULL, 0, d));
    rc = m->content_type == STIRMLS_CONTENT_PROPOSAL ? proposal(&c, &m->proposal, d)
                                                     : commit(&c, &m->commit, d);
out:
    stirmls_ratchet_tree_cleanup(&t);
    stirmls_grp_types_cleanup(&in_use);
    return rc;
}
