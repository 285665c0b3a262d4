/*
 * certview.c: decoded views of a case's certificates, for index.html and `explain`. libcrypto's
 * X.509 reader and printers only (the harness links it already); nothing of the reference
 * implementation. The STIR extensions OpenSSL has no printer for are shown as their ASN.1
 * structure (JWT Claim Constraints, RFC 8226 §8), TNAuthList (RFC 8226 §9) with its entries first.
 */
#include "harness.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OID_TNAUTHLIST "1.3.6.1.5.5.7.1.26"
#define OID_JWTCLAIMCONSTRAINTS "1.3.6.1.5.5.7.1.27"

static json_t *bio_text(BIO *b)
{
    char *p = NULL;
    long n = BIO_get_mem_data(b, &p);
    char *clean = hx_utf8_clean(p ? p : "", n > 0 ? (size_t)n : 0, 16384);
    size_t len = strlen(clean);
    while (len > 0 && (clean[len - 1] == '\n' || clean[len - 1] == ' '))
        clean[--len] = '\0';
    json_t *s = json_string(clean);
    free(clean);
    BIO_free(b);
    return s;
}

static json_t *name_text(const X509_NAME *n)
{
    BIO *b = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    return bio_text(b);
}

static json_int_t unix_time(const ASN1_TIME *t)
{
    struct tm tm;
    return ASN1_TIME_to_tm(t, &tm) == 1 ? (json_int_t)timegm(&tm) : 0;
}

static json_t *time_text(const ASN1_TIME *t)
{
    BIO *b = BIO_new(BIO_s_mem());
    ASN1_TIME_print_ex(b, t, ASN1_DTFLGS_ISO8601);
    return bio_text(b);
}

/* One DER element at *p (within end): its tag number and class, content and length; false if
 * it does not parse. */
static bool der_next(const unsigned char **p, const unsigned char *end, int *tag, int *cls,
                     const unsigned char **content, long *len)
{
    const unsigned char *q = *p;
    int ret = ASN1_get_object(&q, len, tag, cls, (long)(end - *p));
    if (ret & 0x80 || *len > end - q)
        return false;
    *content = q;
    *p = q + *len;
    return true;
}

/* TNAuthList (RFC 8226 §9): SEQUENCE OF [0] spc, [1] range {start, count}, [2] one, one entry a
 * line, then the ASN.1 structure; NULL when it is not that shape (the structure alone is shown). */
static char *tnauthlist_text(const unsigned char *der, long n)
{
    const unsigned char *p = der, *seq, *c;
    long len, clen;
    int tag, cls;
    if (!der_next(&p, der + n, &tag, &cls, &seq, &len) || tag != V_ASN1_SEQUENCE)
        return NULL;
    char *out = hx_strdup("");
    for (const unsigned char *q = seq; q < seq + len;) {
        if (!der_next(&q, seq + len, &tag, &cls, &c, &clen) || cls != V_ASN1_CONTEXT_SPECIFIC || tag > 2) {
            free(out);
            return NULL;
        }
        char *entry = NULL;
        const unsigned char *s = c, *v;
        long vlen;
        int t2, c2;
        if (tag == 0 || tag == 2) { /* [0] ServiceProviderCode / [2] TelephoneNumber: an IA5String */
            if (der_next(&s, c + clen, &t2, &c2, &v, &vlen))
                entry = hx_printf("%s %.*s", tag == 0 ? "spc" : "one", (int)vlen, (const char *)v);
        } else if (der_next(&s, c + clen, &t2, &c2, &v, &vlen) && t2 == V_ASN1_SEQUENCE) { /* [1] range */
            const unsigned char *r = v, *sv, *cv;
            long sl, cl;
            int t3, c3, t4, c4;
            if (der_next(&r, v + vlen, &t3, &c3, &sv, &sl) && der_next(&r, v + vlen, &t4, &c4, &cv, &cl) &&
                t4 == V_ASN1_INTEGER && cl > 0 && cl <= 8) {
                unsigned long long count = 0;
                for (long k = 0; k < cl; k++)
                    count = count << 8 | cv[k];
                entry = hx_printf("range %.*s count %llu", (int)sl, (const char *)sv, count);
            }
        }
        if (!entry) {
            free(out);
            return NULL;
        }
        char *next = hx_printf("%s%s\n", out, entry);
        free(out);
        free(entry);
        out = next;
    }
    return out;
}

/* An extension's value: OpenSSL's printer, or (TNAuthList) its entries, or the ASN.1 structure. */
static json_t *ext_text(X509_EXTENSION *ext)
{
    BIO *b = BIO_new(BIO_s_mem());
    char oid[80];
    OBJ_obj2txt(oid, sizeof oid, X509_EXTENSION_get_object(ext), 1);
    const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(ext);
    char *tn = strcmp(oid, OID_TNAUTHLIST) == 0
                   ? tnauthlist_text(ASN1_STRING_get0_data(data), ASN1_STRING_length(data)) : NULL;
    if (tn) { /* the entries, then the structure they were read from */
        BIO_puts(b, tn);
        free(tn);
        ASN1_parse_dump(b, ASN1_STRING_get0_data(data), ASN1_STRING_length(data), 2, 0);
    } else if (X509V3_EXT_print(b, ext, 0, 0) <= 0) {
        (void)BIO_reset(b);
        const ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(ext);
        ASN1_parse_dump(b, ASN1_STRING_get0_data(v), ASN1_STRING_length(v), 2, 0);
    }
    return bio_text(b);
}

/* The view's key for an extension, when it is one of the fields a case can be about. */
static const char *ext_key(const ASN1_OBJECT *o)
{
    char oid[80];
    OBJ_obj2txt(oid, sizeof oid, o, 1);
    int nid = OBJ_obj2nid(o);
    return nid == NID_basic_constraints ? "basic_constraints"
         : nid == NID_key_usage ? "key_usage"
         : strcmp(oid, OID_TNAUTHLIST) == 0 ? "tnauthlist"
         : strcmp(oid, OID_JWTCLAIMCONSTRAINTS) == 0 ? "jwt_claim_constraints"
                                                   : NULL;
}

json_t *hx_cert_view(const char *pem, const char *role)
{
    BIO *in = BIO_new_mem_buf(pem, -1);
    X509 *x = PEM_read_bio_X509(in, NULL, NULL, NULL);
    BIO_free(in);
    if (!x)
        return json_pack("{s:s,s:s}", "role", role, "error", "not a PEM certificate OpenSSL reads");
    json_t *v = json_pack("{s:s,s:o,s:o,s:o,s:o}", "role", role, "subject", name_text(X509_get_subject_name(x)),
                          "issuer", name_text(X509_get_issuer_name(x)), "not_before",
                          time_text(X509_get0_notBefore(x)), "not_after", time_text(X509_get0_notAfter(x)));
    json_object_set_new(v, "not_before_unix", json_integer(unix_time(X509_get0_notBefore(x))));
    json_object_set_new(v, "not_after_unix", json_integer(unix_time(X509_get0_notAfter(x))));
    json_t *others = json_array();
    for (int i = 0; i < X509_get_ext_count(x); i++) {
        X509_EXTENSION *ext = X509_get_ext(x, i);
        const char *key = ext_key(X509_EXTENSION_get_object(ext));
        json_t *text = ext_text(ext);
        if (X509_EXTENSION_get_critical(ext)) {
            json_t *t = json_sprintf("critical: %s", json_string_value(text));
            json_decref(text);
            text = t;
        }
        if (key) {
            json_object_set_new(v, key, text);
            continue;
        }
        char name[80];
        OBJ_obj2txt(name, sizeof name, X509_EXTENSION_get_object(ext), 0);
        json_array_append_new(others, json_pack("{s:s,s:o}", "name", name, "value", text));
    }
    json_object_set_new(v, "other_extensions", others);
    X509_free(x);
    return v;
}

const char *hx_cert_field_of(const char *reason)
{
    static const struct {
        const char *prefix, *field;
    } map[] = {
        {"CERT_EXPIRED", "not_after"},       {"CERT_NOT_YET_VALID", "not_before"},
        {"PPT_SIGNER_EXPIRED", "not_after"}, {"TNAUTH_", "tnauthlist"},
        {"CERT_NO_TNAUTHLIST", "tnauthlist"}, {"CERT_TNAUTHLIST", "tnauthlist"},
        {"TN_NOT_COVERED", "tnauthlist"},    {"DELEGATION_", "tnauthlist"},
        {"SPC_NOT_TRUSTED", "tnauthlist"},   {"CERT_NOT_CA", "basic_constraints"},
        {"CERT_PATH_LENGTH", "basic_constraints"}, {"CERT_KEY_USAGE", "key_usage"},
        {"CERT_JCC", "jwt_claim_constraints"}, {"PPT_JCC", "jwt_claim_constraints"},
        {"CERT_UNTRUSTED", "issuer"},        {"CERT_SIGNATURE", "issuer"},
    };
    for (size_t i = 0; reason && i < sizeof map / sizeof map[0]; i++)
        if (strncmp(reason, map[i].prefix, strlen(map[i].prefix)) == 0)
            return map[i].field;
    return NULL;
}

static void add_pems(json_t *out, const json_t *pems, const char *role)
{
    size_t i;
    json_t *p;
    json_array_foreach(pems, i, p) {
        char *r = hx_printf("%s[%zu]", role, i);
        if (json_is_string(p))
            json_array_append_new(out, hx_cert_view(json_string_value(p), r));
        free(r);
    }
}

json_t *hx_case_cert_views(const json_t *c)
{
    json_t *out = json_array(), *in = json_object_get(c, "input");
    json_t *check_in = json_object_get(json_object_get(c, "check"), "input");
    add_pems(out, json_object_get(in, "chain"), "chain");
    add_pems(out, json_object_get(check_in, "chain"), "check chain");
    const char *url;
    json_t *pems;
    json_object_foreach(json_object_get(in, "x5u_map"), url, pems) {
        char *r = hx_printf("x5u %s", url);
        add_pems(out, pems, r);
        free(r);
    }
    add_pems(out, json_object_get(c, "trust_anchors"), "trust anchor");
    const char *field = hx_cert_field_of(json_string_value(json_object_get(json_object_get(c, "expect"), "reason")));
    /* the field the case is about; for a validity bound, on the certificates outside it at `at` */
    json_int_t at = json_integer_value(json_object_get(c, "at"));
    size_t i, hits = 0;
    json_t *v;
    for (int pass = 0; field && pass < 2 && hits == 0; pass++)
        json_array_foreach(out, i, v) {
            json_int_t nb = json_integer_value(json_object_get(v, "not_before_unix"));
            json_int_t na = json_integer_value(json_object_get(v, "not_after_unix"));
            bool outside = strcmp(field, "not_after") == 0 ? na < at : strcmp(field, "not_before") == 0 ? nb > at
                                                                                                        : true;
            if (json_object_get(v, field) && (outside || pass == 1)) {
                json_object_set_new(v, "about", json_string(field));
                hits++;
            }
        }
    return out;
}
