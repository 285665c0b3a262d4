/* binding.c: STIR credentials as MLS credential validators (binding.h). */
#include <stdio.h>
#include <string.h>
#include "stirmls/binding.h"
#include "stirmls/mutant.h"

void stirmls_stir_binding_init(stirmls_stir_binding *b, const stirmls_trust *trust)
{
    memset(b, 0, sizeof *b);
    stirmls_auth_opts_init(&b->auth, trust, 0);
}

void stirmls_stir_validators(stirmls_stir_binding *b, stirmls_cred_validators *v)
{
    v->stir_certificate.validate = stirmls_validate_stir_certificate;
    v->stir_certificate.ctx = b;
    v->stir_passport.validate = stirmls_validate_stir_passport;
    v->stir_passport.ctx = b;
}

/* Parse the credential's DER certificates (leaf first), through the binding's cache if any. */
static stirmls_reason parse_certs(const stirmls_stir_binding *b, const stirmls_credential *cred,
                                  stirmls_cert_list *l, stirmls_detail *d)
{
    for (size_t i = 0; i < cred->ncerts; i++) {
        stirmls_cert *c = NULL;
        stirmls_reason rc = stirmls_certcache_parse(b->certs, cred->certs[i].ptr, cred->certs[i].len, &c, d);
        if (rc == STIRMLS_R_OK)
            rc = stirmls_cert_list_push(l, c);
        if (rc != STIRMLS_R_OK) {
            if (d)
                d->cert_index = (int)i;
            return rc;
        }
    }
    return STIRMLS_R_OK;
}

static stirmls_reason to_identities(const stirmls_auth_result *res, stirmls_identities *ids)
{
    for (size_t i = 0; i < res->n_ids; i++) {
        char s[STIRMLS_IDENTITY_LEN];
        snprintf(s, sizeof s, "%s:%s", res->ids[i].type, res->ids[i].value);
        stirmls_reason rc = stirmls_identities_add(ids, s);
        if (rc != STIRMLS_R_OK)
            return rc;
    }
    snprintf(ids->assurance, sizeof ids->assurance, "%s",
             res->carrier_asserted ? "carrier-asserted" : "tn-authorized");
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_validate_stir_certificate(void *ctx, const stirmls_credential *cred,
                                                 stirmls_slice signature_key, uint64_t at,
                                                 uint64_t *credential_not_after,
                                                 stirmls_identities *ids, stirmls_detail *d)
{
    stirmls_stir_binding *b = ctx;
    stirmls_cert_list l;
    stirmls_key *leaf = NULL;
    stirmls_reason rc;
    stirmls_cert_list_init(&l);
    if (cred->ncerts == 0) {
        rc = stirmls_fail(d, STIRMLS_R_CRED_EMPTY_CHAIN, "the credential carries no certificate");
        goto out;
    }
    STIRMLS_TRY(parse_certs(b, cred, &l, d));
    /* VAL-A step 2: the leaf key IS the MLS signature key, byte for byte (uncompressed point) */
    rc = stirmls_cert_key(l.certs[0], &leaf);
    if (rc != STIRMLS_R_OK) {
        if (d)
            d->cert_index = 0;
        rc = stirmls_fail(d, rc, "the leaf key is not a P-256 key");
        goto out;
    }
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    stirmls_key_point(leaf, pt);
#if STIRMLS_MUTANT_ID == 10 /* mutant 10: skip the leaf-key equality (Approach 1) */
    if (0 && (signature_key.len != sizeof pt || memcmp(pt, signature_key.ptr, sizeof pt) != 0)) {
#else
    if (signature_key.len != sizeof pt || memcmp(pt, signature_key.ptr, sizeof pt) != 0) {
#endif
        rc = stirmls_fail(d, STIRMLS_R_CRED_LEAF_KEY_MISMATCH,
                          "the leaf certificate key differs from the signature_key");
        goto out;
    }
    stirmls_auth_opts o = b->auth;
    o.at = at;
    STIRMLS_TRY(stirmls_auth_chain(l.certs, l.n, &o, &b->last, d));
    STIRMLS_TRY(to_identities(&b->last, ids));
    *credential_not_after = b->last.not_after;
    rc = STIRMLS_R_OK;
out:
    stirmls_key_free(leaf);
    stirmls_cert_list_cleanup(&l);
    return rc;
}

stirmls_reason stirmls_validate_stir_passport(void *ctx, const stirmls_credential *cred,
                                              stirmls_slice signature_key, uint64_t at,
                                              uint64_t *credential_not_after,
                                              stirmls_identities *ids, stirmls_detail *d)
{
    stirmls_stir_binding *b = ctx;
    stirmls_cert_list l;
    stirmls_reason rc;
    stirmls_cert_list_init(&l);
    STIRMLS_TRY(parse_certs(b, cred, &l, d));
    stirmls_auth_opts o = b->auth;
    o.at = at;
    o.ppt.profile = STIRMLS_PPT_PROFILE_MLS; /* an MLS credential is always the MLS profile */
    STIRMLS_TRY(stirmls_auth_passport((const char *)cred->passport.ptr, cred->passport.len, l.certs,
                                      l.n, &o, signature_key.ptr, signature_key.len, &b->last, d));
    STIRMLS_TRY(to_identities(&b->last, ids));
    *credential_not_after = b->last.not_after;
    rc = STIRMLS_R_OK;
out:
    stirmls_cert_list_cleanup(&l);
    return rc;
}
