/* keypackage.c: the RFC 9420 §10 KeyPackage codec, the MLSMessage wrapper and KeyPackageRef. */
#include <string.h>
#include "stirmls/keypackage.h"
#include "mls_internal.h"

stirmls_reason stirmls_keypackage_read(stirmls_reader *r, const stirmls_cred_codepoints *cp,
                                       stirmls_keypackage *out, stirmls_detail *d)
{
    stirmls_reader save = *r;
    stirmls_keypackage kp;
    memset(&kp, 0, sizeof kp);
    size_t at = stirmls_reader_pos(r);
    stirmls_reason rc = stirmls_reader_u16(r, &kp.version);
    if (rc == STIRMLS_R_OK) {
        at = stirmls_reader_pos(r);
        rc = stirmls_reader_u16(r, &kp.cipher_suite);
    }
    if (rc != STIRMLS_R_OK) {
        stirmls_fail_at(d, rc, at, "KeyPackage version / cipher_suite");
        goto out;
    }
    if ((rc = stirmls_mls_read_opaque(r, &kp.init_key, "init_key<V>", d)) ||
        (rc = stirmls_leafnode_read(r, cp, &kp.leaf, d)) ||
        (rc = stirmls_mls_read_extensions(r, &kp.extensions, "KeyPackage extensions", d)) ||
        (rc = stirmls_mls_read_opaque(r, &kp.signature, "KeyPackage signature<V>", d)))
        goto out;
out:
    if (rc != STIRMLS_R_OK) {
        *r = save;
        return rc;
    }
    *out = kp;
    return STIRMLS_R_OK;
}

static stirmls_reason finish(const stirmls_reader *r, stirmls_detail *d)
{
    if (stirmls_reader_finish(r) != STIRMLS_R_OK)
        return stirmls_fail_at(d, STIRMLS_R_TRAILING_BYTES, stirmls_reader_pos(r),
                               "%zu bytes after the KeyPackage", stirmls_reader_left(r));
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_keypackage_decode(const uint8_t *buf, size_t len,
                                         const stirmls_cred_codepoints *cp, stirmls_keypackage *out,
                                         stirmls_detail *d)
{
    stirmls_reader r;
    stirmls_keypackage kp;
    stirmls_reader_init(&r, buf, len);
    stirmls_reason rc;
    if ((rc = stirmls_keypackage_read(&r, cp, &kp, d)) || (rc = finish(&r, d)))
        return rc;
    *out = kp;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_keypackage_decode_message(const uint8_t *buf, size_t len,
                                                 const stirmls_cred_codepoints *cp,
                                                 stirmls_keypackage *out, stirmls_detail *d)
{
    stirmls_reader r;
    stirmls_keypackage kp;
    uint16_t version, wire;
    stirmls_reader_init(&r, buf, len);
    stirmls_reason rc = stirmls_reader_u16(&r, &version);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, 0, "MLSMessage version");
    if (version != STIRMLS_MLS10)
        return stirmls_fail_at(d, STIRMLS_R_MLS_VERSION, 0, "MLSMessage version 0x%04X", version);
    if ((rc = stirmls_reader_u16(&r, &wire)) != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, 2, "MLSMessage wire_format");
    if (wire != STIRMLS_MLS_WIRE_KEY_PACKAGE)
        return stirmls_fail_at(d, STIRMLS_R_MLS_WIRE_FORMAT, 2,
                               "MLSMessage wire_format 0x%04X is not mls_key_package", wire);
    if ((rc = stirmls_keypackage_read(&r, cp, &kp, d)) || (rc = finish(&r, d)))
        return rc;
    *out = kp;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_keypackage_decode_any(const uint8_t *buf, size_t len,
                                             const stirmls_cred_codepoints *cp,
                                             stirmls_keypackage *out, int *was_message,
                                             stirmls_detail *d)
{
    stirmls_detail dm, db;
    stirmls_detail_init(&dm);
    stirmls_detail_init(&db);
    stirmls_reason rc = stirmls_keypackage_decode_message(buf, len, cp, out, &dm);
    if (rc == STIRMLS_R_OK) {
        *was_message = 1;
        return rc;
    }
    if (stirmls_keypackage_decode(buf, len, cp, out, &db) == STIRMLS_R_OK) {
        *was_message = 0;
        return STIRMLS_R_OK;
    }
    if (d != NULL && d->reason == STIRMLS_R_OK)
        *d = dm;
    return rc;
}

void stirmls_keypackage_write_tbs(stirmls_buf *b, const stirmls_keypackage *kp)
{
    stirmls_buf_put_u16(b, kp->version);
    stirmls_buf_put_u16(b, kp->cipher_suite);
    stirmls_buf_put_opaque(b, kp->init_key.ptr, kp->init_key.len);
    stirmls_leafnode_write(b, &kp->leaf);
    stirmls_buf_put_opaque(b, kp->extensions.ptr, kp->extensions.len);
}

void stirmls_keypackage_write(stirmls_buf *b, const stirmls_keypackage *kp)
{
    stirmls_keypackage_write_tbs(b, kp);
    stirmls_buf_put_opaque(b, kp->signature.ptr, kp->signature.len);
}

void stirmls_keypackage_write_message(stirmls_buf *b, const stirmls_keypackage *kp)
{
    stirmls_buf_put_u16(b, STIRMLS_MLS10);
    stirmls_buf_put_u16(b, STIRMLS_MLS_WIRE_KEY_PACKAGE);
    stirmls_keypackage_write(b, kp);
}

stirmls_reason stirmls_keypackage_ref(const stirmls_keypackage *kp, uint8_t out[STIRMLS_SHA256_LEN])
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_keypackage_write(&b, kp);
    stirmls_reason rc = stirmls_buf_status(&b);
    if (rc == STIRMLS_R_OK) {
        stirmls_slice v = {b.ptr, b.len};
        rc = stirmls_mls_ref_hash(STIRMLS_KP_REF_LABEL, v, out);
    }
    stirmls_buf_cleanup(&b);
    return rc;
}
