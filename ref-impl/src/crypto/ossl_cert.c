/*
 * ossl_cert.c: stirmls_cert (a parsed X509 plus its DER), its accessors, and certificate lists.
 */
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "ossl_cert.h"
#include "stirmls/certcache.h"

struct stirmls_cert {
    atomic_int refs; /* shared across threads through the caches */
    X509 *x;
    uint8_t *der; /* owned */
    size_t len;
    uint64_t not_before, not_after;
};

X509 *stirmls_ossl_cert_x509(const stirmls_cert *c)
{
    return c->x;
}

/* days from 1970-01-01 to y-m-d (proleptic Gregorian), Howard Hinnant's days_from_civil */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int asn1_time_to_u64(const ASN1_TIME *t, uint64_t *out)
{
    struct tm tm;
    if (!ASN1_TIME_to_tm(t, &tm))
        return 0;
    int64_t days = days_from_civil((int64_t)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
    int64_t s = days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    *out = s < 0 ? 0 : (uint64_t)s;
    return 1;
}

static void ossl_text(stirmls_detail *d)
{
    unsigned long e = ERR_peek_last_error();
    if (e && d && d->text[0] == 0) {
        char buf[200];
        ERR_error_string_n(e, buf, sizeof buf);
        size_t n = strlen(d->text);
        snprintf(d->text + n, sizeof d->text - n, "%s", buf);
    }
    ERR_clear_error();
}

stirmls_reason stirmls_cert_from_der(const uint8_t *der, size_t len, stirmls_cert **out, stirmls_detail *d)
{
    const unsigned char *p = der;
    X509 *x = len <= LONG_MAX ? d2i_X509(NULL, &p, (long)len) : NULL;
    if (!x || p != der + len) {
        X509_free(x);
        stirmls_reason rc = stirmls_fail(d, STIRMLS_R_CERT_PARSE, "certificate does not parse: ");
        ossl_text(d);
        return rc;
    }
    /* RFC 5280 §4.1: a certificate is DER. OpenSSL's decoder also takes BER it then re-encodes
     * differently (e.g. nonzero unused bits in the signature BIT STRING: found by cert_fuzz), so
     * the bytes must be OpenSSL's own encoding (the tbsCertificate is kept as received). */
    unsigned char *re = NULL;
    int relen = i2d_X509(x, &re);
    int der_ok = relen >= 0 && (size_t)relen == len && memcmp(re, der, len) == 0;
    OPENSSL_free(re);
    if (relen < 0) {
        X509_free(x);
        return stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
    }
    if (!der_ok) {
        X509_free(x);
        return stirmls_fail(d, STIRMLS_R_CERT_PARSE, "certificate is not DER (RFC 5280 section 4.1)");
    }
    stirmls_cert *c = calloc(1, sizeof *c);
    uint8_t *copy = malloc(len ? len : 1);
    if (!c || !copy) {
        free(c), free(copy), X509_free(x);
        return stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
    }
    memcpy(copy, der, len);
    atomic_init(&c->refs, 1);
    c->x = x;
    c->der = copy;
    c->len = len;
    if (!asn1_time_to_u64(X509_get0_notBefore(x), &c->not_before) ||
        !asn1_time_to_u64(X509_get0_notAfter(x), &c->not_after)) {
        stirmls_cert_free(c);
        ERR_clear_error();
        return stirmls_fail(d, STIRMLS_R_CERT_PARSE, "certificate validity does not parse");
    }
    X509_check_purpose(x, -1, 0); /* fill OpenSSL's extension cache now (parsed once) */
    *out = c;
    return STIRMLS_R_OK;
}

void stirmls_cert_free(stirmls_cert *c)
{
    if (!c || atomic_fetch_sub(&c->refs, 1) > 1)
        return;
    X509_free(c->x);
    free(c->der);
    free(c);
}

stirmls_cert *stirmls_cert_up_ref(stirmls_cert *c)
{
    atomic_fetch_add(&c->refs, 1);
    return c;
}

stirmls_slice stirmls_cert_der(const stirmls_cert *c)
{
    stirmls_slice s = {c->der, c->len};
    return s;
}

char *stirmls_cert_pem(const stirmls_cert *c)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *out = NULL, *p;
    if (bio && PEM_write_bio_X509(bio, c->x)) {
        long n = BIO_get_mem_data(bio, &p);
        out = malloc((size_t)n + 1);
        if (out) {
            memcpy(out, p, (size_t)n);
            out[n] = 0;
        }
    }
    BIO_free(bio);
    return out;
}

static void name_text(const X509_NAME *nm, char *buf, size_t cap)
{
    BIO *bio = BIO_new(BIO_s_mem());
    buf[0] = 0;
    if (bio && X509_NAME_print_ex(bio, nm, 0, XN_FLAG_RFC2253) >= 0) {
        int n = BIO_read(bio, buf, (int)(cap - 1));
        buf[n > 0 ? n : 0] = 0;
    }
    BIO_free(bio);
}

void stirmls_cert_subject(const stirmls_cert *c, char *buf, size_t cap)
{
    name_text(X509_get_subject_name(c->x), buf, cap);
}

void stirmls_cert_issuer(const stirmls_cert *c, char *buf, size_t cap)
{
    name_text(X509_get_issuer_name(c->x), buf, cap);
}

uint64_t stirmls_cert_not_before(const stirmls_cert *c)
{
    return c->not_before;
}

uint64_t stirmls_cert_not_after(const stirmls_cert *c)
{
    return c->not_after;
}

stirmls_reason stirmls_cert_key(const stirmls_cert *c, stirmls_key **out)
{
    EVP_PKEY *pk = X509_get0_pubkey(c->x);
    ERR_clear_error();
    if (!pk)
        return STIRMLS_R_CERT_KEY_TYPE;
    return stirmls_key_from_evp(pk, out);
}

/* The DER contents of a dotted OID (at least two arcs, each below 2^32) into out; its length, or
 * 0 when the text is not such an OID. Done here, without OpenSSL's allocating OBJ_txt2obj, so an
 * allocation failure cannot make an extension look absent (which would let a certificate with a
 * TNAuthList or JWT claim constraints pass without their checks). */
static size_t oid_der(const char *oid, uint8_t out[64])
{
    uint64_t arcs[16];
    size_t n = 0, len = 0;
    for (const char *p = oid; n < 16;) {
        char *end;
        if (*p < '0' || *p > '9')
            return 0;
        unsigned long long v = strtoull(p, &end, 10);
        if (v > UINT32_MAX)
            return 0;
        arcs[n++] = v;
        if (*end == 0)
            break;
        if (*end != '.')
            return 0;
        p = end + 1;
    }
    if (n < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39))
        return 0;
    arcs[1] += 40 * arcs[0];
    for (size_t i = 1; i < n; i++) {
        uint8_t tmp[5];
        size_t k = 0;
        uint64_t v = arcs[i];
        do {
            tmp[k++] = (uint8_t)(v & 0x7F);
            v >>= 7;
        } while (v);
        if (len + k > 64)
            return 0;
        while (k--)
            out[len++] = (uint8_t)(tmp[k] | (k ? 0x80 : 0));
    }
    return len;
}

/* Index of the next extension of c after `after` whose OID is the dotted `oid`, or -1. */
static int ext_index(const stirmls_cert *c, const char *oid, int after)
{
    uint8_t der[64];
    size_t len = oid_der(oid, der);
    for (int i = after + 1; len > 0 && i < X509_get_ext_count(c->x); i++) {
        const ASN1_OBJECT *o = X509_EXTENSION_get_object(X509_get_ext(c->x, i));
        if ((size_t)OBJ_length(o) == len && memcmp(OBJ_get0_data(o), der, len) == 0)
            return i;
    }
    return -1;
}

int stirmls_cert_extension(const stirmls_cert *c, const char *oid, stirmls_slice *value, int *critical)
{
    int i = ext_index(c, oid, -1);
    if (i < 0)
        return 0;
    X509_EXTENSION *e = X509_get_ext(c->x, i);
    const ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(e);
    if (value) {
        value->ptr = ASN1_STRING_get0_data(v);
        value->len = (size_t)ASN1_STRING_length(v);
    }
    if (critical)
        *critical = X509_EXTENSION_get_critical(e);
    return 1;
}

int stirmls_cert_extension_count(const stirmls_cert *c, const char *oid)
{
    int n = 0;
    for (int i = -1; (i = ext_index(c, oid, i)) >= 0;)
        n++;
    return n;
}

/* ---- lists ------------------------------------------------------------------------------ */

void stirmls_cert_list_init(stirmls_cert_list *l)
{
    l->n = 0;
    l->certs = NULL;
}

void stirmls_cert_list_cleanup(stirmls_cert_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        stirmls_cert_free(l->certs[i]);
    free(l->certs);
    stirmls_cert_list_init(l);
}

stirmls_reason stirmls_cert_list_push(stirmls_cert_list *l, stirmls_cert *c)
{
    stirmls_cert **v = realloc(l->certs, (l->n + 1) * sizeof *v);
    if (!v) {
        stirmls_cert_free(c);
        return STIRMLS_R_INTERNAL;
    }
    l->certs = v;
    v[l->n++] = c;
    return STIRMLS_R_OK;
}

static int looks_pem(const uint8_t *data, size_t len)
{
    static const char marker[] = "-----BEGIN CERTIFICATE-----";
    size_t m = sizeof marker - 1;
    for (size_t i = 0; len >= m && i <= len - m; i++)
        if (memcmp(data + i, marker, m) == 0)
            return 1;
    return 0;
}

static stirmls_reason parse_pem(stirmls_certcache *cc, const uint8_t *data, size_t len, stirmls_cert_list *out,
                                stirmls_detail *d)
{
    stirmls_reason rc = STIRMLS_R_OK;
    BIO *bio = BIO_new_mem_buf(data, (int)len);
    char *name = NULL, *hdr = NULL;
    unsigned char *body = NULL;
    long blen;
    if (!bio)
        return STIRMLS_R_INTERNAL;
    while (PEM_read_bio(bio, &name, &hdr, &body, &blen)) {
        if (strcmp(name, "CERTIFICATE") == 0) {
            stirmls_cert *c;
            rc = stirmls_certcache_parse(cc, body, (size_t)blen, &c, d);
            if (rc == STIRMLS_R_OK)
                rc = stirmls_cert_list_push(out, c);
            if (rc != STIRMLS_R_OK && d)
                d->cert_index = (int)out->n;
        }
        OPENSSL_free(name), OPENSSL_free(hdr), OPENSSL_free(body);
        if (rc != STIRMLS_R_OK)
            break;
    }
    ERR_clear_error();
    BIO_free(bio);
    if (rc == STIRMLS_R_OK && out->n == 0)
        rc = stirmls_fail(d, STIRMLS_R_PEM_INVALID, "no CERTIFICATE PEM block");
    return rc;
}

stirmls_reason stirmls_cert_list_parse(const uint8_t *data, size_t len, stirmls_cert_list *out, stirmls_detail *d)
{
    return stirmls_certcache_list_parse(NULL, data, len, out, d);
}

stirmls_reason stirmls_certcache_list_parse(stirmls_certcache *cc, const uint8_t *data, size_t len,
                                            stirmls_cert_list *out, stirmls_detail *d)
{
    stirmls_reason rc;
    if (len > INT_MAX)
        return stirmls_fail(d, STIRMLS_R_LENGTH_LIMIT, "input too large");
    if (looks_pem(data, len)) {
        rc = parse_pem(cc, data, len, out, d);
    } else if (len > 0 && data[0] == 0x30) {
        stirmls_cert *c;
        rc = stirmls_certcache_parse(cc, data, len, &c, d);
        if (rc == STIRMLS_R_OK)
            rc = stirmls_cert_list_push(out, c);
    } else {
        rc = stirmls_fail(d, STIRMLS_R_PEM_INVALID, "neither a PEM certificate nor DER");
    }
    if (rc != STIRMLS_R_OK)
        stirmls_cert_list_cleanup(out);
    return rc;
}
