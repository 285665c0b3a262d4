/*
 * tnauthlist.c: strict DER decode and encode of TNAuthList (RFC 8226 §9; TNA-02, TNA-03).
 * Coverage and encompassing live in tnauthlist_cover.c.
 */
#include <stdlib.h>
#include <string.h>
#include "stirmls/der.h"
#include "stirmls/tnauthlist.h"
#include "stirmls/mutant.h"

stirmls_tnauthlist *stirmls_tnauthlist_new(void)
{
    return calloc(1, sizeof(stirmls_tnauthlist));
}

void stirmls_tnauthlist_free(stirmls_tnauthlist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->entries[i].value);
    free(l->entries);
    free(l);
}

int stirmls_tn_valid(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || n > STIRMLS_TN_MAX)
        return 0;
    return strspn(t, "0123456789*#") == n;
}

static stirmls_reason check_entry(stirmls_tna_type t, const char *v, uint64_t count)
{
    switch (t) {
    case STIRMLS_TNA_SPC:
        if (v[0] == 0)
            return STIRMLS_R_TNAUTH_BAD_SPC;
        return strlen(v) > STIRMLS_SPC_MAX ? STIRMLS_R_LENGTH_LIMIT : STIRMLS_R_OK;
    case STIRMLS_TNA_RANGE:
        if (!stirmls_tn_valid(v))
            return STIRMLS_R_TNAUTH_BAD_TN;
#if STIRMLS_MUTANT_ID == 5 /* mutant 5: accept range count 1 */
        return count < 1 ? STIRMLS_R_TNAUTH_RANGE_COUNT : STIRMLS_R_OK;
#else
        return count < 2 ? STIRMLS_R_TNAUTH_RANGE_COUNT : STIRMLS_R_OK;
#endif
    case STIRMLS_TNA_ONE:
        return stirmls_tn_valid(v) ? STIRMLS_R_OK : STIRMLS_R_TNAUTH_BAD_TN;
    }
    return STIRMLS_R_TNAUTH_BAD_TAG;
}

stirmls_reason stirmls_tnauthlist_add(stirmls_tnauthlist *l, stirmls_tna_type t, const char *value,
                                      uint64_t count)
{
    stirmls_reason rc = check_entry(t, value, count);
    if (rc != STIRMLS_R_OK)
        return rc;
    stirmls_tna_entry *e = realloc(l->entries, (l->n + 1) * sizeof *e);
    if (!e)
        return STIRMLS_R_INTERNAL;
    l->entries = e;
    char *copy = strdup(value);
    if (!copy)
        return STIRMLS_R_INTERNAL;
    e[l->n].type = t;
    e[l->n].value = copy;
    e[l->n].count = t == STIRMLS_TNA_RANGE ? count : 0;
    l->n++;
    return STIRMLS_R_OK;
}

/* ---- decode ----------------------------------------------------------------------------- */

/* An IA5String; another universal string type is TNAUTH_BAD_STRING_TYPE. Copies to a C string. */
static stirmls_reason read_ia5(stirmls_reader *r, char *out, size_t cap, stirmls_reason bad,
                               stirmls_detail *d)
{
    size_t at = stirmls_reader_pos(r);
    uint8_t tag;
    stirmls_reason rc = stirmls_der_peek_tag(r, &tag);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, at, "missing string");
    if (tag != STIRMLS_DER_IA5STRING)
        return stirmls_fail_at(d, STIRMLS_R_TNAUTH_BAD_STRING_TYPE, at, "tag 0x%02X where IA5String (0x16) is required", tag);
    stirmls_slice s;
    rc = stirmls_der_string(r, STIRMLS_DER_IA5STRING, &s);
    if (rc == STIRMLS_R_DER_MALFORMED)
        rc = bad;
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, at, "bad IA5String");
    if (s.len >= cap)
        return stirmls_fail_at(d, bad == STIRMLS_R_TNAUTH_BAD_TN ? bad : STIRMLS_R_LENGTH_LIMIT, at,
                               "string of %zu characters is too long", s.len);
    if (memchr(s.ptr, 0, s.len))
        return stirmls_fail_at(d, bad, at, "NUL character in string");
    memcpy(out, s.ptr, s.len);
    out[s.len] = 0;
    return STIRMLS_R_OK;
}

static stirmls_reason read_range(stirmls_reader *body, char *start, uint64_t *count, stirmls_detail *d)
{
    size_t at = stirmls_reader_pos(body);
    stirmls_reader seq;
    uint8_t tag;
    stirmls_reason rc = stirmls_der_peek_tag(body, &tag);
    if (rc == STIRMLS_R_OK && tag == STIRMLS_DER_IA5STRING)
        return stirmls_fail_at(d, STIRMLS_R_TNAUTH_IMPLICIT_TAG, at, "range [1] holds the fields directly (implicit tag)");
    if (rc == STIRMLS_R_OK)
        rc = stirmls_der_expect(body, STIRMLS_DER_SEQUENCE, &seq);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, at, "range is not a SEQUENCE");
    rc = read_ia5(&seq, start, STIRMLS_TN_MAX + 1, STIRMLS_R_TNAUTH_BAD_TN, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    if (!stirmls_tn_valid(start))
        return stirmls_fail_at(d, STIRMLS_R_TNAUTH_BAD_TN, at, "range start \"%s\" is not a telephone number", start);
    at = stirmls_reader_pos(&seq);
    uint64_t c;
    int negative;
    rc = stirmls_der_uint64(&seq, &c, &negative);
    if (rc == STIRMLS_R_UNSUPPORTED)
        return stirmls_fail_at(d, rc, at, "range count above 2^64-1");
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, at, "range count is not a DER INTEGER");
    if (negative)
        return stirmls_fail_at(d, STIRMLS_R_TNAUTH_RANGE_COUNT, at, "range count is negative");
#if STIRMLS_MUTANT_ID == 5 /* mutant 5: accept range count 1 */
    if (c < 1)
#else
    if (c < 2)
#endif
        return stirmls_fail_at(d, STIRMLS_R_TNAUTH_RANGE_COUNT, at, "range count %llu is below 2", (unsigned long long)c);
    while (stirmls_reader_left(&seq)) { /* the `...` marker: skip well-formed extension TLVs */
        stirmls_reader skip;
        at = stirmls_reader_pos(&seq);
        rc = stirmls_der_tlv(&seq, &tag, &skip);
        if (rc != STIRMLS_R_OK)
            return stirmls_fail_at(d, rc, at, "range extension element does not parse");
    }
    *count = c;
    return STIRMLS_R_OK;
}

static stirmls_reason read_entry(stirmls_reader *r, stirmls_tnauthlist *l, stirmls_detail *d)
{
    size_t at = stirmls_reader_pos(r);
    uint8_t tag;
    stirmls_reader body;
    stirmls_reason rc = stirmls_der_tlv(r, &tag, &body);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, at, "entry does not parse");
    if (tag == 0x80 || tag == 0x81 || tag == 0x82)
        return stirmls_fail_at(d, STIRMLS_R_TNAUTH_IMPLICIT_TAG, at, "entry tag 0x%02X is implicit; RFC 8226 uses explicit tags", tag);
    if (tag < 0xA0 || tag > 0xA2)
        return stirmls_fail_at(d, STIRMLS_R_TNAUTH_BAD_TAG, at, "unknown TNEntry tag 0x%02X", tag);
    char v[STIRMLS_SPC_MAX + 1];
    uint64_t count = 0;
    stirmls_tna_type type = (stirmls_tna_type)(tag & 0x1F);
    if (type == STIRMLS_TNA_RANGE)
        rc = read_range(&body, v, &count, d);
    else
        rc = read_ia5(&body, v, type == STIRMLS_TNA_ONE ? STIRMLS_TN_MAX + 1 : sizeof v,
                      type == STIRMLS_TNA_ONE ? STIRMLS_R_TNAUTH_BAD_TN : STIRMLS_R_TNAUTH_BAD_SPC, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    if (stirmls_reader_left(&body))
        return stirmls_fail_at(d, STIRMLS_R_TRAILING_BYTES, stirmls_reader_pos(&body), "bytes after the entry's value");
    rc = stirmls_tnauthlist_add(l, type, v, count);
    if (rc != STIRMLS_R_OK)
        return stirmls_fail_at(d, rc, at, "entry value \"%s\" is invalid", v);
    return STIRMLS_R_OK;
}

stirmls_reason stirmls_tnauthlist_decode(const uint8_t *der, size_t len, stirmls_tnauthlist **out,
                                         stirmls_detail *d)
{
    stirmls_reason rc = STIRMLS_R_OK;
    stirmls_reader r, seq;
    stirmls_tnauthlist *l = stirmls_tnauthlist_new();
    if (!l)
        return stirmls_fail(d, STIRMLS_R_INTERNAL, "out of memory");
    stirmls_reader_init(&r, der, len);
    rc = stirmls_der_expect(&r, STIRMLS_DER_SEQUENCE, &seq);
    if (rc != STIRMLS_R_OK) {
        stirmls_fail_at(d, rc, 0, "TNAuthList is not a DER SEQUENCE");
        goto out;
    }
    if (stirmls_reader_left(&r)) {
        rc = stirmls_fail_at(d, STIRMLS_R_TRAILING_BYTES, stirmls_reader_pos(&r), "bytes after the TNAuthList");
        goto out;
    }
    if (stirmls_reader_left(&seq) == 0) {
        rc = stirmls_fail_at(d, STIRMLS_R_TNAUTH_EMPTY, 0, "TNAuthList has no entries");
        goto out;
    }
    while (stirmls_reader_left(&seq))
        STIRMLS_TRY(read_entry(&seq, l, d));
out:
    if (rc != STIRMLS_R_OK) {
        stirmls_tnauthlist_free(l);
        return rc;
    }
    *out = l;
    return STIRMLS_R_OK;
}

/* ---- encode ----------------------------------------------------------------------------- */

stirmls_reason stirmls_tnauthlist_encode(const stirmls_tnauthlist *l, stirmls_buf *b)
{
    if (l->n == 0)
        return STIRMLS_R_TNAUTH_EMPTY;
    size_t seq = stirmls_der_open(b, STIRMLS_DER_SEQUENCE);
    for (size_t i = 0; i < l->n; i++) {
        const stirmls_tna_entry *e = &l->entries[i];
        size_t ctx = stirmls_der_open(b, STIRMLS_DER_CTX_CONS(e->type));
        if (e->type == STIRMLS_TNA_RANGE) {
            size_t rs = stirmls_der_open(b, STIRMLS_DER_SEQUENCE);
            stirmls_der_put_tlv(b, STIRMLS_DER_IA5STRING, e->value, strlen(e->value));
            stirmls_der_put_uint(b, e->count);
            stirmls_der_close(b, rs);
        } else {
            stirmls_der_put_tlv(b, STIRMLS_DER_IA5STRING, e->value, strlen(e->value));
        }
        stirmls_der_close(b, ctx);
    }
    stirmls_der_close(b, seq);
    return stirmls_buf_status(b);
}
