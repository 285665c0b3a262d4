/*
 * build_mls.c: the MLS artefacts of a case: the Credential (both STIR types, x509, basic) and the
 * KeyPackage around it, with the credential-, keypackage- and bytes-stage mutators.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "build.h"
#include "model.h"

char *vg_point_hex(struct vg_case *vc, const char *keyname)
{
    stirmls_key *k = vg_key(vc, keyname);
    if (k == NULL)
        return NULL;
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    char *hex = malloc(2 * sizeof pt + 1);
    stirmls_key_point(k, pt);
    stirmls_hex_encode(pt, sizeof pt, hex);
    return hex;
}

/* A credential type by name, or a number (then built with a stir_certificate body, the type
 * written as given: a verifier that does not know it cannot decode the body, CT-06). */
static int cred_kind(struct vg_case *vc, json_t *type, stirmls_credential *c)
{
    static const struct {
        const char *name;
        stirmls_cred_kind kind;
        uint16_t type;
    } map[] = {{"basic", STIRMLS_CRED_KIND_BASIC, STIRMLS_CRED_BASIC},
               {"x509", STIRMLS_CRED_KIND_X509, STIRMLS_CRED_X509},
               {"stir_certificate", STIRMLS_CRED_KIND_STIR_CERTIFICATE, STIRMLS_CRED_STIR_CERTIFICATE_DEFAULT},
               {"stir_passport", STIRMLS_CRED_KIND_STIR_PASSPORT, STIRMLS_CRED_STIR_PASSPORT_DEFAULT}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (json_is_string(type) && strcmp(json_string_value(type), map[i].name) == 0) {
            c->kind = map[i].kind;
            c->type = map[i].type;
            return 1;
        }
    if (json_is_integer(type) && json_integer_value(type) >= 0 && json_integer_value(type) <= 0xFFFF) {
        c->kind = STIRMLS_CRED_KIND_STIR_CERTIFICATE;
        c->type = (uint16_t)json_integer_value(type);
        return 1;
    }
    return vg_fail(vc, "unknown credential type");
}

/* The HPKE or signature key point in another encoding (the *_compressed / *_hybrid mutators):
 * 33-byte compressed 02/03 || X, or 65-byte hybrid 06/07 || X || Y (X9.62; not the TLS form). */
static void reencode_point(const uint8_t pt[STIRMLS_P256_POINT_LEN], int hybrid, uint8_t *out, size_t *len)
{
    uint8_t odd = pt[64] & 1;
    memcpy(out, pt, STIRMLS_P256_POINT_LEN);
    out[0] = (uint8_t)((hybrid ? 0x06 : 0x02) | odd);
    *len = hybrid ? STIRMLS_P256_POINT_LEN : 33;
}

/* DER slices of named certificates into c->certs (borrowed from the case's certificates). */
static int put_certs(struct vg_case *vc, json_t *names, stirmls_credential *c)
{
    size_t i;
    json_t *n;
    json_array_foreach(names, i, n) {
        stirmls_cert *cert = vg_cert(vc, json_string_value(n));
        if (cert == NULL || c->ncerts == STIRMLS_CRED_MAX_CERTS)
            return vg_fail(vc, "cannot put certificate %s in the credential", json_string_value(n));
        c->certs[c->ncerts++] = stirmls_cert_der(cert);
    }
    return 1;
}

uint8_t *vg_credential(struct vg_case *vc, size_t *len, const char **sigkey_name)
{
    json_t *spec = json_object_get(vc->c, "credential");
    stirmls_credential c;
    memset(&c, 0, sizeof c);
    char *token = NULL, *x5u = NULL;
    json_t *chain = NULL;
    uint8_t *out = NULL;
    *sigkey_name = json_string_value(json_object_get(vc->c, "signature_key"));
    if (!cred_kind(vc, json_object_get(spec, "type"), &c))
        return NULL;
    if (c.kind == STIRMLS_CRED_KIND_BASIC) {
        const char *id = json_string_value(json_object_get(spec, "identity"));
        c.identity = stirmls_slice_str(id ? id : "");
    } else if (c.kind == STIRMLS_CRED_KIND_STIR_PASSPORT) {
        json_t *pspec = json_object_get(vc->c, "passport");
        token = vg_passport(vc, pspec, &x5u);
        if (token == NULL)
            goto out;
        c.passport = stirmls_slice_str(token);
        const char *signer = json_string_value(json_object_get(pspec, "signer"));
        chain = json_object_get(pspec, "chain") ? json_incref(json_object_get(pspec, "chain"))
                                                : vg_default_chain(vc, signer ? signer : "alice-cert",
                                                                   json_object_get(vc->c, "trust"));
        if (!put_certs(vc, chain, &c))
            goto out;
    } else if (!put_certs(vc, json_object_get(spec, "chain"), &c)) {
        goto out;
    }
    if (vg_has_mutation(vc, "present_as_bob"))
        *sigkey_name = "bob";
    if (vg_has_mutation(vc, "credential_cert2_truncated")) {
        if (c.ncerts < 2) {
            vg_fail(vc, "credential_cert2_truncated needs a credential of two certificates or more");
            goto out;
        }
        c.certs[1].len--;
    }
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_credential_write(&b, &c);
    if (b.len >= 2 && vg_has_mutation(vc, "credential_type_unknown"))
        b.ptr[0] = 0xF0, b.ptr[1] = 0xFF;
    if (b.len >= 2 && vg_has_mutation(vc, "credential_type_grease"))
        b.ptr[0] = 0x3A, b.ptr[1] = 0x3A;
    out = stirmls_buf_take(&b, len);
out:
    json_decref(chain);
    free(token);
    free(x5u);
    return out;
}

/* The notAfter lifetime_past_cert steps over: the credential's leaf's (the path's smallest in the
 * cases that use it; expiry/keypackage-lifetime-past-intermediate covers an issuer ending first). */
static uint64_t leaf_not_after(struct vg_case *vc)
{
    json_t *spec = json_object_get(vc->c, "credential");
    const char *leaf = json_string_value(json_array_get(json_object_get(spec, "chain"), 0));
    stirmls_cert *c = leaf ? vg_cert(vc, leaf) : NULL;
    return c ? stirmls_cert_not_after(c) : vc->at;
}

/* Offset of a slice inside buf. */
static size_t off_in(const uint8_t *buf, stirmls_slice s)
{
    return (size_t)(s.ptr - buf);
}

/* The one-byte vector length at `at` re-encoded in `width` (2 or 4) bytes, the value unchanged:
 * RFC 9420 §2.1.2 prefixes 01 and 10, not minimal. */
static void widen_length(uint8_t **buf, size_t *len, size_t at, size_t width)
{
    uint8_t *nb = calloc(1, *len + width - 1);
    memcpy(nb, *buf, at);
    nb[at] = width == 2 ? 0x40 : 0x80;
    nb[at + width - 1] = (*buf)[at];
    memcpy(nb + at + width, *buf + at + 1, *len - at - 1);
    free(*buf);
    *buf = nb;
    *len += width - 1;
}

/* Bytes-stage mutators that need the KeyPackage's structure. */
static int mutate_bytes(struct vg_case *vc, uint8_t **buf, size_t *len)
{
    stirmls_keypackage kp;
    stirmls_cred_codepoints cp;
    stirmls_cred_codepoints_default(&cp);
    int need = vg_has_mutation(vc, "keypackage_sig_flip") || vg_has_mutation(vc, "leafnode_sig_flip") ||
               vg_has_mutation(vc, "varint_nonminimal") || vg_has_mutation(vc, "varint_nonminimal4");
    if (need && stirmls_keypackage_decode_message(*buf, *len, &cp, &kp, NULL) != STIRMLS_R_OK)
        return vg_fail(vc, "cannot decode the built KeyPackage");
    if (vg_has_mutation(vc, "keypackage_sig_flip"))
        (*buf)[off_in(*buf, kp.signature) + kp.signature.len - 1] ^= 1;
    if (vg_has_mutation(vc, "leafnode_sig_flip"))
        (*buf)[off_in(*buf, kp.leaf.signature) + kp.leaf.signature.len - 1] ^= 1;
    /* capabilities.versions<V> has a one-byte length header just before its body */
    if (vg_has_mutation(vc, "varint_nonminimal"))
        widen_length(buf, len, off_in(*buf, kp.leaf.capabilities.versions) - 1, 2);
    if (vg_has_mutation(vc, "varint_nonminimal4"))
        widen_length(buf, len, off_in(*buf, kp.leaf.capabilities.versions) - 1, 4);
    if (vg_has_mutation(vc, "trailing_byte")) {
        uint8_t *nb = realloc(*buf, *len + 1);
        nb[(*len)++] = 0;
        *buf = nb;
    }
    if (vg_has_mutation(vc, "truncate_last_byte"))
        (*len)--;
    return 1;
}

/* sign_without_label_prefix: re-sign the LeafNode with the bare label, then the KeyPackage. */
static int resign_without_prefix(struct vg_case *vc, stirmls_key *k, uint8_t **buf, size_t *len)
{
    stirmls_keypackage kp;
    stirmls_cred_codepoints cp;
    stirmls_cred_codepoints_default(&cp);
    stirmls_buf tbs, msg;
    uint8_t *lsig = NULL, *ksig = NULL;
    size_t lsiglen = 0, ksiglen = 0;
    int ok = 0;
    stirmls_buf_init(&tbs);
    stirmls_buf_init(&msg);
    stirmls_slice none = {NULL, 0};
    if (stirmls_keypackage_decode_message(*buf, *len, &cp, &kp, NULL) != STIRMLS_R_OK)
        return vg_fail(vc, "cannot decode the built KeyPackage");
    stirmls_leafnode_write_tbs(&tbs, &kp.leaf, none, 0);
    if (stirmls_mls_sign_content(k, "LeafNodeTBS", (stirmls_slice){tbs.ptr, tbs.len}, &lsig, &lsiglen) != STIRMLS_R_OK)
        goto out;
    kp.leaf.signature = (stirmls_slice){lsig, lsiglen};
    stirmls_buf_reset(&tbs);
    stirmls_keypackage_write_tbs(&tbs, &kp);
    if (stirmls_mls_sign_with_label(k, "KeyPackageTBS", (stirmls_slice){tbs.ptr, tbs.len}, &ksig, &ksiglen) != STIRMLS_R_OK)
        goto out;
    kp.signature = (stirmls_slice){ksig, ksiglen};
    stirmls_keypackage_write_message(&msg, &kp);
    if (stirmls_buf_status(&msg) != STIRMLS_R_OK)
        goto out;
    free(*buf);
    *buf = stirmls_buf_take(&msg, len);
    ok = 1;
out:
    free(lsig);
    free(ksig);
    stirmls_buf_cleanup(&tbs);
    stirmls_buf_cleanup(&msg);
    return ok ? 1 : vg_fail(vc, "cannot re-sign without the label prefix");
}


/* A scenario's list of {type: N, data: HEX} (at most VG_MAX_EXT); data owned by datas[]. */
static size_t extension_list(json_t *list, stirmls_extension *ext, uint8_t **datas)
{
    size_t i, n = 0;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (i >= VG_MAX_EXT)
            break;
        const char *h = json_string_value(json_object_get(e, "data"));
        size_t dl = 0;
        if (h == NULL || stirmls_hex_decode(h, strlen(h), &datas[i], &dl) != STIRMLS_R_OK)
            dl = 0;
        ext[i].type = (uint16_t)json_integer_value(json_object_get(e, "type"));
        ext[i].data = (stirmls_slice){datas[i], dl};
        n = i + 1;
    }
    return n;
}

/* A scenario's list of 16-bit numbers (at most VG_MAX_EXT) into v; credential type names
 * (stir_certificate, ...) stand for their default code points. */
stirmls_u16list vg_u16_list(struct vg_case *vc, json_t *list, uint16_t *v)
{
    size_t i, n = 0;
    json_t *e;
    json_array_foreach(list, i, e) {
        stirmls_credential c;
        if (i >= VG_MAX_EXT)
            break;
        if (json_is_string(e) && cred_kind(vc, e, &c))
            v[n++] = c.type;
        else
            v[n++] = (uint16_t)json_integer_value(e);
    }
    return (stirmls_u16list){v, n};
}

json_t *vg_caps_credentials(struct vg_case *vc)
{
    json_t *list = json_object_get(json_object_get(vc->c, "key_package"), "capabilities_credentials");
    uint16_t v[VG_MAX_EXT];
    if (list == NULL)
        return NULL;
    stirmls_u16list l = vg_u16_list(vc, list, v);
    json_t *out = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(out, json_integer(l.v[i]));
    return out;
}

uint8_t *vg_key_package(struct vg_case *vc, size_t *len)
{
    const char *skname = NULL;
    size_t credlen = 0;
    uint8_t *cred = vg_credential(vc, &credlen, &skname);
    stirmls_key *k = skname ? vg_key(vc, skname) : NULL;
    if (cred == NULL || k == NULL) {
        free(cred);
        vg_fail(vc, "a key_package case needs a credential and a signature_key");
        return NULL;
    }
    json_t *spec = json_object_get(vc->c, "key_package");
    stirmls_kp_params p;
    memset(&p, 0, sizeof p);
    p.signature_key = k;
    p.credential = (stirmls_slice){cred, credlen};
    p.seed = vc->seed;
    p.seedlen = vc->seedlen;
    char renewed[160];
    snprintf(renewed, sizeof renewed, "%s/renewed", skname);
    p.key_name = vc->leaf_source != 0 ? renewed : skname; /* a new leaf has a new encryption key */
    uint64_t nb = vc->at - 3600, na = vc->at + 86400;
    if (json_object_get(spec, "not_before"))
        vg_time(json_object_get(spec, "not_before"), vc->at, &nb);
    if (json_object_get(spec, "not_after"))
        vg_time(json_object_get(spec, "not_after"), vc->at, &na);
    if (vg_has_mutation(vc, "lifetime_past_cert"))
        na = leaf_not_after(vc) + 1;
    if (vg_has_mutation(vc, "lifetime_too_long"))
        na = nb + STIRMLS_MLS_MAX_LIFETIME_DEFAULT + 1;
    p.not_before = nb;
    p.not_after = na;
    static const uint16_t basic_only[] = {STIRMLS_CRED_BASIC};
    uint16_t caps[3][VG_MAX_EXT];
    p.credentials = vg_u16_list(vc, json_object_get(spec, "capabilities_credentials"), caps[2]);
    if (vg_has_mutation(vc, "capabilities_drop_type"))
        p.credentials = (stirmls_u16list){basic_only, 1};
    const char *source = json_string_value(json_object_get(spec, "leaf_source"));
    if (source)
        p.leaf_source = strcmp(source, "update") == 0 ? STIRMLS_LEAF_SOURCE_UPDATE : STIRMLS_LEAF_SOURCE_COMMIT;
    uint8_t shared[STIRMLS_P256_POINT_LEN], sigpt[STIRMLS_P256_POINT_LEN], initpt[STIRMLS_P256_POINT_LEN],
        encpt[STIRMLS_P256_POINT_LEN];
    size_t siglen = 0, initlen = 0, enclen = 0;
    stirmls_key *sk = NULL;
    if (vg_has_mutation(vc, "init_key_reuse") && (sk = vg_key(vc, "shared-hpke")) != NULL) {
        stirmls_key_point(sk, shared);
        p.init_key = p.encryption_key = (stirmls_slice){shared, sizeof shared};
    }
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    stirmls_key_point(k, pt);
    if (vg_has_mutation(vc, "signature_key_compressed") || vg_has_mutation(vc, "signature_key_hybrid")) {
        reencode_point(pt, vg_has_mutation(vc, "signature_key_hybrid"), sigpt, &siglen);
        p.signature_key_bytes = (stirmls_slice){sigpt, siglen};
    }
    char hname[160];
    snprintf(hname, sizeof hname, "%s/init", skname);
    if ((vg_has_mutation(vc, "init_key_compressed") || vg_has_mutation(vc, "init_key_hybrid")) &&
        (sk = vg_key(vc, hname)) != NULL) {
        stirmls_key_point(sk, pt);
        reencode_point(pt, vg_has_mutation(vc, "init_key_hybrid"), initpt, &initlen);
        p.init_key = (stirmls_slice){initpt, initlen};
    }
    snprintf(hname, sizeof hname, "%s/encryption", skname);
    if (vg_has_mutation(vc, "encryption_key_hybrid") && (sk = vg_key(vc, hname)) != NULL) {
        stirmls_key_point(sk, pt);
        reencode_point(pt, 1, encpt, &enclen);
        p.encryption_key = (stirmls_slice){encpt, enclen};
    }
    if (vg_has_mutation(vc, "cipher_suite_1"))
        p.cipher_suite = 0x0001;
    if (vg_has_mutation(vc, "version_2"))
        p.version = 2;
    stirmls_extension ext[2][VG_MAX_EXT];
    uint8_t *extdata[2][VG_MAX_EXT] = {{0}};
    p.n_kp_extensions = extension_list(json_object_get(spec, "extensions"), ext[0], extdata[0]);
    p.kp_extensions = ext[0];
    p.n_leaf_extensions = extension_list(json_object_get(spec, "leaf_extensions"), ext[1], extdata[1]);
    p.leaf_extensions = ext[1];
    p.cap_extensions = vg_u16_list(vc, json_object_get(spec, "capabilities_extensions"), caps[0]);
    p.proposals = vg_u16_list(vc, json_object_get(spec, "capabilities_proposals"), caps[1]);
    uint8_t *out = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    if (vc->leaf_source != 0 && stirmls_leafnode_build(&p, vc->leaf_source, vc->group_id, vc->leaf_index,
                                                       vc->parent_hash, &out, len, &d) != STIRMLS_R_OK)
        vg_fail(vc, "cannot build the LeafNode: %s", d.text);
    else if (vc->leaf_source != 0)
        ; /* a bare LeafNode: the KeyPackage mutators do not apply */
    else if (stirmls_keypackage_build(&p, 1, &out, len, &d) != STIRMLS_R_OK)
        vg_fail(vc, "cannot build the KeyPackage: %s", d.text);
    else if ((vg_has_mutation(vc, "sign_without_label_prefix") && !resign_without_prefix(vc, k, &out, len)) ||
             !mutate_bytes(vc, &out, len) || !vg_apply_edits(vc, k, &out, len)) {
        free(out);
        out = NULL;
    }
    for (size_t i = 0; i < VG_MAX_EXT; i++)
        free(extdata[0][i]), free(extdata[1][i]);
    free(cred);
    return out;
}
