/* verify.c: LeafNode and KeyPackage verification (RFC 9420 §7.3, §10.1, project rules). */
#include <string.h>
#include "stirmls/keypackage.h"
#include "mls_internal.h"
#include "stirmls/mutant.h"

static const char *source_name(stirmls_leaf_source s)
{
    return s == STIRMLS_LEAF_SOURCE_KEY_PACKAGE ? "key_package"
           : s == STIRMLS_LEAF_SOURCE_UPDATE    ? "update"
                                                : "commit";
}

stirmls_reason stirmls_mls_check_key(stirmls_slice key, const char *what, stirmls_detail *d)
{
    stirmls_key *k = NULL;
    if (key.len != STIRMLS_P256_POINT_LEN)
        return stirmls_fail(d, STIRMLS_R_MLS_KEY_FORMAT,
                            "%s is %zu bytes, not a 65-byte uncompressed P-256 point%s", what,
                            key.len, key.len == 33 ? " (compressed point)" : "");
    stirmls_reason rc = stirmls_key_from_point(key.ptr, key.len, &k);
    stirmls_key_free(k);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail(d, rc == STIRMLS_R_INTERNAL ? rc : STIRMLS_R_MLS_KEY_FORMAT,
                            "%s is not an uncompressed point on P-256", what);
    return STIRMLS_R_OK;
}

/* RFC 9420 §13.4: "Any field containing a list of extensions MUST NOT have more than one
 * extension of any given type." Checked before membership, so the verdict does not depend on the
 * order of the list. */
static stirmls_reason check_unique(stirmls_slice body, const char *where, stirmls_detail *d)
{
    uint8_t seen[65536 / 8];
    stirmls_reader r;
    stirmls_extension ext;
    memset(seen, 0, sizeof seen);
    stirmls_reader_init(&r, body.ptr, body.len);
    while (stirmls_extensions_next(&r, &ext)) {
        uint8_t bit = (uint8_t)(1u << (ext.type & 7));
        if (seen[ext.type >> 3] & bit)
            return stirmls_fail(d, STIRMLS_R_MLS_EXTENSION_DUPLICATE,
                                "%s extensions hold type 0x%04X more than once", where, ext.type);
        seen[ext.type >> 3] |= bit;
    }
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_mls_check_extensions(stirmls_slice body, stirmls_slice caps_extensions,
                                            const char *where, stirmls_detail *d)
{
    stirmls_reader r;
    stirmls_extension ext;
    stirmls_reason rc = check_unique(body, where, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    stirmls_reader_init(&r, body.ptr, body.len);
    while (stirmls_extensions_next(&r, &ext)) {
        /* default extension types 0x0001..0x0005 need not (must not) be listed (§7.2, §13.4) */
        if (ext.type >= 0x0001 && ext.type <= 0x0005)
            continue;
        if (!stirmls_u16list_has(caps_extensions, ext.type))
            return stirmls_fail(d, STIRMLS_R_MLS_EXTENSION_NOT_IN_CAPS,
                                "%s extension 0x%04X is not in capabilities.extensions", where,
                                ext.type);
    }
    return STIRMLS_R_OK;
}

/* The first value of a uint16 list in [lo, hi], or 0 when none. */
static uint16_t u16list_first_in(stirmls_slice list, uint16_t lo, uint16_t hi)
{
    stirmls_reader r;
    uint16_t x;
    stirmls_reader_init(&r, list.ptr, list.len);
    while (stirmls_reader_u16(&r, &x) == STIRMLS_R_OK)
        if (x >= lo && x <= hi)
            return x;
    return 0;
}

/* RFC 9420 §7.2: the default extension types 0x0001-0x0005 and proposal types 0x0001-0x0007
 * "MUST NOT be listed". A sender's rule, which the working group's own KeyPackages break; a
 * verifier enforces it only when configured strict (docs/profile.md part 3 §4). */
static stirmls_reason check_caps_defaults(const stirmls_capabilities *c, const stirmls_mls_options *o,
                                          stirmls_detail *d)
{
    uint16_t e = u16list_first_in(c->extensions, 0x0001, 0x0005);
    uint16_t p = u16list_first_in(c->proposals, 0x0001, 0x0007);
    if (o == NULL || !o->capabilities_defaults_strict || (e == 0 && p == 0))
        return STIRMLS_R_OK;
    return stirmls_fail(d, STIRMLS_R_MLS_CAPABILITIES_DEFAULT_LISTED,
                        "capabilities.%s lists the default type 0x%04X", e ? "extensions" : "proposals",
                        e ? e : p);
}

/* Key formats, source, capabilities: no crypto beyond point decoding. */
static stirmls_reason leaf_cheap(const stirmls_leafnode *ln, const stirmls_leaf_context *ctx,
                                 const stirmls_mls_options *o, stirmls_detail *d)
{
    stirmls_reason rc;
    if ((rc = stirmls_mls_check_key(ln->signature_key, "signature_key", d)) ||
        (rc = stirmls_mls_check_key(ln->encryption_key, "encryption_key", d)))
        return rc;
    if (ln->source != ctx->source)
        return stirmls_fail(d, STIRMLS_R_MLS_LEAF_SOURCE, "leaf_node_source is %s, expected %s",
                            source_name(ln->source), source_name(ctx->source));
    if (ln->source == STIRMLS_LEAF_SOURCE_UPDATE && ctx->previous_encryption_key.ptr != NULL &&
        stirmls_slice_eq(ln->encryption_key, ctx->previous_encryption_key))
        return stirmls_fail(d, STIRMLS_R_MLS_UPDATE_KEY_REUSE,
                            "update LeafNode reuses the previous encryption_key");
#if STIRMLS_MUTANT_ID == 15 /* mutant 15: skip the capabilities check */
    if (0 && (!stirmls_u16list_has(ln->capabilities.credentials, ln->credential.type)))
#else
    if (!stirmls_u16list_has(ln->capabilities.credentials, ln->credential.type))
#endif
        return stirmls_fail(d, STIRMLS_R_MLS_CAPABILITIES_CREDENTIAL,
                            "credential type 0x%04X is not in capabilities.credentials",
                            ln->credential.type);
    rc = check_caps_defaults(&ln->capabilities, o, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    return stirmls_mls_check_extensions(ln->extensions, ln->capabilities.extensions, "LeafNode", d);
}

static stirmls_reason leaf_lifetime(const stirmls_leafnode *ln, const stirmls_mls_options *o,
                                    uint64_t at, stirmls_detail *d)
{
    if (ln->source != STIRMLS_LEAF_SOURCE_KEY_PACKAGE)
        return STIRMLS_R_OK;
    if (ln->not_after < ln->not_before)
        return stirmls_fail(d, STIRMLS_R_MLS_LIFETIME_INVERTED,
                            "lifetime not_after %llu < not_before %llu",
                            (unsigned long long)ln->not_after, (unsigned long long)ln->not_before);
#if STIRMLS_MUTANT_ID == 22 /* mutant 22: skip the lifetime maximum */
    if (0 && (ln->not_after - ln->not_before > o->max_lifetime))
#else
    if (ln->not_after - ln->not_before > o->max_lifetime)
#endif
        return stirmls_fail(d, STIRMLS_R_MLS_LIFETIME_TOO_LONG,
                            "lifetime spans %llu s, more than the maximum %llu s",
                            (unsigned long long)(ln->not_after - ln->not_before),
                            (unsigned long long)o->max_lifetime);
#if STIRMLS_MUTANT_ID == 27 /* mutant 27: skip the KeyPackage lifetime window */
    if (0 && (at < ln->not_before || at > ln->not_after))
#else
    if (at < ln->not_before || at > ln->not_after)
#endif
        return stirmls_fail(d, STIRMLS_R_MLS_LIFETIME_EXPIRED,
                            "evaluation time %llu outside lifetime [%llu, %llu]",
                            (unsigned long long)at, (unsigned long long)ln->not_before,
                            (unsigned long long)ln->not_after);
    return STIRMLS_R_OK;
}

/* Verify a signature with label under a 65-byte signature key; MLS_LEAF_SIGNATURE from the
 * crypto layer is mapped to `bad`. */
static stirmls_reason verify_sig(stirmls_slice key, const char *label, const stirmls_buf *tbs,
                                 stirmls_slice sig, stirmls_reason bad, stirmls_detail *d)
{
    stirmls_key *k = NULL;
    stirmls_reason rc = stirmls_buf_status(tbs);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_key_from_point(key.ptr, key.len, &k);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail(d, rc, "%s: signature_key unusable", label);
    stirmls_slice content = {tbs->ptr, tbs->len};
    rc = stirmls_mls_verify_with_label(k, label, content, sig);
    stirmls_key_free(k);
    if (rc == STIRMLS_R_MLS_LEAF_SIGNATURE)
        rc = bad;
    if (rc != STIRMLS_R_OK)
        return stirmls_fail(d, rc, "%s signature (%zu bytes) does not verify under signature_key",
                            label, sig.len);
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_leafnode_check_signature(const stirmls_leafnode *ln,
                                                const stirmls_leaf_context *ctx, stirmls_detail *d)
{
    stirmls_buf tbs;
    stirmls_buf_init(&tbs);
#if STIRMLS_MUTANT_ID == 14 /* mutant 14: skip the LeafNode signature */
    if (ln != NULL && d != NULL)
        return STIRMLS_R_OK;
#endif
    stirmls_leafnode_write_tbs(&tbs, ln, ctx->group_id, ctx->leaf_index);
    stirmls_reason rc = verify_sig(ln->signature_key, "LeafNodeTBS", &tbs, ln->signature,
                                   STIRMLS_R_MLS_LEAF_SIGNATURE, d);
    stirmls_buf_cleanup(&tbs);
    return rc;
}

/* The credential validator, then the lifetime-within-credential rule (EXP-05). */
static stirmls_reason leaf_credential(const stirmls_leafnode *ln, const stirmls_mls_options *o,
                                      const stirmls_cred_validators *v, uint64_t at,
                                      stirmls_mls_result *res, stirmls_detail *d)
{
    stirmls_mls_result tmp;
    stirmls_reason rc = stirmls_cred_validate(v, o->x509_stir_profile, &ln->credential,
                                              ln->signature_key, at, &tmp.credential_not_after,
                                              &tmp.identities, d);
    if (rc != STIRMLS_R_OK)
        return rc;
#if STIRMLS_MUTANT_ID == 16 /* mutant 16: skip the lifetime-within-credential rule */
    if (0 && (ln->source == STIRMLS_LEAF_SOURCE_KEY_PACKAGE && ln->not_after > tmp.credential_not_after))
#else
    if (ln->source == STIRMLS_LEAF_SOURCE_KEY_PACKAGE && ln->not_after > tmp.credential_not_after)
#endif
        return stirmls_fail(d, STIRMLS_R_MLS_LIFETIME_PAST_CREDENTIAL,
                            "lifetime not_after %llu is after the credential's end %llu",
                            (unsigned long long)ln->not_after,
                            (unsigned long long)tmp.credential_not_after);
    if (res != NULL)
        *res = tmp;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_leafnode_verify(const stirmls_leafnode *ln, const stirmls_leaf_context *ctx,
                                       const stirmls_mls_options *o,
                                       const stirmls_cred_validators *v, uint64_t at,
                                       stirmls_mls_result *res, stirmls_detail *d)
{
    stirmls_reason rc;
    if ((rc = leaf_cheap(ln, ctx, o, d)) || (rc = leaf_lifetime(ln, o, at, d)) ||
        (rc = stirmls_leafnode_check_signature(ln, ctx, d)))
        return rc;
    return leaf_credential(ln, o, v, at, res, d);
}

static const stirmls_leaf_context kp_context = {STIRMLS_LEAF_SOURCE_KEY_PACKAGE, {NULL, 0}, 0,
                                                 {NULL, 0}};

static stirmls_reason kp_signature(const stirmls_keypackage *kp, stirmls_detail *d)
{
    stirmls_buf tbs;
    stirmls_buf_init(&tbs);
#if STIRMLS_MUTANT_ID == 13 /* mutant 13: skip the KeyPackage signature */
    if (kp != NULL && d != NULL)
        return STIRMLS_R_OK;
#endif
    stirmls_keypackage_write_tbs(&tbs, kp);
    stirmls_reason rc = verify_sig(kp->leaf.signature_key, "KeyPackageTBS", &tbs, kp->signature,
                                   STIRMLS_R_MLS_KP_SIGNATURE, d);
    stirmls_buf_cleanup(&tbs);
    return rc;
}

stirmls_reason stirmls_keypackage_check_signatures(const stirmls_keypackage *kp, stirmls_detail *d)
{
    stirmls_reason rc;
    if ((rc = stirmls_mls_check_key(kp->leaf.signature_key, "signature_key", d)) ||
        (rc = stirmls_leafnode_check_signature(&kp->leaf, &kp_context, d)))
        return rc;
    return kp_signature(kp, d);
}

stirmls_reason stirmls_keypackage_verify(const stirmls_keypackage *kp, const stirmls_mls_options *o,
                                         const stirmls_cred_validators *v, uint64_t at,
                                         stirmls_mls_result *res, stirmls_detail *d)
{
    const stirmls_leafnode *ln = &kp->leaf;
    stirmls_reason rc;
    if (kp->version != STIRMLS_MLS10)
        return stirmls_fail(d, STIRMLS_R_MLS_VERSION, "KeyPackage version 0x%04X is not mls10",
                            kp->version);
    if (kp->cipher_suite != STIRMLS_MLS_SUITE_P256)
        return stirmls_fail(d, STIRMLS_R_MLS_CIPHER_SUITE, "cipher suite 0x%04X is not 0x0002",
                            kp->cipher_suite);
    if ((rc = stirmls_mls_check_key(kp->init_key, "init_key", d)) ||
        (rc = leaf_cheap(ln, &kp_context, o, d)) ||
        (rc = stirmls_mls_check_extensions(kp->extensions, ln->capabilities.extensions,
                                           "KeyPackage", d)) ||
        (rc = leaf_lifetime(ln, o, at, d)))
        return rc;
#if STIRMLS_MUTANT_ID == 21 /* mutant 21: skip the init_key != encryption_key check */
    if (0 && (stirmls_slice_eq(kp->init_key, ln->encryption_key)))
#else
    if (stirmls_slice_eq(kp->init_key, ln->encryption_key))
#endif
        return stirmls_fail(d, STIRMLS_R_MLS_INIT_KEY_REUSE, "init_key equals encryption_key");
    if ((rc = stirmls_leafnode_check_signature(ln, &kp_context, d)) || (rc = kp_signature(kp, d)))
        return rc;
    return leaf_credential(ln, o, v, at, res, d);
}
