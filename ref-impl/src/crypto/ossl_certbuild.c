/*
 * ossl_certbuild.c: the certificate builder of the deterministic test PKI.
 *
 * OpenSSL 3.0 has no deterministic ECDSA, so the certificate is first signed by X509_sign (which
 * fills both signature AlgorithmIdentifiers), then the signature value is replaced by an RFC 6979
 * signature over the DER TBSCertificate (i2d_re_X509_tbs). The same spec gives the same bytes.
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include "ossl_cert.h"
#include "stirmls/der.h"

static int add_name(X509_NAME *nm, const char *field, const char *v)
{
    return !v || X509_NAME_add_entry_by_txt(nm, field, MBSTRING_UTF8, (const unsigned char *)v, -1, -1, 0);
}

static int add_conf(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
    X509_EXTENSION *e = X509V3_EXT_nconf_nid(NULL, ctx, nid, value);
    int ok = e && X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    return ok;
}

static int add_raw(X509 *x, const char *oid, const uint8_t *der, size_t len, int critical)
{
    ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
    ASN1_OCTET_STRING *v = ASN1_OCTET_STRING_new();
    X509_EXTENSION *e = NULL;
    int ok = o && v && ASN1_OCTET_STRING_set(v, der, (int)len) &&
             (e = X509_EXTENSION_create_by_OBJ(NULL, o, critical, v)) && X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    ASN1_OCTET_STRING_free(v);
    ASN1_OBJECT_free(o);
    return ok;
}

/* CRLDistributionPoints with one DistributionPoint holding fullName [0] { uniformResourceIdentifier [6] }. */
static int add_crldp(X509 *x, const char *url)
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    size_t seq = stirmls_der_open(&b, STIRMLS_DER_SEQUENCE);
    size_t dp = stirmls_der_open(&b, STIRMLS_DER_SEQUENCE);
    size_t dpn = stirmls_der_open(&b, STIRMLS_DER_CTX_CONS(0));
    size_t full = stirmls_der_open(&b, STIRMLS_DER_CTX_CONS(0));
    stirmls_der_put_tlv(&b, STIRMLS_DER_CTX_PRIM(6), url, strlen(url));
    stirmls_der_close(&b, full);
    stirmls_der_close(&b, dpn);
    stirmls_der_close(&b, dp);
    stirmls_der_close(&b, seq);
    int ok = !b.failed && add_raw(x, "2.5.29.31", b.ptr, b.len, 0);
    stirmls_buf_cleanup(&b);
    return ok;
}

/* certificatePolicies with one PolicyInformation { policyIdentifier } (non-critical, SHK-07). */
static int add_policy(X509 *x, const char *oid)
{
    uint8_t o[64];
    size_t n = stirmls_der_oid_from_text(oid, o, sizeof o);
    stirmls_buf b;
    stirmls_buf_init(&b);
    size_t seq = stirmls_der_open(&b, STIRMLS_DER_SEQUENCE);
    size_t pi = stirmls_der_open(&b, STIRMLS_DER_SEQUENCE);
    stirmls_der_put_tlv(&b, STIRMLS_DER_OID, o, n);
    stirmls_der_close(&b, pi);
    stirmls_der_close(&b, seq);
    int ok = n && !b.failed && add_raw(x, "2.5.29.32", b.ptr, b.len, 0);
    stirmls_buf_cleanup(&b);
    return ok;
}

static void ku_text(unsigned ku, int critical, char *buf, size_t cap)
{
    static const char *const names[] = {"digitalSignature", "nonRepudiation", "keyEncipherment",
                                        "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign"};
    snprintf(buf, cap, "%s", critical ? "critical" : "");
    for (unsigned i = 0; i < 7; i++)
        if (ku & (1u << i)) {
            size_t n = strlen(buf);
            snprintf(buf + n, cap - n, "%s%s", n ? "," : "", names[i]);
        }
}

static int add_extensions(X509 *x, X509 *issuer, const stirmls_cert_spec *s)
{
    X509V3_CTX ctx;
    char buf[256];
    X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
    if (s->bc != STIRMLS_BC_ABSENT) {
        snprintf(buf, sizeof buf, "%sCA:%s", s->bc_critical ? "critical," : "", s->bc == STIRMLS_BC_CA ? "TRUE" : "FALSE");
        if (s->pathlen >= 0) {
            size_t n = strlen(buf);
            snprintf(buf + n, sizeof buf - n, ",pathlen:%d", s->pathlen);
        }
        if (!add_conf(x, &ctx, NID_basic_constraints, buf))
            return 0;
    }
    if (s->ku) {
        ku_text(s->ku, s->ku_critical, buf, sizeof buf);
        if (!add_conf(x, &ctx, NID_key_usage, buf))
            return 0;
    }
    if (!s->no_ski && !add_conf(x, &ctx, NID_subject_key_identifier, "hash"))
        return 0;
    if (!s->no_aki && !add_conf(x, &ctx, NID_authority_key_identifier, "keyid:always"))
        return 0;
    if (s->crldp && !add_crldp(x, s->crldp))
        return 0;
    if (s->policy && !add_policy(x, s->policy))
        return 0;
    if (s->tnauthlist && !add_raw(x, "1.3.6.1.5.5.7.1.26", s->tnauthlist, s->tnauthlist_len, s->tnauthlist_critical))
        return 0;
    for (size_t i = 0; i < s->n_extra; i++)
        if (!add_raw(x, s->extra[i].oid, s->extra[i].der, s->extra[i].len, s->extra[i].critical))
            return 0;
    return 1;
}

/* Replace the signature value by a deterministic one over the TBS. */
static stirmls_reason resign(X509 *x, const stirmls_key *k)
{
    unsigned char *tbs = NULL;
    uint8_t dg[STIRMLS_SHA256_LEN], raw[STIRMLS_ES256_SIG_LEN], *der = NULL;
    size_t derlen = 0;
    int n = i2d_re_X509_tbs(x, &tbs);
    if (n <= 0)
        return STIRMLS_R_INTERNAL;
    stirmls_sha256(tbs, (size_t)n, dg);
    OPENSSL_free(tbs);
    stirmls_reason rc = stirmls_ecdsa_sign_digest(k, dg, raw);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_ecdsa_raw_to_der(raw, &der, &derlen);
    if (rc != STIRMLS_R_OK)
        return rc;
    const ASN1_BIT_STRING *sig;
    const X509_ALGOR *alg;
    X509_get0_signature(&sig, &alg, x);
    ASN1_BIT_STRING *bs = (ASN1_BIT_STRING *)sig;
    int ok = ASN1_BIT_STRING_set(bs, der, (int)derlen);
    bs->flags &= ~(ASN1_STRING_FLAG_BITS_LEFT | 0x07);
    bs->flags |= ASN1_STRING_FLAG_BITS_LEFT;
    free(der);
    return ok ? STIRMLS_R_OK : STIRMLS_R_INTERNAL;
}

static stirmls_reason build(X509 *x, const stirmls_cert_spec *s, stirmls_detail *d)
{
    const stirmls_key *signer = s->issuer_key ? s->issuer_key : s->key;
    X509 *issuer = s->issuer ? stirmls_ossl_cert_x509(s->issuer) : NULL;
    X509_NAME *subj = X509_get_subject_name(x);
    if (!s->key || !stirmls_key_has_private(signer) || s->serial == 0)
        return stirmls_fail(d, STIRMLS_R_USAGE, "cert spec needs a key, a private signer key and a serial");
    if (!X509_set_version(x, 2) || !ASN1_INTEGER_set_uint64(X509_get_serialNumber(x), s->serial) ||
        !add_name(subj, "C", s->c) || !add_name(subj, "O", s->o) || !add_name(subj, "CN", s->cn) ||
        !X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : subj) ||
        !ASN1_TIME_set(X509_getm_notBefore(x), (time_t)s->not_before) ||
        !ASN1_TIME_set(X509_getm_notAfter(x), (time_t)s->not_after) ||
        !X509_set_pubkey(x, stirmls_key_evp(s->key)))
        return stirmls_fail(d, STIRMLS_R_INTERNAL, "cannot fill the certificate fields");
    if (!add_extensions(x, issuer, s)) {
        char err[160];
        ERR_error_string_n(ERR_peek_last_error(), err, sizeof err);
        return stirmls_fail(d, STIRMLS_R_USAGE, "cannot add an extension (bad OID, URL or policy?): %s", err);
    }
    if (!X509_sign(x, stirmls_key_evp(signer), EVP_sha256()))
        return stirmls_fail(d, STIRMLS_R_INTERNAL, "X509_sign failed");
    return resign(x, signer);
}

stirmls_reason stirmls_cert_build(const stirmls_cert_spec *s, stirmls_cert **out, stirmls_detail *d)
{
    X509 *x = X509_new();
    unsigned char *der = NULL;
    int len = 0;
    stirmls_reason rc = x ? build(x, s, d) : STIRMLS_R_INTERNAL;
    if (rc == STIRMLS_R_OK && (len = i2d_X509(x, &der)) <= 0)
        rc = STIRMLS_R_INTERNAL;
    if (rc == STIRMLS_R_OK)
        rc = stirmls_cert_from_der(der, (size_t)len, out, d);
    OPENSSL_free(der);
    X509_free(x);
    ERR_clear_error();
    return rc;
}
