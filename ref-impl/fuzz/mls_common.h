/* mls_common.h: value comparison of decoded MLS structures, for the round-trip targets. */
#ifndef STIRMLS_FUZZ_MLS_COMMON_H
#define STIRMLS_FUZZ_MLS_COMMON_H

#include "fuzz.h"

static inline void same_slice(stirmls_slice a, stirmls_slice b)
{
    FUZZ_SAME(a.ptr, a.len, b.ptr, b.len);
}

static inline void same_credential(const stirmls_credential *a, const stirmls_credential *b)
{
    FUZZ_CHECK(a->type == b->type && a->kind == b->kind && a->ncerts == b->ncerts);
    same_slice(a->identity, b->identity);
    same_slice(a->passport, b->passport);
    for (size_t i = 0; i < a->ncerts; i++)
        same_slice(a->certs[i], b->certs[i]);
}

static inline void same_leafnode(const stirmls_leafnode *a, const stirmls_leafnode *b)
{
    same_slice(a->encryption_key, b->encryption_key);
    same_slice(a->signature_key, b->signature_key);
    same_credential(&a->credential, &b->credential);
    same_slice(a->capabilities.versions, b->capabilities.versions);
    same_slice(a->capabilities.cipher_suites, b->capabilities.cipher_suites);
    same_slice(a->capabilities.extensions, b->capabilities.extensions);
    same_slice(a->capabilities.proposals, b->capabilities.proposals);
    same_slice(a->capabilities.credentials, b->capabilities.credentials);
    FUZZ_CHECK(a->source == b->source);
    if (a->source == STIRMLS_LEAF_SOURCE_KEY_PACKAGE)
        FUZZ_CHECK(a->not_before == b->not_before && a->not_after == b->not_after);
    if (a->source == STIRMLS_LEAF_SOURCE_COMMIT)
        same_slice(a->parent_hash, b->parent_hash);
    same_slice(a->extensions, b->extensions);
    same_slice(a->signature, b->signature);
}

static inline void same_keypackage(const stirmls_keypackage *a, const stirmls_keypackage *b)
{
    FUZZ_CHECK(a->version == b->version && a->cipher_suite == b->cipher_suite);
    same_slice(a->init_key, b->init_key);
    same_leafnode(&a->leaf, &b->leaf);
    same_slice(a->extensions, b->extensions);
    same_slice(a->signature, b->signature);
}

/* Verify with the default validators (basic understood, STIR kinds unsupported): the checks and
 * both signatures run on whatever decodes. A failure must be recorded with its reason. */
static inline void verify_keypackage(const stirmls_keypackage *kp)
{
    stirmls_mls_options o;
    stirmls_cred_validators v;
    stirmls_detail d;
    uint8_t ref[STIRMLS_SHA256_LEN];
    stirmls_mls_options_default(&o);
    stirmls_cred_validators_default(&v);
    stirmls_detail_init(&d);
    stirmls_reason r = stirmls_keypackage_verify(kp, &o, &v, 1700000000, NULL, &d);
    FUZZ_CHECK(r == STIRMLS_R_OK || d.reason == r);
    FUZZ_CHECK(stirmls_keypackage_ref(kp, ref) == STIRMLS_R_OK);
}

#endif
