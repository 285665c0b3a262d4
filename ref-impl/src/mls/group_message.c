/* group_message.c: Proposal, Commit and PublicMessage codecs (RFC 9420 §12.1, §12.4, §6.2). */
#include <stdlib.h>
#include <string.h>
#include "mls_internal.h"

/* PreSharedKeyID (§8.4): external (psk_id) or resumption (usage, group id, epoch), then nonce. */
static stirmls_reason read_psk(stirmls_reader *r, stirmls_detail *d)
{
    uint8_t type, usage;
    stirmls_slice s;
    uint64_t epoch;
    size_t at = stirmls_reader_pos(r);
    stirmls_reason rc = stirmls_grp_read_u8(r, &type, "PreSharedKeyID psktype", d);
    if (rc != STIRMLS_R_OK)
        return rc;
    if (type == 1) {
        rc = stirmls_mls_read_opaque(r, &s, "PreSharedKeyID psk_id<V>", d);
    } else if (type == 2) {
        at = stirmls_reader_pos(r);
        if ((rc = stirmls_grp_read_u8(r, &usage, "PreSharedKeyID usage", d)))
            return rc;
        if (usage < 1 || usage > 3)
            return stirmls_fail_at(d, STIRMLS_R_MLS_PSK_TYPE, at, "resumption usage %u undefined",
                                   usage);
        if ((rc = stirmls_mls_read_opaque(r, &s, "PreSharedKeyID psk_group_id<V>", d)) == 0)
            rc = stirmls_grp_read_u64(r, &epoch, "PreSharedKeyID psk_epoch", d);
    } else {
        return stirmls_fail_at(d, STIRMLS_R_MLS_PSK_TYPE, at, "psktype %u undefined", type);
    }
    if (rc == STIRMLS_R_OK)
        rc = stirmls_mls_read_opaque(r, &s, "PreSharedKeyID psk_nonce<V>", d);
    return rc;
}

static stirmls_reason read_body(stirmls_reader *r, const stirmls_cred_codepoints *cp,
                                stirmls_proposal *p, size_t at, stirmls_detail *d)
{
    stirmls_slice s;
    uint16_t u;
    switch (p->type) {
    case STIRMLS_PROPOSAL_ADD:
        return stirmls_keypackage_read(r, cp, &p->add, d);
    case STIRMLS_PROPOSAL_UPDATE:
        return stirmls_leafnode_read(r, cp, &p->update, d);
    case STIRMLS_PROPOSAL_REMOVE:
        return stirmls_grp_read_u32(r, &p->removed, "Remove removed", d);
    case STIRMLS_PROPOSAL_PSK:
        return read_psk(r, d);
    case STIRMLS_PROPOSAL_REINIT: {
        stirmls_reason rc;
        if ((rc = stirmls_mls_read_opaque(r, &s, "ReInit group_id<V>", d)) ||
            (rc = stirmls_grp_read_u16(r, &u, "ReInit version", d)) ||
            (rc = stirmls_grp_read_u16(r, &u, "ReInit cipher_suite", d)))
            return rc;
        return stirmls_mls_read_extensions(r, &s, "ReInit extensions", d);
    }
    case STIRMLS_PROPOSAL_EXTERNAL_INIT:
        return stirmls_mls_read_opaque(r, &s, "ExternalInit kem_output<V>", d);
    case STIRMLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS:
        return stirmls_mls_read_extensions(r, &s, "GroupContextExtensions extensions", d);
    }
    return stirmls_fail_at(d, STIRMLS_R_MLS_PROPOSAL_TYPE, at, "proposal_type 0x%04X %s", p->type,
                           stirmls_mls_is_grease(p->type) ? "is a GREASE value" : "undefined");
}

stirmls_reason stirmls_proposal_read(stirmls_reader *r, const stirmls_cred_codepoints *cp,
                                     stirmls_proposal *out, stirmls_detail *d)
{
    stirmls_reader save = *r;
    stirmls_proposal p;
    memset(&p, 0, sizeof p);
    size_t at = stirmls_reader_pos(r);
    stirmls_reason rc = stirmls_grp_read_u16(r, &p.type, "proposal_type", d);
    const uint8_t *start = r->buf + r->off;
    if (rc == STIRMLS_R_OK)
        rc = read_body(r, cp, &p, at, d);
    if (rc != STIRMLS_R_OK) {
        *r = save;
        return rc;
    }
    p.body.ptr = start;
    p.body.len = (size_t)(r->buf + r->off - start);
    *out = p;
    return STIRMLS_R_OK;
}

void stirmls_proposal_write(stirmls_buf *b, const stirmls_proposal *p)
{
    stirmls_buf_put_u16(b, p->type);
    switch (p->type) {
    case STIRMLS_PROPOSAL_ADD:
        stirmls_keypackage_write(b, &p->add);
        break;
    case STIRMLS_PROPOSAL_UPDATE:
        stirmls_leafnode_write(b, &p->update);
        break;
    case STIRMLS_PROPOSAL_REMOVE:
        stirmls_buf_put_u32(b, p->removed);
        break;
    default:
        stirmls_buf_put(b, p->body.ptr, p->body.len);
    }
}

/* ---- Commit ------------------------------------------------------------------------------- */

static stirmls_reason read_por(stirmls_reader *r, const stirmls_cred_codepoints *cp,
                               stirmls_proposal_or_ref *x, stirmls_detail *d)
{
    size_t at = stirmls_reader_pos(r);
    memset(x, 0, sizeof *x);
    stirmls_reason rc = stirmls_grp_read_u8(r, &x->type, "ProposalOrRef type", d);
    if (rc != STIRMLS_R_OK)
        return rc;
    if (x->type == 1)
        return stirmls_proposal_read(r, cp, &x->proposal, d);
    if (x->type == 2)
        return stirmls_mls_read_opaque(r, &x->reference, "ProposalRef<V>", d);
    return stirmls_fail_at(d, STIRMLS_R_MLS_PROPOSAL_TYPE, at, "ProposalOrRef type %u undefined",
                           x->type);
}

static stirmls_reason read_path_node(stirmls_reader *r, stirmls_update_path_node *n,
                                     stirmls_detail *d)
{
    stirmls_reader v;
    stirmls_slice s;
    stirmls_reason rc = stirmls_mls_read_opaque(r, &n->encryption_key,
                                                "UpdatePathNode encryption_key<V>", d);
    size_t at = stirmls_reader_pos(r);
    if (rc != STIRMLS_R_OK)
        return rc;
    if ((rc = stirmls_reader_vec(r, &v)) != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, at, "encrypted_path_secret<V>");
    n->encrypted_path_secret.ptr = v.buf;
    n->encrypted_path_secret.len = v.len;
    while (stirmls_reader_left(&v) > 0) {
        if ((rc = stirmls_mls_read_opaque(&v, &s, "HPKECiphertext kem_output<V>", d)) ||
            (rc = stirmls_mls_read_opaque(&v, &s, "HPKECiphertext ciphertext<V>", d)))
            return rc;
    }
    return STIRMLS_R_OK;
}

#define GROW(arr, n, cap)                                                                       \
    do {                                                                                        \
        if ((n) == (cap)) {                                                                     \
            size_t nc_ = (cap) ? (cap) * 2 : 8;                                                 \
            void *p_ = realloc((arr), nc_ * sizeof *(arr));                                     \
            if (p_ == NULL) {                                                                   \
                rc = stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");                      \
                goto out;                                                                       \
            }                                                                                   \
            (arr) = p_;                                                                         \
            (cap) = nc_;                                                                        \
        }                                                                                       \
    } while (0)

stirmls_reason stirmls_commit_read(stirmls_reader *r, const stirmls_cred_codepoints *cp,
                                   stirmls_commit *out, stirmls_detail *d)
{
    stirmls_reader save = *r, v;
    stirmls_commit c;
    size_t cap = 0, pcap = 0, at = stirmls_reader_pos(r);
    memset(&c, 0, sizeof c);
    stirmls_reason rc = stirmls_reader_vec(r, &v);
    if (rc != STIRMLS_R_OK) {
        stirmls_fail_at(d, rc, at, "Commit proposals<V>");
        goto out;
    }
    while (stirmls_reader_left(&v) > 0) {
        GROW(c.proposals, c.n_proposals, cap);
        STIRMLS_TRY(read_por(&v, cp, &c.proposals[c.n_proposals], d));
        c.n_proposals++;
    }
    STIRMLS_TRY(stirmls_mls_read_presence(r, &c.has_path, d));
    if (c.has_path) {
        STIRMLS_TRY(stirmls_leafnode_read(r, cp, &c.path_leaf, d));
        at = stirmls_reader_pos(r);
        if ((rc = stirmls_reader_vec(r, &v)) != STIRMLS_R_OK) {
            stirmls_fail_at(d, rc, at, "UpdatePath nodes<V>");
            goto out;
        }
        while (stirmls_reader_left(&v) > 0) {
            GROW(c.path_nodes, c.n_path_nodes, pcap);
            STIRMLS_TRY(read_path_node(&v, &c.path_nodes[c.n_path_nodes], d));
            c.n_path_nodes++;
        }
    }
out:
    if (rc != STIRMLS_R_OK) {
        stirmls_commit_cleanup(&c);
        *r = save;
        return rc;
    }
    *out = c;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_commit_decode(const uint8_t *buf, size_t len,
                                     const stirmls_cred_codepoints *cp, stirmls_commit *out,
                                     stirmls_detail *d)
{
    stirmls_reader r;
    stirmls_commit c;
    stirmls_reader_init(&r, buf, len);
    stirmls_reason rc = stirmls_commit_read(&r, cp, &c, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    if ((rc = stirmls_grp_finish(&r, "Commit", d)) != STIRMLS_R_OK) {
        stirmls_commit_cleanup(&c);
        return rc;
    }
    *out = c;
    return STIRMLS_R_OK;
}

void stirmls_commit_write(stirmls_buf *b, const stirmls_commit *c)
{
    size_t mark = stirmls_buf_vec_open(b);
    for (size_t i = 0; i < c->n_proposals; i++) {
        const stirmls_proposal_or_ref *x = &c->proposals[i];
        stirmls_buf_put_u8(b, x->type);
        if (x->type == 1)
            stirmls_proposal_write(b, &x->proposal);
        else
            stirmls_buf_put_opaque(b, x->reference.ptr, x->reference.len);
    }
    stirmls_buf_vec_close(b, mark);
    stirmls_buf_put_u8(b, c->has_path ? 1 : 0);
    if (!c->has_path)
        return;
    stirmls_leafnode_write(b, &c->path_leaf);
    mark = stirmls_buf_vec_open(b);
    for (size_t i = 0; i < c->n_path_nodes; i++) {
        const stirmls_update_path_node *pn = &c->path_nodes[i];
        stirmls_buf_put_opaque(b, pn->encryption_key.ptr, pn->encryption_key.len);
        stirmls_buf_put_opaque(b, pn->encrypted_path_secret.ptr, pn->encrypted_path_secret.len);
    }
    stirmls_buf_vec_close(b, mark);
}

void stirmls_commit_cleanup(stirmls_commit *c)
{
    free(c->proposals);
    free(c->path_nodes);
    memset(c, 0, sizeof *c);
}

/* ---- PublicMessage ------------------------------------------------------------------------ */

static stirmls_reason read_sender(stirmls_reader *r, stirmls_public_message *m, stirmls_detail *d)
{
    size_t at = stirmls_reader_pos(r);
    stirmls_reason rc = stirmls_grp_read_u8(r, &m->sender_type, "sender_type", d);
    if (rc != STIRMLS_R_OK)
        return rc;
    if (m->sender_type == STIRMLS_SENDER_MEMBER)
        return stirmls_grp_read_u32(r, &m->sender_index, "sender leaf_index", d);
    if (m->sender_type == STIRMLS_SENDER_EXTERNAL)
        return stirmls_grp_read_u32(r, &m->sender_index, "sender sender_index", d);
    if (m->sender_type == STIRMLS_SENDER_NEW_MEMBER_PROPOSAL ||
        m->sender_type == STIRMLS_SENDER_NEW_MEMBER_COMMIT)
        return STIRMLS_R_OK;
    return stirmls_fail_at(d, STIRMLS_R_MLS_SENDER_TYPE, at, "sender_type %u undefined",
                           m->sender_type);
}

static stirmls_reason read_content(stirmls_reader *r, const stirmls_cred_codepoints *cp,
                                   stirmls_public_message *m, stirmls_detail *d)
{
    size_t at = stirmls_reader_pos(r);
    stirmls_reason rc = stirmls_grp_read_u8(r, &m->content_type, "content_type", d);
    if (rc != STIRMLS_R_OK)
        return rc;
    switch (m->content_type) {
    case STIRMLS_CONTENT_APPLICATION:
        return stirmls_mls_read_opaque(r, &m->application_data, "application_data<V>", d);
    case STIRMLS_CONTENT_PROPOSAL:
        return stirmls_proposal_read(r, cp, &m->proposal, d);
    case STIRMLS_CONTENT_COMMIT:
        return stirmls_commit_read(r, cp, &m->commit, d);
    }
    return stirmls_fail_at(d, STIRMLS_R_MLS_CONTENT_TYPE, at, "content_type %u undefined",
                           m->content_type);
}

stirmls_reason stirmls_public_message_decode_message(const uint8_t *buf, size_t len,
                                                     const stirmls_cred_codepoints *cp,
                                                     stirmls_public_message *out,
                                                     stirmls_detail *d)
{
    stirmls_reader r;
    stirmls_public_message m;
    stirmls_reason rc;
    memset(&m, 0, sizeof m);
    stirmls_reader_init(&r, buf, len);
    if ((rc = stirmls_grp_message_header(&r, STIRMLS_MLS_WIRE_PUBLIC_MESSAGE, "mls_public_message",
                                         d)) ||
        (rc = stirmls_mls_read_opaque(&r, &m.group_id, "FramedContent group_id<V>", d)) ||
        (rc = stirmls_grp_read_u64(&r, &m.epoch, "FramedContent epoch", d)) ||
        (rc = read_sender(&r, &m, d)) ||
        (rc = stirmls_mls_read_opaque(&r, &m.authenticated_data, "authenticated_data<V>", d)) ||
        (rc = read_content(&r, cp, &m, d)) ||
        (rc = stirmls_mls_read_opaque(&r, &m.signature, "FramedContentAuthData signature<V>", d)))
        goto out;
    if (m.content_type == STIRMLS_CONTENT_COMMIT &&
        (rc = stirmls_mls_read_opaque(&r, &m.confirmation_tag, "confirmation_tag<V>", d)))
        goto out;
    if (m.sender_type == STIRMLS_SENDER_MEMBER &&
        (rc = stirmls_mls_read_opaque(&r, &m.membership_tag, "membership_tag<V>", d)))
        goto out;
    rc = stirmls_grp_finish(&r, "PublicMessage", d);
out:
    if (rc != STIRMLS_R_OK) {
        stirmls_public_message_cleanup(&m);
        return rc;
    }
    *out = m;
    return STIRMLS_R_OK;
}

/* FramedContent (the part of FramedContentTBS after version, wire_format). */
void stirmls_grp_write_framed_content(stirmls_buf *b, const stirmls_public_message *m)
{
    stirmls_buf_put_opaque(b, m->group_id.ptr, m->group_id.len);
    stirmls_buf_put_u64(b, m->epoch);
    stirmls_buf_put_u8(b, m->sender_type);
    if (m->sender_type == STIRMLS_SENDER_MEMBER || m->sender_type == STIRMLS_SENDER_EXTERNAL)
        stirmls_buf_put_u32(b, m->sender_index);
    stirmls_buf_put_opaque(b, m->authenticated_data.ptr, m->authenticated_data.len);
    stirmls_buf_put_u8(b, m->content_type);
    if (m->content_type == STIRMLS_CONTENT_APPLICATION)
        stirmls_buf_put_opaque(b, m->application_data.ptr, m->application_data.len);
    else if (m->content_type == STIRMLS_CONTENT_PROPOSAL)
        stirmls_proposal_write(b, &m->proposal);
    else
        stirmls_commit_write(b, &m->commit);
}

void stirmls_public_message_write_message(stirmls_buf *b, const stirmls_public_message *m)
{
    stirmls_buf_put_u16(b, STIRMLS_MLS10);
    stirmls_buf_put_u16(b, STIRMLS_MLS_WIRE_PUBLIC_MESSAGE);
    stirmls_grp_write_framed_content(b, m);
    stirmls_buf_put_opaque(b, m->signature.ptr, m->signature.len);
    if (m->content_type == STIRMLS_CONTENT_COMMIT)
        stirmls_buf_put_opaque(b, m->confirmation_tag.ptr, m->confirmation_tag.len);
    if (m->sender_type == STIRMLS_SENDER_MEMBER)
        stirmls_buf_put_opaque(b, m->membership_tag.ptr, m->membership_tag.len);
}

void stirmls_public_message_cleanup(stirmls_public_message *m)
{
    stirmls_commit_cleanup(&m->commit);
}
