/* build.c: build and sign KeyPackages and LeafNodes (deterministic: RFC 6979 signatures and
 * init / encryption keys derived from a seed; only their public points are used). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls/keypackage.h"

static void put_list(stirmls_buf *b, stirmls_u16list l, uint16_t dflt, int use_default)
{
    size_t mark = stirmls_buf_vec_open(b);
    if (l.n == 0 && use_default)
        stirmls_buf_put_u16(b, dflt);
    for (size_t i = 0; i < l.n; i++)
        stirmls_buf_put_u16(b, l.v[i]);
    stirmls_buf_vec_close(b, mark);
}

static void put_extensions(stirmls_buf *b, const stirmls_extension *e, size_t n)
{
    size_t mark = stirmls_buf_vec_open(b);
    for (size_t i = 0; i < n; i++) {
        stirmls_buf_put_u16(b, e[i].type);
        stirmls_buf_put_opaque(b, e[i].data.ptr, e[i].data.len);
    }
    stirmls_buf_vec_close(b, mark);
}

/* The public point of stirmls_key_derive(seed, "<key_name>/<what>"), or the override. */
static stirmls_reason put_hpke_key(stirmls_buf *b, const stirmls_kp_params *p, const char *what,
                                   stirmls_slice override, stirmls_detail *d)
{
    if (override.ptr != NULL) {
        stirmls_buf_put_opaque(b, override.ptr, override.len);
        return STIRMLS_R_OK;
    }
    if (p->seed == NULL)
        return stirmls_fail(d, STIRMLS_R_USAGE, "no seed to derive the %s key", what);
    char name[128];
    snprintf(name, sizeof name, "%s/%s", p->key_name ? p->key_name : "stirmls-kp", what);
    stirmls_key *k = NULL;
    stirmls_reason rc = stirmls_key_derive(p->seed, p->seedlen, name, &k);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail(d, rc, "cannot derive the %s key", what);
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    stirmls_key_point(k, pt);
    stirmls_key_free(k);
    stirmls_buf_put_opaque(b, pt, sizeof pt);
    return STIRMLS_R_OK;
}

/* LeafNode fields up to and including extensions (the LeafNodeTBS prefix). */
static stirmls_reason leaf_fields(stirmls_buf *b, const stirmls_kp_params *p,
                                  stirmls_leaf_source source, stirmls_slice parent_hash,
                                  stirmls_detail *d)
{
    uint16_t ctype = 0;
    stirmls_reader cr;
    stirmls_reader_init(&cr, p->credential.ptr, p->credential.len);
    if (stirmls_reader_u16(&cr, &ctype) != STIRMLS_R_OK)
        return stirmls_fail(d, STIRMLS_R_USAGE, "credential bytes too short");
    stirmls_reason rc = put_hpke_key(b, p, "encryption", p->encryption_key, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    if (p->signature_key_bytes.ptr != NULL) {
        stirmls_buf_put_opaque(b, p->signature_key_bytes.ptr, p->signature_key_bytes.len);
    } else {
        uint8_t pt[STIRMLS_P256_POINT_LEN];
        stirmls_key_point(p->signature_key, pt);
        stirmls_buf_put_opaque(b, pt, sizeof pt);
    }
    stirmls_buf_put(b, p->credential.ptr, p->credential.len);
    put_list(b, p->versions, STIRMLS_MLS10, 1);
    put_list(b, p->cipher_suites, STIRMLS_MLS_SUITE_P256, 1);
    put_list(b, p->cap_extensions, 0, 0);
    put_list(b, p->proposals, 0, 0);
    put_list(b, p->credentials, ctype, 1);
    stirmls_buf_put_u8(b, (uint8_t)source);
    if (source == STIRMLS_LEAF_SOURCE_KEY_PACKAGE) {
        stirmls_buf_put_u64(b, p->not_before);
        stirmls_buf_put_u64(b, p->not_after);
    } else if (source == STIRMLS_LEAF_SOURCE_COMMIT) {
        stirmls_buf_put_opaque(b, parent_hash.ptr, parent_hash.len);
    }
    put_extensions(b, p->leaf_extensions, p->n_leaf_extensions);
    return STIRMLS_R_OK;
}

/* Append SignWithLabel(label, tbs[from..]) as signature<V>. */
static stirmls_reason append_signature(stirmls_buf *out, const stirmls_key *k, const char *label,
                                       const stirmls_buf *tbs, stirmls_detail *d)
{
    uint8_t *sig = NULL;
    size_t siglen = 0;
    stirmls_reason rc = stirmls_buf_status(tbs);
    if (rc == STIRMLS_R_OK) {
        stirmls_slice content = {tbs->ptr, tbs->len};
        rc = stirmls_mls_sign_with_label(k, label, content, &sig, &siglen);
    }
    if (rc != STIRMLS_R_OK)
        return stirmls_fail(d, rc, "cannot sign %s", label);
    stirmls_buf_put_opaque(out, sig, siglen);
    free(sig);
    return STIRMLS_R_OK;
}

/* A signed LeafNode appended to out. */
static stirmls_reason put_leaf(stirmls_buf *out, const stirmls_kp_params *p,
                               stirmls_leaf_source source, stirmls_slice group_id,
                               uint32_t leaf_index, stirmls_slice parent_hash, stirmls_detail *d)
{
    stirmls_buf tbs;
    stirmls_buf_init(&tbs);
    stirmls_reason rc = leaf_fields(&tbs, p, source, parent_hash, d);
    if (rc != STIRMLS_R_OK)
        goto out;
    stirmls_buf_put(out, tbs.ptr, tbs.len);
    if (source != STIRMLS_LEAF_SOURCE_KEY_PACKAGE) {
        stirmls_buf_put_opaque(&tbs, group_id.ptr, group_id.len);
        stirmls_buf_put_u32(&tbs, leaf_index);
    }
    rc = append_signature(out, p->signature_key, "LeafNodeTBS", &tbs, d);
out:
    stirmls_buf_cleanup(&tbs);
    return rc;
}

static stirmls_reason hand_over(stirmls_buf *b, uint8_t **out, size_t *outlen, stirmls_detail *d)
{
    if (stirmls_buf_status(b) != STIRMLS_R_OK)
        return stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory while encoding");
    *out = stirmls_buf_take(b, outlen);
    return *out ? STIRMLS_R_OK : stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
}

stirmls_reason stirmls_keypackage_build(const stirmls_kp_params *p, int as_message, uint8_t **out,
                                        size_t *outlen, stirmls_detail *d)
{
    stirmls_buf tbs, msg;
    stirmls_buf_init(&tbs);
    stirmls_buf_init(&msg);
    stirmls_slice none = {NULL, 0};
    stirmls_reason rc;
    if (p->signature_key == NULL || !stirmls_key_has_private(p->signature_key)) {
        rc = stirmls_fail(d, STIRMLS_R_USAGE, "the signature key has no private part");
        goto out;
    }
    stirmls_buf_put_u16(&tbs, p->version ? p->version : STIRMLS_MLS10);
    stirmls_buf_put_u16(&tbs, p->cipher_suite ? p->cipher_suite : STIRMLS_MLS_SUITE_P256);
    if ((rc = put_hpke_key(&tbs, p, "init", p->init_key, d)) ||
        (rc = put_leaf(&tbs, p, p->leaf_source ? p->leaf_source : STIRMLS_LEAF_SOURCE_KEY_PACKAGE, none, 0,
                       none, d)))
        goto out;
    put_extensions(&tbs, p->kp_extensions, p->n_kp_extensions);
    if (as_message) {
        stirmls_buf_put_u16(&msg, STIRMLS_MLS10);
        stirmls_buf_put_u16(&msg, STIRMLS_MLS_WIRE_KEY_PACKAGE);
    }
    stirmls_buf_put(&msg, tbs.ptr, tbs.len);
    if ((rc = append_signature(&msg, p->signature_key, "KeyPackageTBS", &tbs, d)))
        goto out;
    rc = hand_over(&msg, out, outlen, d);
out:
    stirmls_buf_cleanup(&tbs);
    stirmls_buf_cleanup(&msg);
    return rc;
}

stirmls_reason stirmls_leafnode_build(const stirmls_kp_params *p, stirmls_leaf_source source,
                                      stirmls_slice group_id, uint32_t leaf_index,
                                      stirmls_slice parent_hash, uint8_t **out, size_t *outlen,
                                      stirmls_detail *d)
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_reason rc;
    if (p->signature_key == NULL || !stirmls_key_has_private(p->signature_key))
        rc = stirmls_fail(d, STIRMLS_R_USAGE, "the signature key has no private part");
    else if ((rc = put_leaf(&b, p, source, group_id, leaf_index, parent_hash, d)) == STIRMLS_R_OK)
        rc = hand_over(&b, out, outlen, d);
    stirmls_buf_cleanup(&b);
    return rc;
}
