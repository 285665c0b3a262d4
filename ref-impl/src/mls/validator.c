/* validator.c: presented identities, the credential-validator dispatch, the basic validator and
 * the successor rule (MLS-09). The STIR validators live in the stir/ layer and are plugged in
 * by the caller through stirmls_cred_validators. */
#include <stdio.h>
#include <string.h>
#include "stirmls/credential.h"

void stirmls_identities_init(stirmls_identities *ids)
{
    memset(ids, 0, sizeof *ids);
    snprintf(ids->assurance, sizeof ids->assurance, "none");
}

stirmls_reason stirmls_identities_add(stirmls_identities *ids, const char *id)
{
    size_t n = strlen(id);
    if (ids->n == STIRMLS_MAX_IDENTITIES || n >= STIRMLS_IDENTITY_LEN)
        return STIRMLS_R_LENGTH_LIMIT;
    memcpy(ids->id[ids->n], id, n + 1);
    ids->n++;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_cred_validate_basic(void *ctx, const stirmls_credential *cred,
                                           stirmls_slice signature_key, uint64_t at,
                                           uint64_t *credential_not_after,
                                           stirmls_identities *ids, stirmls_detail *d)
{
    (void)ctx, (void)signature_key, (void)at, (void)credential_not_after, (void)ids;
    return stirmls_fail(d, STIRMLS_R_CRED_BASIC_NO_TN,
                        "basic credential (identity of %zu bytes) asserts no telephone number",
                        cred->identity.len);
}

stirmls_reason stirmls_cred_validate_x509_refuse(void *ctx, const stirmls_credential *cred,
                                                 stirmls_slice signature_key, uint64_t at,
                                                 uint64_t *credential_not_after,
                                                 stirmls_identities *ids, stirmls_detail *d)
{
    (void)ctx, (void)signature_key, (void)at, (void)credential_not_after, (void)ids;
    return stirmls_fail(d, STIRMLS_R_CRED_X509_NOT_ALLOWED,
                        "x509 credential (%zu certificates) and the STIR profile for x509 is off",
                        cred->ncerts);
}

void stirmls_cred_validators_default(stirmls_cred_validators *v)
{
    memset(v, 0, sizeof *v);
    v->basic.validate = stirmls_cred_validate_basic;
    v->x509.validate = stirmls_cred_validate_x509_refuse;
}

static const stirmls_cred_validator *pick(const stirmls_cred_validators *v, int x509_stir_profile,
                                          stirmls_cred_kind kind)
{
    switch (kind) {
    case STIRMLS_CRED_KIND_BASIC:
        return &v->basic;
    case STIRMLS_CRED_KIND_X509:
        return x509_stir_profile ? &v->stir_certificate : &v->x509;
    case STIRMLS_CRED_KIND_STIR_CERTIFICATE:
        return &v->stir_certificate;
    case STIRMLS_CRED_KIND_STIR_PASSPORT:
        return &v->stir_passport;
    }
    return NULL;
}

stirmls_reason stirmls_cred_validate(const stirmls_cred_validators *v, int x509_stir_profile,
                                     const stirmls_credential *cred, stirmls_slice signature_key,
                                     uint64_t at, uint64_t *credential_not_after,
                                     stirmls_identities *ids, stirmls_detail *d)
{
    const stirmls_cred_validator *val = v ? pick(v, x509_stir_profile, cred->kind) : NULL;
    if (val == NULL || val->validate == NULL)
        return stirmls_fail(d, STIRMLS_R_UNSUPPORTED, "no validator for %s credentials",
                            stirmls_cred_kind_name(cred->kind));
    uint64_t na = UINT64_MAX;
    stirmls_identities tmp;
    stirmls_identities_init(&tmp);
    stirmls_reason rc = val->validate(val->ctx, cred, signature_key, at, &na, &tmp, d);
    if (rc != STIRMLS_R_OK) {
        /* a validator that forgot to record its failure still leaves a detail behind */
        return stirmls_fail(d, rc, "%s credential rejected", stirmls_cred_kind_name(cred->kind));
    }
    *credential_not_after = na;
    *ids = tmp;
    return STIRMLS_R_OK;
}

static int has_id(const stirmls_identities *ids, const char *id)
{
    for (size_t i = 0; i < ids->n; i++)
        if (strcmp(ids->id[i], id) == 0)
            return 1;
    return 0;
}

stirmls_reason stirmls_identities_successor(const stirmls_identities *old_ids,
                                            const stirmls_identities *new_ids, stirmls_detail *d)
{
    size_t tns = 0;
    for (size_t i = 0; i < old_ids->n; i++) {
        if (strncmp(old_ids->id[i], "tn:", 3) != 0)
            continue;
        tns++;
        if (!has_id(new_ids, old_ids->id[i]))
            return stirmls_fail(d, STIRMLS_R_CRED_SUCCESSOR_TN,
                                "replacement credential does not present %s", old_ids->id[i]);
    }
    if (tns == 0)
        return stirmls_fail(d, STIRMLS_R_CRED_SUCCESSOR_TN,
                            "the replaced credential presented no telephone number");
    return STIRMLS_R_OK;
}
