/*
 * chain.c: STIR chain validation on top of stirmls_x509_path_verify: TNAuthList present on the
 * leaf, JWT claim constraints well-formed, the delegation rule at every link (DLG-03) and the
 * reference TN (TNA-06, TNA-07).
 */
#include <stdlib.h>
#include <string.h>
#include "stirmls/chain.h"
#include "stirmls/jcc.h"
#include "stirmls/mutant.h"

void stirmls_chain_opts_init(stirmls_chain_opts *o, const stirmls_trust *trust, uint64_t at)
{
    memset(o, 0, sizeof *o);
    o->trust = trust;
    o->at = at;
    o->max_len = STIRMLS_MAX_CHAIN_DEFAULT;
}

void stirmls_chain_result_cleanup(stirmls_chain_result *r)
{
    stirmls_tnauthlist_free(r->identities);
    stirmls_key_free(r->leaf_key);
    stirmls_cert_list_cleanup(&r->path);
    memset(r, 0, sizeof *r);
}

size_t stirmls_chain_timed(const stirmls_cert_list *path, unsigned anchor_flags)
{
    return path->n - ((anchor_flags & STIRMLS_ANCHOR_NO_VALIDITY) && path->n > 0 ? 1 : 0);
}

stirmls_reason stirmls_cert_tnauthlist(const stirmls_cert *c, stirmls_tnauthlist **out, stirmls_detail *d)
{
    stirmls_slice v;
    *out = NULL;
    int n = stirmls_cert_extension_count(c, STIRMLS_TNAUTHLIST_OID);
    if (n == 0)
        return STIRMLS_R_CERT_NO_TNAUTHLIST;
    if (n > 1)
        return stirmls_fail(d, STIRMLS_R_CERT_TNAUTHLIST_INVALID, "TNAuthList extension appears %d times", n);
    stirmls_cert_extension(c, STIRMLS_TNAUTHLIST_OID, &v, NULL);
    stirmls_detail inner;
    stirmls_detail_init(&inner);
    stirmls_reason rc = stirmls_tnauthlist_decode(v.ptr, v.len, out, &inner);
    if (rc == STIRMLS_R_INTERNAL)
        return stirmls_fail(d, rc, "out of memory");
    /* the decoder's own reason is the verdict (TNAUTH_*, DER_*, TRUNCATED, TRAILING_BYTES): a
     * conformance report must say which TNAuthList rule broke */
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, inner.offset, "TNAuthList: %s", inner.text);
    return STIRMLS_R_OK;
}

static stirmls_reason fail_cert(stirmls_detail *d, stirmls_reason r, size_t idx, const char *what)
{
    stirmls_fail(d, r, "certificate %zu: %s", idx, what);
    if (d && d->cert_index < 0)
        d->cert_index = (int)idx;
    return r;
}

/* Decode every TNAuthList on the path (NULL where absent); lists[0] must be present. */
static stirmls_reason decode_lists(const stirmls_cert_list *p, stirmls_tnauthlist **lists, stirmls_detail *d)
{
    for (size_t i = 0; i < p->n; i++) {
        stirmls_reason rc = stirmls_cert_tnauthlist(p->certs[i], &lists[i], d);
        if (rc == STIRMLS_R_CERT_NO_TNAUTHLIST && i > 0)
            continue;
        if (rc == STIRMLS_R_CERT_NO_TNAUTHLIST)
            return fail_cert(d, rc, i, "the end-entity certificate has no TNAuthList");
        if (rc != STIRMLS_R_OK) {
            if (d && d->cert_index < 0)
                d->cert_index = (int)i;
            return rc;
        }
    }
    return STIRMLS_R_OK;
}

static stirmls_reason check_jcc(const stirmls_cert_list *p, stirmls_detail *d)
{
    for (size_t i = 0; i < p->n; i++) {
        stirmls_jcc *j = NULL;
        stirmls_reason rc = stirmls_cert_jcc(p->certs[i], &j, d);
        stirmls_jcc_free(j);
        if (rc != STIRMLS_R_OK) {
            if (d && d->cert_index < 0)
                d->cert_index = (int)i;
            return rc;
        }
    }
    return STIRMLS_R_OK;
}

/* DLG-03 at every link, from the top of the path down: each list must be encompassed by the
 * list of its nearest ancestor that carries one. A CA without a list imposes no limit of its own
 * but does not lift its ancestors' limits (TNA-04). */
static stirmls_reason check_delegation(const stirmls_cert_list *p, stirmls_tnauthlist **lists,
                                       const stirmls_chain_opts *o, int *asserted, stirmls_detail *d)
{
    for (size_t i = p->n - 1; i-- > 0;) {
        size_t j = i + 1;
        while (j < p->n && !lists[j])
            j++;
        if (!lists[i] || j == p->n)
            continue;
        stirmls_reason rc = stirmls_tnauthlist_encompasses(lists[j], lists[i], &o->trust_spc, asserted);
        if (rc == STIRMLS_R_DELEGATION_NOT_ENCOMPASSED)
            return fail_cert(d, rc, i, "TNAuthList is not encompassed by its issuer's");
        if (rc == STIRMLS_R_DELEGATION_SPC_PARENT)
            return fail_cert(d, rc, i, "TN entries under an SPC-only issuer whose SPC is not trusted");
        if (rc != STIRMLS_R_OK)
            return fail_cert(d, rc, i, "delegation check failed");
    }
    return STIRMLS_R_OK;
}

/* TNA-07: one, then range, then SPC when that SPC is trusted. */
static stirmls_reason check_tn(const stirmls_tnauthlist *leaf, const stirmls_chain_opts *o, int *asserted,
                               stirmls_detail *d)
{
    if (stirmls_tnauthlist_covers(leaf, o->tn))
        return STIRMLS_R_OK;
    for (size_t i = 0; i < leaf->n; i++)
#if STIRMLS_MUTANT_ID == 17 /* mutant 17: accept SPC for TN without trust */
        if (leaf->entries[i].type == STIRMLS_TNA_SPC) {
#else
        if (leaf->entries[i].type == STIRMLS_TNA_SPC && stirmls_spc_trusted(&o->trust_spc, leaf->entries[i].value)) {
#endif
            *asserted = 1;
            return STIRMLS_R_OK;
        }
    if (stirmls_tnauthlist_count(leaf, STIRMLS_TNA_SPC) == leaf->n)
        return fail_cert(d, STIRMLS_R_SPC_NOT_TRUSTED, 0, "only an untrusted SPC vouches for the number");
    return fail_cert(d, STIRMLS_R_TN_NOT_COVERED, 0, "the TNAuthList does not cover the number");
}

stirmls_reason stirmls_chain_check_tn(stirmls_chain_result *res, const stirmls_chain_opts *o, stirmls_detail *d)
{
    if (o->tn == NULL)
        return STIRMLS_R_OK;
    stirmls_reason rc = check_tn(res->identities, o, &res->carrier_asserted, d);
    if (rc != STIRMLS_R_OK)
        stirmls_chain_result_cleanup(res);
    return rc;
}

stirmls_reason stirmls_chain_verify(stirmls_cert *const *chain, size_t n, const stirmls_chain_opts *o,
                                    stirmls_chain_result *res, stirmls_detail *d)
{
    stirmls_reason rc = STIRMLS_R_OK;
    stirmls_chain_result r;
    stirmls_tnauthlist **lists = NULL;
    memset(&r, 0, sizeof r);
    memset(res, 0, sizeof *res);
    if (o->tn && !stirmls_tn_valid(o->tn))
        return stirmls_fail(d, STIRMLS_R_USAGE, "reference TN \"%s\" is not in canonical form", o->tn);
    STIRMLS_TRY(stirmls_x509_path_verify(o->trust, chain, n, o->at, o->max_len ? o->max_len : STIRMLS_MAX_CHAIN_DEFAULT,
                                         o->anchor_flags, &r.path, d));
    lists = calloc(r.path.n, sizeof *lists);
    if (!lists) {
        rc = STIRMLS_R_INTERNAL;
        goto out;
    }
    STIRMLS_TRY(decode_lists(&r.path, lists, d));
    STIRMLS_TRY(check_jcc(&r.path, d));
    STIRMLS_TRY(check_delegation(&r.path, lists, o, &r.carrier_asserted, d));
    if (o->tn)
        STIRMLS_TRY(check_tn(lists[0], o, &r.carrier_asserted, d));
    STIRMLS_TRY(stirmls_cert_key(r.path.certs[0], &r.leaf_key));
    r.not_after = UINT64_MAX;
    for (size_t i = 0; i < stirmls_chain_timed(&r.path, o->anchor_flags); i++)
        if (stirmls_cert_not_after(r.path.certs[i]) < r.not_after)
            r.not_after = stirmls_cert_not_after(r.path.certs[i]);
    r.identities = lists[0];
    lists[0] = NULL;
out:
    for (size_t i = 0; lists && i < r.path.n; i++)
        stirmls_tnauthlist_free(lists[i]);
    free(lists);
    if (rc != STIRMLS_R_OK) {
        stirmls_chain_result_cleanup(&r);
        return rc;
    }
    *res = r;
    return STIRMLS_R_OK;
}
