/*
 * ossl_certbuild.c: the certificate builder of the deterministic test PKI.
 *
 * OpenSSL 3.0 has no deterministic ECDSA, so the certificate is first signed by X509_sign (which
 * fills both signature AlgorithmIdentifiers), then the signature value is replaced by an RFC 6979
 * signature over the DER TBSCertificate (i2d_re_X509_tbs). The same spec gives the same bytes.
 * For the negative cases of TNA-09 a certificate may carry a P-384 subject key (derived like the
 * P-256 keys, stirmls_altkey_derive_p384) or be signed with ecdsa-with-SHA384.
 */
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include "ossl_cert.h"
#include "ossl_internal.h"
#include "stirmls/der.h"

struct stirmls_altkey {
    EVP_PKEY *pkey;
};

void stirmls_altkey_free(stirmls_altkey *k)
{
    if (k != NULL)
        EVP_PKEY_free(k->pkey);
    free(k);
}

/* The public P-384 key of scalar d (48 bytes), or NULL when d is not in [1, n-1]. */
static EVP_PKEY *p384_public(const uint8_t d[48])
{
    EVP_PKEY *pkey = NULL;
    EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_secp384r1);
    BIGNUM *x = BN_bin2bn(d, 48, NULL);
    EC_POINT *pt = g ? EC_POINT_new(g) : NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    uint8_t oct[97];
    if (g && x && pt && bld && ctx && !BN_is_zero(x) && BN_cmp(x, EC_GROUP_get0_order(g)) < 0 &&
        EC_POINT_mul(g, pt, x, NULL, NULL, NULL) &&
        EC_POINT_point2oct(g, pt, POINT_CONVERSION_UNCOMPRESSED, oct, sizeof oct, NULL) == sizeof oct &&
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "secp384r1", 0) &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, oct, sizeof oct) &&
        (params = OSSL_PARAM_BLD_to_param(bld)) != NULL && EVP_PKEY_fromdata_init(ctx) > 0 &&
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EC_POINT_free(pt);
    BN_clear_free(x);
    EC_GROUP_free(g);
    return pkey;
}

static stirmls_reason p384_from_digest(const uint8_t *d, size_t len, void *ctx)
{
    stirmls_altkey *k = ctx;
    k->pkey = len == 48 ? p384_public(d) : NULL;
    return k->pkey != NULL ? STIRMLS_R_OK : STIRMLS_R_USAGE;
}

stirmls_reason stirmls_altkey_derive_p384(const uint8_t *seed, size_t seedlen, const char *name,
                                          stirmls_altkey **out)
{
    stirmls_altkey *k = calloc(1, sizeof *k);
    if (k == NULL)
        return STIRMLS_R_INTERNAL;
    stirmls_reason rc = stirmls_ossl_derive(seed, seedlen, "stirmls-key-p384-v1", name, EVP_sha384(),
                                            p384_from_digest, k);
    ERR_clear_error();
    if (rc != STIRMLS_R_OK) {
        free(k);
        return STIRMLS_R_INTERNAL;
    }
    *out = k;
    return STIRMLS_R_OK;
}

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

/* Replace the signature value by a deterministic one over the TBS. With SHA-384 the digest is
 * truncated to its leftmost 256 bits, as ECDSA does for P-256 (SEC 1 §4.1.3 step 5). */
static stirmls_reason resign(X509 *x, const stirmls_key *k, int sha384)
{
    unsigned char *tbs = NULL;
    uint8_t dg[48], raw[STIRMLS_ES256_SIG_LEN], *der = NULL;
    size_t derlen = 0;
    int n = i2d_re_X509_tbs(x, &tbs);
    if (n <= 0)
        return STIRMLS_R_INTERNAL;
    int hashed = sha384 ? EVP_Digest(tbs, (size_t)n, dg, NULL, EVP_sha384(), NULL) == 1
                        : stirmls_sha256_r(tbs, (size_t)n, dg) == STIRMLS_R_OK;
    OPENSSL_free(tbs);
    if (!hashed)
        return STIRMLS_R_INTERNAL;
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
        !ASN1_TIME_set(X509_getm_notBefore(x), (time_t)(int64_t)s->not_before) ||
        !ASN1_TIME_set(X509_getm_notAfter(x), (time_t)(int64_t)s->not_after) ||
        !X509_set_pubkey(x, s->alt_key ? s->alt_key->pkey : stirmls_key_evp(s->key)))
        return stirmls_fail(d, STIRMLS_R_INTERNAL, "cannot fill the certificate fields");
    if (!add_extensions(x, issuer, s)) {
        char err[160];
        ERR_error_string_n(ERR_peek_last_error(), err, sizeof err);
        return stirmls_fail(d, STIRMLS_R_USAGE, "cannot add an extension (bad OID, URL or policy?): %s", err);
    }
    if (!X509_sign(x, stirmls_key_evp(signer), s->sig_sha384 ? EVP_sha384() : EVP_sha256()))
        return stirmls_fail(d, STIRMLS_R_INTERNAL, "X509_sign failed");
    return resign(x, signer, s->sig_sha384);
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
