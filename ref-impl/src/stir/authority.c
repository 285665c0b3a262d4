/*
 * authority.c: chain and PASSporT verification end to end (authority.h). The order follows
 * VAL-P: token and claims, signer chain (path, TNAuthList, delegation, authority over orig.tn),
 * JWT claim constraints of every certificate on the path, then time, signature and mky.
 */
#include <stdio.h>
#include <string.h>
#include "stirmls/authority.h"
#include "stirmls/tn.h"

void stirmls_auth_opts_init(stirmls_auth_opts *o, const stirmls_trust *trust, uint64_t at)
{
    memset(o, 0, sizeof *o); /* cache = NULL: no chain-validation cache */
    o->trust = trust;
    o->at = at;
    o->max_chain = STIRMLS_MAX_CHAIN_DEFAULT;
    stirmls_ppt_policy_init(&o->ppt);
}

static void add_id(stirmls_auth_result *res, const char *type, const char *value)
{
    if (res->n_ids >= STIRMLS_AUTH_MAX_IDS)
        return;
    stirmls_auth_id *id = &res->ids[res->n_ids++];
    snprintf(id->type, sizeof id->type, "%s", type);
    snprintf(id->value, sizeof id->value, "%s", value);
}

/* Canonical reference TN into out, or NULL when none was given. */
static stirmls_reason reference_tn(const stirmls_auth_opts *o, char out[STIRMLS_TN_MAX + 1],
                                   const char **tn, stirmls_detail *d)
{
    *tn = NULL;
    if (o->tn == NULL)
        return STIRMLS_R_OK;
    stirmls_reason rc = stirmls_tn_canonicalize(o->tn, strlen(o->tn), out, d);
    if (rc != STIRMLS_R_OK)
        return rc == STIRMLS_R_INTERNAL ? rc : STIRMLS_R_USAGE;
    *tn = out;
    return STIRMLS_R_OK;
}

/* The validated chain into res; the chain result is cleaned up here. */
static stirmls_reason run_chain(stirmls_cert *const *chain, size_t n, const stirmls_auth_opts *o,
                                const char *tn, stirmls_chain_result *cr, stirmls_auth_result *res,
                                stirmls_detail *d)
{
    if (o->trust == NULL)
        return stirmls_fail(d, STIRMLS_R_CERT_UNTRUSTED, "no trust anchors are configured");
    stirmls_chain_opts co;
    stirmls_chain_opts_init(&co, o->trust, o->at);
    co.trust_spc = o->trust_spc;
    co.tn = tn;
    co.max_len = o->max_chain;
    co.anchor_flags = o->anchor_flags;
    stirmls_reason rc = stirmls_chaincache_verify(o->cache, chain, n, &co, cr, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    res->carrier_asserted = cr->carrier_asserted;
    res->not_after = cr->not_after;
    stirmls_key_point(cr->leaf_key, res->leaf_point);
    if (cr->path.n > 0)
        stirmls_cert_subject(cr->path.certs[0], res->signer, sizeof res->signer);
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_auth_chain(stirmls_cert *const *chain, size_t n, const stirmls_auth_opts *o,
                                  stirmls_auth_result *res, stirmls_detail *d)
{
    char tnbuf[STIRMLS_TN_MAX + 1];
    const char *tn;
    stirmls_chain_result cr;
    memset(res, 0, sizeof *res);
    memset(&cr, 0, sizeof cr);
    stirmls_reason rc = reference_tn(o, tnbuf, &tn, d);
    if (rc == STIRMLS_R_OK)
        rc = run_chain(chain, n, o, tn, &cr, res, d);
    if (rc == STIRMLS_R_OK) {
        for (size_t i = 0; i < cr.identities->n; i++) {
            const stirmls_tna_entry *e = &cr.identities->entries[i];
            char v[40];
            if (e->type == STIRMLS_TNA_RANGE) {
                snprintf(v, sizeof v, "%s/%llu", e->value, (unsigned long long)e->count);
                add_id(res, "range", v);
            } else {
                add_id(res, e->type == STIRMLS_TNA_SPC ? "spc" : "tn", e->value);
            }
        }
        /* a trusted SPC vouching for the reference TN presents that TN, carrier-asserted */
        if (tn != NULL && res->carrier_asserted)
            add_id(res, "tn", tn);
    }
    stirmls_chain_result_cleanup(&cr);
    return rc;
}

static const stirmls_cert_list *resolve_x5u(const stirmls_auth_opts *o, const char *url)
{
    for (size_t i = 0; url != NULL && i < o->n_x5u; i++)
        if (strcmp(o->x5u[i].url, url) == 0 || stirmls_x5u_equivalent(o->x5u[i].url, url))
            return o->x5u[i].chain;
    return NULL;
}

/* JWT claim constraints of every certificate on the path (OQ-10: all of them apply). */
static stirmls_reason apply_path_jcc(const stirmls_passport *p, const stirmls_cert_list *path,
                                     stirmls_detail *d)
{
    for (size_t i = 0; i < path->n; i++) {
        stirmls_jcc *j = NULL;
        stirmls_reason rc = stirmls_cert_jcc(path->certs[i], &j, d);
        if (rc == STIRMLS_R_OK && j != NULL)
            rc = stirmls_passport_apply_jcc(p, j, d);
        stirmls_jcc_free(j);
        if (rc != STIRMLS_R_OK) {
            if (d)
                d->cert_index = (int)i;
            return rc;
        }
    }
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_auth_passport(const char *token, size_t len, stirmls_cert *const *chain,
                                     size_t n, const stirmls_auth_opts *o, const uint8_t *sigkey,
                                     size_t sigkey_len, stirmls_auth_result *res, stirmls_detail *d)
{
    char tnbuf[STIRMLS_TN_MAX + 1];
    const char *tn;
    stirmls_chain_result cr;
    stirmls_passport *p = NULL;
    stirmls_ppt_policy pol = o->ppt;
    memset(res, 0, sizeof *res);
    memset(&cr, 0, sizeof cr);
    stirmls_reason rc = reference_tn(o, tnbuf, &tn, d);
    if (rc != STIRMLS_R_OK)
        goto out;
    pol.chain_carried = n > 0;
    STIRMLS_TRY(stirmls_passport_parse(token, len, &pol, &p, d));
    if (n == 0) {
        const stirmls_cert_list *l = resolve_x5u(o, p->x5u);
        if (l == NULL) {
            rc = stirmls_fail(d, STIRMLS_R_PPT_X5U_UNRESOLVED, "x5u %.80s is not in the certificate map",
                              p->x5u ? p->x5u : "(none)");
            goto out;
        }
        chain = l->certs;
        n = l->n;
    }
    /* the signer's authority over orig.tn is the chain's coverage of it */
    STIRMLS_TRY(run_chain(chain, n, o, p->orig_tn, &cr, res, d));
    STIRMLS_TRY(apply_path_jcc(p, &cr.path, d));
    stirmls_ppt_result pr;
    STIRMLS_TRY(stirmls_passport_verify(p, cr.leaf_key, cr.not_after, &pol, o->at, sigkey, sigkey_len,
                                        &pr, d));
    if (tn != NULL && (p->orig_tn == NULL || strcmp(p->orig_tn, tn) != 0)) {
        rc = stirmls_fail(d, STIRMLS_R_TN_NOT_COVERED, "orig %.20s is not the reference %.20s",
                          p->orig_tn ? p->orig_tn : p->orig_uri, tn);
        goto out;
    }
    res->not_after = pr.valid_until;
    res->attest = p->attest;
    if (p->rcd != NULL) {
        stirmls_buf b;
        stirmls_buf_init(&b);
        if (stirmls_json_serialize(p->rcd, &b) == STIRMLS_R_OK && b.len < sizeof res->rcd)
            memcpy(res->rcd, b.ptr, b.len + 1);
        stirmls_buf_cleanup(&b);
    }
    if (p->orig_tn != NULL)
        add_id(res, "tn", p->orig_tn);
    rc = STIRMLS_R_OK;
out:
    if (rc != STIRMLS_R_OK) {
        res->n_ids = 0;
    }
    stirmls_chain_result_cleanup(&cr);
    stirmls_passport_free(p);
    return rc;
}
