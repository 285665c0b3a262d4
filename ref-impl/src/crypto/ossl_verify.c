/*
 * ossl_verify.c: trust anchors (an X509_STORE built once) and path validation at a given time.
 *
 * OpenSSL builds the path and checks signatures, names, basicConstraints and pathLen. OpenSSL's
 * own time check is switched off (X509_V_FLAG_NO_CHECK_TIME) because it treats the notAfter
 * second itself as expired; this file checks notBefore <= at <= notAfter exactly, in uint64.
 * Unknown critical extensions: a verify callback clears X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION
 * only when every critical extension OpenSSL does not know is one this profile recognises.
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include "ossl_cert.h"
#include "stirmls/tnauthlist.h"
#include "stirmls/mutant.h"

struct stirmls_trust {
    X509_STORE *store;
    stirmls_cert_list anchors; /* one reference each: a built path reuses them (run_openssl) */
    uint8_t digest[STIRMLS_SHA256_LEN]; /* of the anchors, see stirmls_trust_digest */
};

/* SHA-256 over the anchors in order, each as a 4-byte big-endian length and its DER. */
static int anchors_digest(const stirmls_cert_list *anchors, uint8_t out[STIRMLS_SHA256_LEN])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
    for (size_t i = 0; ok && i < anchors->n; i++) {
        stirmls_slice der = stirmls_cert_der(anchors->certs[i]);
        uint8_t len[4] = {(uint8_t)(der.len >> 24), (uint8_t)(der.len >> 16), (uint8_t)(der.len >> 8),
                          (uint8_t)der.len};
        ok = EVP_DigestUpdate(md, len, sizeof len) == 1 && EVP_DigestUpdate(md, der.ptr, der.len) == 1;
    }
    ok = ok && EVP_DigestFinal_ex(md, out, NULL) == 1;
    EVP_MD_CTX_free(md);
    ERR_clear_error();
    return ok;
}

void stirmls_trust_digest(const stirmls_trust *t, uint8_t out[STIRMLS_SHA256_LEN])
{
    memcpy(out, t->digest, sizeof t->digest);
}

stirmls_reason stirmls_trust_new(const stirmls_cert_list *anchors, stirmls_trust **out)
{
    stirmls_trust *t = calloc(1, sizeof *t);
    if (!t || !(t->store = X509_STORE_new()) || !anchors_digest(anchors, t->digest)) {
        if (t)
            X509_STORE_free(t->store);
        free(t);
        return STIRMLS_R_INTERNAL;
    }
    stirmls_cert_list_init(&t->anchors);
    for (size_t i = 0; i < anchors->n; i++) {
        if (stirmls_cert_list_push(&t->anchors, stirmls_cert_up_ref(anchors->certs[i])) != STIRMLS_R_OK) {
            stirmls_trust_free(t);
            return STIRMLS_R_INTERNAL;
        }
        if (!X509_STORE_add_cert(t->store, stirmls_ossl_cert_x509(anchors->certs[i]))) {
            unsigned long e = ERR_peek_last_error();
            if (ERR_GET_REASON(e) != X509_R_CERT_ALREADY_IN_HASH_TABLE) {
                ERR_clear_error();
                stirmls_trust_free(t);
                return STIRMLS_R_INTERNAL;
            }
            ERR_clear_error();
        }
    }
    *out = t;
    return STIRMLS_R_OK;
}

void stirmls_trust_free(stirmls_trust *t)
{
    if (!t)
        return;
    X509_STORE_free(t->store);
    stirmls_cert_list_cleanup(&t->anchors);
    free(t);
}

static const char *const recognised[] = {STIRMLS_TNAUTHLIST_OID, STIRMLS_JCC_OID, STIRMLS_EJCC_OID};

int stirmls_cert_oid_recognised(const char *oid)
{
    for (size_t i = 0; i < sizeof recognised / sizeof recognised[0]; i++)
        if (strcmp(oid, recognised[i]) == 0)
            return 1;
    return 0;
}

/* 1 when every critical extension of x that OpenSSL does not support is recognised here. */
static int criticals_recognised(X509 *x)
{
    for (int i = 0; i < X509_get_ext_count(x); i++) {
        X509_EXTENSION *e = X509_get_ext(x, i);
        char oid[80];
        if (!X509_EXTENSION_get_critical(e) || X509_supported_extension(e))
            continue;
        OBJ_obj2txt(oid, sizeof oid, X509_EXTENSION_get_object(e), 1);
        if (!stirmls_cert_oid_recognised(oid))
            return 0;
    }
    return 1;
}

static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
    const unsigned *anchor_flags = X509_STORE_CTX_get_app_data(ctx);
    int err = X509_STORE_CTX_get_error(ctx);
    if (!ok && err == X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION &&
        criticals_recognised(X509_STORE_CTX_get_current_cert(ctx))) {
        X509_STORE_CTX_set_error(ctx, X509_V_OK);
        return 1;
    }
    /* the anchor as a CA (its basicConstraints and keyUsage) is judged by check_path, by policy (CHN-05) */
    int top = X509_STORE_CTX_get_error_depth(ctx) == sk_X509_num(X509_STORE_CTX_get0_chain(ctx)) - 1;
    if (!ok && (err == X509_V_ERR_INVALID_CA || err == X509_V_ERR_KEYUSAGE_NO_CERTSIGN) && top) {
        X509_STORE_CTX_set_error(ctx, X509_V_OK);
        return 1;
    }
    /* the trust anchor's own pathLenConstraint, when configured not to apply (RFC 5937) */
    if (!ok && err == X509_V_ERR_PATH_LENGTH_EXCEEDED && anchor_flags != NULL &&
        (*anchor_flags & STIRMLS_ANCHOR_NO_PATHLEN) && top) {
        X509_STORE_CTX_set_error(ctx, X509_V_OK);
        return 1;
    }
    return ok;
}

static stirmls_reason map_error(int err)
{
    switch (err) {
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
        return STIRMLS_R_CERT_SIGNATURE;
    case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION:
        return STIRMLS_R_CERT_UNKNOWN_CRITICAL_EXT;
    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
        return STIRMLS_R_CERT_NOT_CA;
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
        return STIRMLS_R_CERT_PATH_LENGTH;
    case X509_V_ERR_CERT_CHAIN_TOO_LONG:
        return STIRMLS_R_CERT_CHAIN_TOO_LONG;
    case X509_V_ERR_INVALID_EXTENSION: /* e.g. a known extension that does not decode, or repeated */
    case X509_V_ERR_INVALID_POLICY_EXTENSION:
        return STIRMLS_R_CERT_PARSE;
    case X509_V_ERR_OUT_OF_MEM:
        return STIRMLS_R_INTERNAL;
    default:
        return STIRMLS_R_CERT_UNTRUSTED;
    }
}

/* Key and signature algorithm of one certificate (TNA-09). */
static stirmls_reason check_algs(const stirmls_cert *c, int idx, stirmls_detail *d)
{
    stirmls_key *k = NULL;
    stirmls_reason rc = stirmls_cert_key(c, &k);
    stirmls_key_free(k);
    if (rc != STIRMLS_R_OK) {
        rc = stirmls_fail(d, STIRMLS_R_CERT_KEY_TYPE, "certificate %d: key is not ECDSA P-256", idx);
    } else if (X509_get_signature_nid(stirmls_ossl_cert_x509(c)) != NID_ecdsa_with_SHA256) {
        rc = stirmls_fail(d, STIRMLS_R_CERT_SIG_ALG, "certificate %d: signature algorithm is not ecdsa-with-SHA256", idx);
    }
    if (rc != STIRMLS_R_OK && d && d->cert_index < 0)
        d->cert_index = idx;
    return rc;
}

static stirmls_reason fail_at_cert(stirmls_detail *d, stirmls_reason r, int idx, const char *what)
{
    stirmls_fail(d, r, "certificate %d: %s", idx, what);
    if (d && d->cert_index < 0)
        d->cert_index = idx;
    return r;
}

/* OpenSSL's verdict on "issuer issued subject" by names and key identifiers: 1 yes (a keyUsage
 * without keyCertSign is left to the CA checks, CERT_NOT_CA), -1 the names match but the
 * authorityKeyIdentifier is not the issuer's subjectKeyIdentifier, 0 no. */
static int issued(const stirmls_cert *issuer, const stirmls_cert *subject)
{
    int r = X509_check_issued(stirmls_ossl_cert_x509(issuer), stirmls_ossl_cert_x509(subject));
    if (r == X509_V_OK || r == X509_V_ERR_KEYUSAGE_NO_CERTSIGN)
        return 1;
    return r == X509_V_ERR_AKID_SKID_MISMATCH || r == X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH ? -1 : 0;
}

/* The presented list must be one path in order: each certificate issued by the next. Run before
 * path building, so that the verdict does not depend on which of several candidate issuers
 * OpenSSL would pick (docs/profile.md part 1, presented list). Where certificate i's issuer
 * stands elsewhere in the list, the list is out of order (CERT_CHAIN_ORDER); where the list holds
 * no issuer of it, *gap = i and the rest is judged after path building (a missing link is
 * CERT_UNTRUSTED; certificates after an issuer found among the anchors are extras). */
static stirmls_reason check_order(stirmls_cert *const *chain, size_t n, size_t *gap, stirmls_detail *d)
{
    *gap = n;
    for (size_t i = 0; i + 1 < n; i++) {
        int r = issued(chain[i + 1], chain[i]);
        if (r == 1)
            continue;
        if (r == -1)
            return fail_at_cert(d, STIRMLS_R_CERT_AKI_MISMATCH, (int)i,
                                "authorityKeyIdentifier differs from the next certificate's subjectKeyIdentifier");
        for (size_t j = 0; j < n; j++)
            if (j != i && issued(chain[j], chain[i]) == 1)
                return fail_at_cert(d, STIRMLS_R_CERT_CHAIN_ORDER, (int)(i + 1),
                                    "not the issuer of the certificate before it (out of order)");
        *gap = i;
        break;
    }
    return STIRMLS_R_OK;
}

/* No path was found: when an anchor has the issuer name of the last presented certificate but
 * its subjectKeyIdentifier is not that certificate's authorityKeyIdentifier, say so. */
static stirmls_reason untrusted_reason(const stirmls_trust *t, const stirmls_cert *last, size_t idx,
                                       stirmls_detail *d)
{
    for (size_t i = 0; i < t->anchors.n; i++) {
        int r = X509_check_issued(stirmls_ossl_cert_x509(t->anchors.certs[i]), stirmls_ossl_cert_x509(last));
        if (r == X509_V_ERR_AKID_SKID_MISMATCH || r == X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH)
            return fail_at_cert(d, STIRMLS_R_CERT_AKI_MISMATCH, (int)idx,
                                "authorityKeyIdentifier differs from the trust anchor's subjectKeyIdentifier");
    }
    return STIRMLS_R_CERT_UNTRUSTED;
}

/* The profile checks OpenSSL does not make (or makes differently), on the built path. The last
 * certificate of the path is the trust anchor. */
static stirmls_reason check_path(const stirmls_cert_list *p, uint64_t at, unsigned anchor_flags,
                                 stirmls_detail *d)
{
    size_t checked = p->n - (anchor_flags & STIRMLS_ANCHOR_NO_CONSTRAINTS ? 1 : 0); /* p->n >= 1 */
    for (size_t i = 0; i < checked; i++) {
        stirmls_reason rc = check_algs(p->certs[i], (int)i, d);
        if (rc != STIRMLS_R_OK)
            return rc;
    }
    size_t timed = p->n - ((anchor_flags & STIRMLS_ANCHOR_NO_VALIDITY) && p->n > 0 ? 1 : 0);
    for (size_t i = 0; i < timed; i++) {
        const stirmls_cert *c = p->certs[i];
#if STIRMLS_MUTANT_ID == 26 /* mutant 26: ignore certificate notBefore */
        if (0 && (at < stirmls_cert_not_before(c)))
#else
        if (at < stirmls_cert_not_before(c))
#endif
            return fail_at_cert(d, STIRMLS_R_CERT_NOT_YET_VALID, (int)i, "notBefore is after the evaluation time");
#if STIRMLS_MUTANT_ID == 6 /* mutant 6: ignore certificate notAfter */
        if (0 && (at > stirmls_cert_not_after(c)))
#elif STIRMLS_MUTANT_ID == 24 /* mutant 24: accept an expired intermediate */
        if (i == 0 && (at > stirmls_cert_not_after(c)))
#else
        if (at > stirmls_cert_not_after(c))
#endif
            return fail_at_cert(d, STIRMLS_R_CERT_EXPIRED, (int)i, "notAfter is before the evaluation time");
    }
    for (size_t i = 1; i < checked; i++) {
        X509 *x = stirmls_ossl_cert_x509(p->certs[i]);
        uint32_t fl = X509_get_extension_flags(x);
        if (!(fl & EXFLAG_BCONS) || !(fl & EXFLAG_CA))
            return fail_at_cert(d, STIRMLS_R_CERT_NOT_CA, (int)i, "issuer lacks basicConstraints cA=TRUE");
        if ((fl & EXFLAG_KUSAGE) && !(X509_get_key_usage(x) & KU_KEY_CERT_SIGN))
            return fail_at_cert(d, STIRMLS_R_CERT_NOT_CA, (int)i, "issuer keyUsage lacks keyCertSign");
    }
    X509 *leaf = stirmls_ossl_cert_x509(p->certs[0]);
    if ((X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) && !(X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE))
        return fail_at_cert(d, STIRMLS_R_CERT_KEY_USAGE, 0, "keyUsage lacks digitalSignature");
    return STIRMLS_R_OK;
}

/* The certificate object behind x when it is one of the presented certificates or an anchor (the
 * store and the untrusted stack hold those very X509 objects), so a built path is not encoded
 * and parsed again; NULL otherwise. */
static stirmls_cert *known_cert(const stirmls_trust *t, stirmls_cert *const *chain, size_t n, const X509 *x)
{
    for (size_t i = 0; i < n; i++)
        if (stirmls_ossl_cert_x509(chain[i]) == x)
            return chain[i];
    for (size_t i = 0; i < t->anchors.n; i++)
        if (stirmls_ossl_cert_x509(t->anchors.certs[i]) == x)
            return t->anchors.certs[i];
    return NULL;
}

static stirmls_reason run_openssl(const stirmls_trust *t, stirmls_cert *const *chain, size_t n,
                                  size_t max_len, unsigned anchor_flags, stirmls_cert_list *path,
                                  stirmls_detail *d)
{
    stirmls_reason rc = STIRMLS_R_INTERNAL;
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    if (!untrusted || !ctx)
        goto out;
    for (size_t i = 1; i < n; i++)
        if (!sk_X509_push(untrusted, stirmls_ossl_cert_x509(chain[i])))
            goto out;
    if (!X509_STORE_CTX_init(ctx, t->store, stirmls_ossl_cert_x509(chain[0]), untrusted))
        goto out;
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME | X509_V_FLAG_PARTIAL_CHAIN);
    X509_VERIFY_PARAM_set_depth(param, (int)max_len);
    X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
    X509_STORE_CTX_set_app_data(ctx, &anchor_flags);
    if (X509_verify_cert(ctx) != 1) {
        int err = X509_STORE_CTX_get_error(ctx);
        rc = map_error(err);
        if (rc == STIRMLS_R_CERT_UNTRUSTED)
            rc = untrusted_reason(t, chain[n - 1], n - 1, d);
        if (rc != STIRMLS_R_CERT_AKI_MISMATCH)
            fail_at_cert(d, rc, X509_STORE_CTX_get_error_depth(ctx), X509_verify_cert_error_string(err));
        goto out;
    }
    STACK_OF(X509) *built = X509_STORE_CTX_get0_chain(ctx);
    rc = STIRMLS_R_OK;
    for (int i = 0; i < sk_X509_num(built) && rc == STIRMLS_R_OK; i++) {
        X509 *x = sk_X509_value(built, i);
        stirmls_cert *c = known_cert(t, chain, n, x);
        if (c != NULL) {
            rc = stirmls_cert_list_push(path, stirmls_cert_up_ref(c));
            continue;
        }
        unsigned char *der = NULL;
        int len = i2d_X509(x, &der);
        rc = len > 0 ? stirmls_cert_from_der(der, (size_t)len, &c, d) : STIRMLS_R_INTERNAL;
        OPENSSL_free(der);
        if (rc == STIRMLS_R_OK)
            rc = stirmls_cert_list_push(path, c);
    }
out:
    ERR_clear_error();
    sk_X509_free(untrusted);
    X509_STORE_CTX_free(ctx);
    return rc;
}

stirmls_reason stirmls_x509_path_verify(const stirmls_trust *t, stirmls_cert *const *chain, size_t n,
                                        uint64_t at, size_t max_len, unsigned anchor_flags,
                                        stirmls_cert_list *path, stirmls_detail *d)
{
    stirmls_reason rc = STIRMLS_R_OK;
    stirmls_cert_list p;
    stirmls_cert_list_init(&p);
    if (n == 0)
        return stirmls_fail(d, STIRMLS_R_CERT_CHAIN_EMPTY, "no certificate");
    if (n > max_len)
        return fail_at_cert(d, STIRMLS_R_CERT_CHAIN_TOO_LONG, (int)max_len, "chain longer than the maximum");
    for (size_t i = 0; i < n; i++)
        STIRMLS_TRY(check_algs(chain[i], (int)i, d));
    size_t gap;
    STIRMLS_TRY(check_order(chain, n, &gap, d));
    STIRMLS_TRY(run_openssl(t, chain, n, max_len, anchor_flags, &p, d));
    if (gap + 1 < n) {
        rc = fail_at_cert(d, STIRMLS_R_CERT_CHAIN_ORDER, (int)(gap + 1),
                          "not on the path: the certificate before it is issued by a trust anchor (an extra)");
        goto out;
    }
    if (p.n > max_len) {
        rc = fail_at_cert(d, STIRMLS_R_CERT_CHAIN_TOO_LONG, (int)max_len, "path longer than the maximum");
        goto out;
    }
    STIRMLS_TRY(check_path(&p, at, anchor_flags, d));
    *path = p;
    return STIRMLS_R_OK;
out:
    stirmls_cert_list_cleanup(&p);
    return rc;
}
