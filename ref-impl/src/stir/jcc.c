/*
 * jcc.c: decode and encode JWTClaimConstraints (RFC 8226) and EnhancedJWTClaimConstraints
 * (RFC 9118) with the strict DER reader. Every decoding failure is CERT_JCC_INVALID; d->text
 * names the underlying reason and d->offset the byte.
 */
#include <stdlib.h>
#include <string.h>
#include "stirmls/der.h"
#include "stirmls/jcc.h"

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void stirmls_jcc_free(stirmls_jcc *j)
{
    if (!j)
        return;
    free_strs(j->must_include, j->n_include);
    free_strs(j->must_exclude, j->n_exclude);
    for (size_t i = 0; i < j->n_permitted; i++) {
        free(j->permitted[i].claim);
        free_strs(j->permitted[i].values, j->permitted[i].n);
    }
    free(j->permitted);
    free(j);
}

static stirmls_reason bad(stirmls_detail *d, stirmls_reason why, const stirmls_reader *r, const char *what)
{
    return stirmls_fail_at(d, STIRMLS_R_CERT_JCC_INVALID, stirmls_reader_pos(r), "%s (%s)", what,
                           stirmls_reason_name(why));
}

static stirmls_reason read_str(stirmls_reader *r, uint8_t tag, char **out, stirmls_detail *d)
{
    stirmls_slice s;
    stirmls_reason rc = stirmls_der_string(r, tag, &s);
    if (rc != STIRMLS_R_OK)
        return bad(d, rc, r, "claim string");
    if (s.len == 0 || memchr(s.ptr, 0, s.len))
        return bad(d, STIRMLS_R_DER_MALFORMED, r, "empty claim string or NUL inside");
    char *v = malloc(s.len + 1);
    if (!v)
        return STIRMLS_R_INTERNAL;
    memcpy(v, s.ptr, s.len);
    v[s.len] = 0;
    *out = v;
    return STIRMLS_R_OK;
}

/* SEQUENCE SIZE (1..MAX) OF <tag> strings. */
static stirmls_reason read_strs(stirmls_reader *r, uint8_t tag, char ***out, size_t *n, stirmls_detail *d)
{
    stirmls_reader seq;
    stirmls_reason rc = stirmls_der_expect(r, STIRMLS_DER_SEQUENCE, &seq);
    if (rc != STIRMLS_R_OK)
        return bad(d, rc, r, "list is not a SEQUENCE");
    if (stirmls_reader_left(&seq) == 0)
        return bad(d, STIRMLS_R_DER_MALFORMED, &seq, "empty list (SIZE (1..MAX))");
    while (stirmls_reader_left(&seq)) {
        char **v = realloc(*out, (*n + 1) * sizeof *v);
        if (!v)
            return STIRMLS_R_INTERNAL;
        *out = v;
        rc = read_str(&seq, tag, &v[*n], d);
        if (rc != STIRMLS_R_OK)
            return rc;
        (*n)++;
    }
    return STIRMLS_R_OK;
}

static stirmls_reason read_permitted(stirmls_reader *r, stirmls_jcc *j, stirmls_detail *d)
{
    stirmls_reader seq, item;
    stirmls_reason rc = stirmls_der_expect(r, STIRMLS_DER_SEQUENCE, &seq);
    if (rc != STIRMLS_R_OK)
        return bad(d, rc, r, "permittedValues is not a SEQUENCE");
    if (stirmls_reader_left(&seq) == 0)
        return bad(d, STIRMLS_R_DER_MALFORMED, &seq, "empty permittedValues");
    while (stirmls_reader_left(&seq)) {
        stirmls_jcc_permitted *p = realloc(j->permitted, (j->n_permitted + 1) * sizeof *p);
        if (!p)
            return STIRMLS_R_INTERNAL;
        j->permitted = p;
        p = &p[j->n_permitted];
        memset(p, 0, sizeof *p);
        j->n_permitted++;
        rc = stirmls_der_expect(&seq, STIRMLS_DER_SEQUENCE, &item);
        if (rc != STIRMLS_R_OK)
            return bad(d, rc, &seq, "permitted entry is not a SEQUENCE");
        rc = read_str(&item, STIRMLS_DER_IA5STRING, &p->claim, d);
        if (rc == STIRMLS_R_OK)
            rc = read_strs(&item, STIRMLS_DER_UTF8STRING, &p->values, &p->n, d);
        if (rc != STIRMLS_R_OK)
            return rc;
        if (stirmls_reader_left(&item))
            return bad(d, STIRMLS_R_TRAILING_BYTES, &item, "bytes after a permitted entry");
    }
    return STIRMLS_R_OK;
}

/* One explicitly tagged field [n] of the outer SEQUENCE. */
static stirmls_reason read_field(stirmls_reader *body, uint8_t n, stirmls_jcc *j, stirmls_detail *d)
{
    stirmls_reason rc;
    if (n == 0)
        rc = read_strs(body, STIRMLS_DER_IA5STRING, &j->must_include, &j->n_include, d);
    else if (n == 1)
        rc = read_permitted(body, j, d);
    else
        rc = read_strs(body, STIRMLS_DER_IA5STRING, &j->must_exclude, &j->n_exclude, d);
    if (rc == STIRMLS_R_OK && stirmls_reader_left(body))
        rc = bad(d, STIRMLS_R_TRAILING_BYTES, body, "bytes inside an explicit tag after its value");
    return rc;
}

static stirmls_reason decode(stirmls_reader *r, stirmls_jcc *j, stirmls_detail *d)
{
    stirmls_reader seq, body;
    stirmls_reason rc = stirmls_der_expect(r, STIRMLS_DER_SEQUENCE, &seq);
    int last = -1;
    uint8_t tag, max = j->enhanced ? 2 : 1;
    if (rc != STIRMLS_R_OK)
        return bad(d, rc, r, "constraints are not a SEQUENCE");
    if (stirmls_reader_left(r))
        return bad(d, STIRMLS_R_TRAILING_BYTES, r, "bytes after the constraints");
    while (stirmls_reader_left(&seq)) {
        rc = stirmls_der_tlv(&seq, &tag, &body);
        if (rc != STIRMLS_R_OK)
            return bad(d, rc, &seq, "field does not parse");
        uint8_t n = tag & 0x1F;
        if ((tag & 0xE0) != 0xA0 || n > max || (int)n <= last)
            return bad(d, STIRMLS_R_DER_MALFORMED, &seq, "unexpected, repeated or out-of-order field tag");
        last = n;
        rc = read_field(&body, n, j, d);
        if (rc != STIRMLS_R_OK)
            return rc;
    }
    if (last < 0)
        return bad(d, STIRMLS_R_DER_MALFORMED, &seq, "no field present (at least one is required)");
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_jcc_decode(const uint8_t *der, size_t len, int enhanced, stirmls_jcc **out,
                                  stirmls_detail *d)
{
    stirmls_reader r;
    stirmls_jcc *j = calloc(1, sizeof *j);
    if (!j)
        return stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
    j->enhanced = enhanced;
    stirmls_reader_init(&r, der, len);
    stirmls_reason rc = decode(&r, j, d);
    if (rc != STIRMLS_R_OK) {
        stirmls_jcc_free(j);
        return rc == STIRMLS_R_INTERNAL ? stirmls_fail(d, rc, "out of memory") : rc;
    }
    *out = j;
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_cert_jcc(const stirmls_cert *c, stirmls_jcc **out, stirmls_detail *d)
{
    stirmls_slice v1, v2;
    int has1 = stirmls_cert_extension(c, STIRMLS_JCC_OID, &v1, NULL);
    int has2 = stirmls_cert_extension(c, STIRMLS_EJCC_OID, &v2, NULL);
    *out = NULL;
    if (has1 && has2)
        return stirmls_fail(d, STIRMLS_R_CERT_JCC_BOTH, "both JWTClaimConstraints and EnhancedJWTClaimConstraints");
    if (stirmls_cert_extension_count(c, STIRMLS_JCC_OID) > 1 || stirmls_cert_extension_count(c, STIRMLS_EJCC_OID) > 1)
        return stirmls_fail(d, STIRMLS_R_CERT_JCC_INVALID, "a JWT claim constraints extension appears twice");
    if (has1)
        return stirmls_jcc_decode(v1.ptr, v1.len, 0, out, d);
    if (has2)
        return stirmls_jcc_decode(v2.ptr, v2.len, 1, out, d);
    return STIRMLS_R_OK;
}

/* ---- encode ----------------------------------------------------------------------------- */

static void put_strs(stirmls_buf *b, uint8_t tag, char *const *v, size_t n)
{
    size_t m = stirmls_der_open(b, STIRMLS_DER_SEQUENCE);
    for (size_t i = 0; i < n; i++)
        stirmls_der_put_tlv(b, tag, v[i], strlen(v[i]));
    stirmls_der_close(b, m);
}

stirmls_reason stirmls_jcc_encode(const stirmls_jcc *j, stirmls_buf *b)
{
    size_t seq = stirmls_der_open(b, STIRMLS_DER_SEQUENCE), m;
    if (j->n_include) {
        m = stirmls_der_open(b, STIRMLS_DER_CTX_CONS(0));
        put_strs(b, STIRMLS_DER_IA5STRING, j->must_include, j->n_include);
        stirmls_der_close(b, m);
    }
    if (j->n_permitted) {
        m = stirmls_der_open(b, STIRMLS_DER_CTX_CONS(1));
        size_t list = stirmls_der_open(b, STIRMLS_DER_SEQUENCE);
        for (size_t i = 0; i < j->n_permitted; i++) {
            size_t item = stirmls_der_open(b, STIRMLS_DER_SEQUENCE);
            stirmls_der_put_tlv(b, STIRMLS_DER_IA5STRING, j->permitted[i].claim, strlen(j->permitted[i].claim));
            put_strs(b, STIRMLS_DER_UTF8STRING, j->permitted[i].values, j->permitted[i].n);
            stirmls_der_close(b, item);
        }
        stirmls_der_close(b, list);
        stirmls_der_close(b, m);
    }
    if (j->enhanced && j->n_exclude) {
        m = stirmls_der_open(b, STIRMLS_DER_CTX_CONS(2));
        put_strs(b, STIRMLS_DER_IA5STRING, j->must_exclude, j->n_exclude);
        stirmls_der_close(b, m);
    }
    stirmls_der_close(b, seq);
    return stirmls_buf_status(b);
}
