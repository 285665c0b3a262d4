/* credential.c: the MLS Credential codec with the STIR credential types (CT-01..09). */
#include <string.h>
#include "stirmls/credential.h"
#include "stirmls/mutant.h"

void stirmls_cred_codepoints_default(stirmls_cred_codepoints *cp)
{
    cp->stir_certificate = STIRMLS_CRED_STIR_CERTIFICATE_DEFAULT;
    cp->stir_passport = STIRMLS_CRED_STIR_PASSPORT_DEFAULT;
}

int stirmls_mls_is_grease(uint16_t v)
{
    /* 0x?A?A with ? in 0..E (RFC 9420 §13.5: 0x0A0A ... 0xEAEA) */
    return (v & 0x0F0F) == 0x0A0A && (v >> 12) == ((v >> 4) & 0xF) && (v >> 12) != 0xF;
}

static int usable(uint16_t v)
{
    return v != 0 && v != STIRMLS_CRED_BASIC && v != STIRMLS_CRED_X509 && v != 0xFAFA &&
           !stirmls_mls_is_grease(v);
}

stirmls_reason stirmls_cred_codepoints_check(const stirmls_cred_codepoints *cp, stirmls_detail *d)
{
    if (!usable(cp->stir_certificate) || !usable(cp->stir_passport) ||
        cp->stir_certificate == cp->stir_passport)
        return stirmls_fail(d, STIRMLS_R_USAGE,
                            "credential codepoints 0x%04X / 0x%04X are not two distinct usable values",
                            cp->stir_certificate, cp->stir_passport);
    return STIRMLS_R_OK;
}

int stirmls_cred_kind_of(const stirmls_cred_codepoints *cp, uint16_t type, stirmls_cred_kind *kind)
{
    if (type == STIRMLS_CRED_BASIC)
        *kind = STIRMLS_CRED_KIND_BASIC;
    else if (type == STIRMLS_CRED_X509)
        *kind = STIRMLS_CRED_KIND_X509;
    else if (type == cp->stir_certificate)
        *kind = STIRMLS_CRED_KIND_STIR_CERTIFICATE;
    else if (type == cp->stir_passport)
        *kind = STIRMLS_CRED_KIND_STIR_PASSPORT;
    else
        return 0;
    return 1;
}

const char *stirmls_cred_kind_name(stirmls_cred_kind kind)
{
    switch (kind) {
    case STIRMLS_CRED_KIND_BASIC:
        return "basic";
    case STIRMLS_CRED_KIND_X509:
        return "x509";
    case STIRMLS_CRED_KIND_STIR_CERTIFICATE:
        return "stir_certificate";
    case STIRMLS_CRED_KIND_STIR_PASSPORT:
        return "stir_passport";
    }
    return "unknown";
}

/* Certificate certificates<V>, each Certificate = opaque cert_data<V>. */
static stirmls_reason read_certs(stirmls_reader *r, stirmls_credential *c, stirmls_detail *d)
{
    stirmls_reader v;
    stirmls_reason rc = stirmls_reader_vec(r, &v);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, stirmls_reader_pos(r), "credential certificates<V>");
    c->ncerts = 0;
    while (stirmls_reader_left(&v) > 0) {
        size_t at = stirmls_reader_pos(&v);
        if (c->ncerts == STIRMLS_CRED_MAX_CERTS)
            return stirmls_fail_at(d, STIRMLS_R_LENGTH_LIMIT, at,
                                   "credential carries more than %d certificates",
                                   STIRMLS_CRED_MAX_CERTS);
        rc = stirmls_reader_opaque(&v, &c->certs[c->ncerts]);
        if (rc != STIRMLS_R_OK)
            return stirmls_fail_at(d, rc, at, "credential certificate %zu cert_data<V>", c->ncerts);
        c->ncerts++;
    }
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_credential_read(stirmls_reader *r, const stirmls_cred_codepoints *cp,
                                       stirmls_credential *out, stirmls_detail *d)
{
    stirmls_reader save = *r;
    stirmls_credential c;
    memset(&c, 0, sizeof c);
    size_t at = stirmls_reader_pos(r);
    stirmls_reason rc = stirmls_reader_u16(r, &c.type);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, at, "credential_type");
#if STIRMLS_MUTANT_ID == 23 /* mutant 23: accept a GREASE credential type */
    if (0 && (stirmls_mls_is_grease(c.type))) {
#else
    if (stirmls_mls_is_grease(c.type)) {
#endif
        rc = stirmls_fail_at(d, STIRMLS_R_CRED_TYPE_GREASE, at,
                             "credential_type 0x%04X is a GREASE value", c.type);
        goto out;
    }
    if (!stirmls_cred_kind_of(cp, c.type, &c.kind)) {
        rc = stirmls_fail_at(d, STIRMLS_R_CRED_TYPE_UNKNOWN, at, "credential_type 0x%04X unknown",
                             c.type);
        goto out;
    }
    if (c.kind == STIRMLS_CRED_KIND_BASIC) {
        rc = stirmls_reader_opaque(r, &c.identity);
        if (rc != STIRMLS_R_OK)
            stirmls_fail_at(d, rc, stirmls_reader_pos(r), "basic identity<V>");
        goto out;
    }
    if (c.kind == STIRMLS_CRED_KIND_STIR_PASSPORT) {
        rc = stirmls_reader_opaque(r, &c.passport);
        if (rc != STIRMLS_R_OK) {
            stirmls_fail_at(d, rc, stirmls_reader_pos(r), "stir_passport passport<V>");
            goto out;
        }
    }
    size_t certs_at = stirmls_reader_pos(r);
    rc = read_certs(r, &c, d);
    if (rc == STIRMLS_R_OK && c.kind == STIRMLS_CRED_KIND_STIR_CERTIFICATE && c.ncerts == 0)
        rc = stirmls_fail_at(d, STIRMLS_R_CRED_EMPTY_CHAIN, certs_at,
                             "stir_certificate credential with no certificate");
out:
    if (rc != STIRMLS_R_OK) {
        *r = save;
        return rc;
    }
    *out = c;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_credential_decode(const uint8_t *buf, size_t len,
                                         const stirmls_cred_codepoints *cp, stirmls_credential *out,
                                         stirmls_detail *d)
{
    stirmls_reader r;
    stirmls_credential c;
    stirmls_reader_init(&r, buf, len);
    stirmls_reason rc = stirmls_credential_read(&r, cp, &c, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    if (stirmls_reader_finish(&r) != STIRMLS_R_OK)
        return stirmls_fail_at(d, STIRMLS_R_TRAILING_BYTES, stirmls_reader_pos(&r),
                               "bytes after the Credential");
    *out = c;
    return STIRMLS_R_OK;
}

void stirmls_credential_write(stirmls_buf *b, const stirmls_credential *c)
{
    stirmls_buf_put_u16(b, c->type);
    if (c->kind == STIRMLS_CRED_KIND_BASIC) {
        stirmls_buf_put_opaque(b, c->identity.ptr, c->identity.len);
        return;
    }
    if (c->kind == STIRMLS_CRED_KIND_STIR_PASSPORT)
        stirmls_buf_put_opaque(b, c->passport.ptr, c->passport.len);
    size_t mark = stirmls_buf_vec_open(b);
    for (size_t i = 0; i < c->ncerts && i < STIRMLS_CRED_MAX_CERTS; i++)
        stirmls_buf_put_opaque(b, c->certs[i].ptr, c->certs[i].len);
    stirmls_buf_vec_close(b, mark);
}
