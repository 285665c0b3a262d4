/*
 * binding.h: the two STIR credential types as MLS credential validators (VAL-A, VAL-P).
 *
 *   stir_certificate (Approach 1): the leaf certificate's key must equal the LeafNode
 *     signature_key byte for byte (MLS-06, OQ-04), then the chain rules of the certificate layer;
 *     presented identities = the leaf's TNAuthList entries; credential expiry = the path's notAfter.
 *   stir_passport (Approach 2): the PASSporT with its carried chain (or x5u through the map),
 *     authority over orig.tn, and mky bound to signature_key; identity = orig.tn; expiry = the
 *     PASSporT's EXP-02 end.
 *
 *   stirmls_stir_binding b;
 *   stirmls_stir_binding_init(&b, trust);        // then set b.auth.trust_spc, .tn, .ppt, .x5u
 *                                                // and, optionally, .cache (chaincache.h: a
 *                                                // chain validated before is not validated again)
 *                                                // and b.certs (certcache.h: a certificate
 *                                                // parsed before is not parsed again)
 *   stirmls_cred_validators v;
 *   stirmls_cred_validators_default(&v);
 *   stirmls_stir_validators(&b, &v);             // v now validates both STIR types
 */
#ifndef STIRMLS_BINDING_H
#define STIRMLS_BINDING_H

#include "stirmls/authority.h"
#include "stirmls/certcache.h"
#include "stirmls/credential.h"

typedef struct stirmls_stir_binding {
    stirmls_auth_opts auth; /* `at` is taken from each validation call */
    stirmls_auth_result last; /* the result of the last successful validation (for reports) */
    stirmls_certcache *certs; /* optional, borrowed; NULL = none: the credential's certificates
                                 are parsed through it (certcache.h) */
} stirmls_stir_binding;

void stirmls_stir_binding_init(stirmls_stir_binding *b, const stirmls_trust *trust);
void stirmls_stir_validators(stirmls_stir_binding *b, stirmls_cred_validators *v);

/* The validators themselves (ctx is a stirmls_stir_binding*). */
STIRMLS_MUST_USE stirmls_reason stirmls_validate_stir_certificate(void *ctx, const stirmls_credential *cred,
                                                                  stirmls_slice signature_key, uint64_t at,
                                                                  uint64_t *credential_not_after,
                                                                  stirmls_identities *ids, stirmls_detail *d);
STIRMLS_MUST_USE stirmls_reason stirmls_validate_stir_passport(void *ctx, const stirmls_credential *cred,
                                                               stirmls_slice signature_key, uint64_t at,
                                                               uint64_t *credential_not_after,
                                                               stirmls_identities *ids, stirmls_detail *d);

#endif
