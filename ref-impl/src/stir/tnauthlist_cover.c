/*
 * tnauthlist_cover.c: coverage (TNA-05, TNA-07) and encompassing (RFC 9060, DLG-03).
 *
 * Every all-digit TN of length L is the integer it spells, tagged with L. A range is the closed
 * interval [start, min(start + count - 1, 10^L - 1)] at length L (no carry into an extra digit).
 * An issuer's one/range entries become a sorted, merged set of intervals per length, and a
 * subject entry is encompassed when one merged interval of its length contains it. TNs holding
 * '*' or '#' match only a `one` entry with the same string; ranges starting with them cover nothing.
 */
#include <stdlib.h>
#include <string.h>
#include "stirmls/tnauthlist.h"
#include "stirmls/mutant.h"

typedef struct span {
    unsigned len; /* number of digits */
    uint64_t lo, hi;
} span;

static int all_digits(const char *t)
{
    return t[0] && strspn(t, "0123456789") == strlen(t);
}

static uint64_t pow10u(unsigned n)
{
    uint64_t v = 1;
    while (n--)
        v *= 10;
    return v;
}

static uint64_t to_u64(const char *t)
{
    uint64_t v = 0;
    for (; *t; t++)
        v = v * 10 + (uint64_t)(*t - '0');
    return v;
}

/* The numeric interval of an entry; 0 when it has none (SPC, or a TN with * or #). */
static int entry_span(const stirmls_tna_entry *e, span *s)
{
    if (e->type == STIRMLS_TNA_SPC || !all_digits(e->value))
        return 0;
    s->len = (unsigned)strlen(e->value);
    s->lo = to_u64(e->value);
    uint64_t max = pow10u(s->len) - 1;
#if STIRMLS_MUTANT_ID == 4 /* mutant 4: off-by-one at a range end */
    uint64_t extra = e->type == STIRMLS_TNA_RANGE ? e->count : 0;
#else
    uint64_t extra = e->type == STIRMLS_TNA_RANGE ? e->count - 1 : 0;
#endif
    s->hi = extra > max - s->lo ? max : s->lo + extra;
    return 1;
}

static int span_cmp(const void *a, const void *b)
{
    const span *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    return 0;
}

/* The merged intervals of l's numeric entries (owned, free()); *n set. NULL with *n = 0 when none. */
static span *merged_spans(const stirmls_tnauthlist *l, size_t *n)
{
    span *v = l->n ? malloc(l->n * sizeof *v) : NULL;
    size_t k = 0;
    *n = 0;
    if (!v)
        return NULL;
    for (size_t i = 0; i < l->n; i++)
        k += (size_t)entry_span(&l->entries[i], &v[k]);
    qsort(v, k, sizeof *v, span_cmp);
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (m && v[m - 1].len == v[i].len && v[i].lo <= v[m - 1].hi + 1) {
            if (v[i].hi > v[m - 1].hi)
                v[m - 1].hi = v[i].hi;
        } else {
            v[m++] = v[i];
        }
    }
    *n = m;
    return v;
}

static int spans_contain(const span *v, size_t n, const span *s)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].len == s->len && v[i].lo <= s->lo && s->hi <= v[i].hi)
            return 1;
    return 0;
}

static int has_one(const stirmls_tnauthlist *l, const char *t)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->entries[i].type == STIRMLS_TNA_ONE && strcmp(l->entries[i].value, t) == 0)
            return 1;
    return 0;
}

int stirmls_tnauthlist_covers(const stirmls_tnauthlist *l, const char *t)
{
    if (!stirmls_tn_valid(t))
        return 0;
    if (has_one(l, t))
        return 1;
    if (!all_digits(t))
        return 0;
    stirmls_tna_entry probe = {STIRMLS_TNA_ONE, (char *)t, 0};
    span s, e;
    entry_span(&probe, &s);
    for (size_t i = 0; i < l->n; i++)
        if (entry_span(&l->entries[i], &e) && e.len == s.len && e.lo <= s.lo && s.lo <= e.hi)
            return 1;
    return 0;
}

int stirmls_tnauthlist_has_spc(const stirmls_tnauthlist *l, const char *x)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->entries[i].type == STIRMLS_TNA_SPC && strcmp(l->entries[i].value, x) == 0)
            return 1;
    return 0;
}

size_t stirmls_tnauthlist_count(const stirmls_tnauthlist *l, stirmls_tna_type t)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->entries[i].type == t;
    return n;
}

int stirmls_spc_trusted(const stirmls_spc_trust *t, const char *spc)
{
    for (size_t i = 0; t && i < t->n; i++)
        if (strcmp(t->spc[i], spc) == 0)
            return 1;
    return 0;
}

/* A range starting with * or #: encompassed only by an identical-start range at least as long. */
static int symbol_range_within(const stirmls_tnauthlist *I, const stirmls_tna_entry *e)
{
    for (size_t i = 0; i < I->n; i++) {
        const stirmls_tna_entry *p = &I->entries[i];
        if (p->type == STIRMLS_TNA_RANGE && strcmp(p->value, e->value) == 0 && p->count >= e->count)
            return 1;
    }
    return 0;
}

static int tn_entry_within(const stirmls_tnauthlist *I, const span *v, size_t nv, const stirmls_tna_entry *e)
{
    span s;
    if (entry_span(e, &s))
        return spans_contain(v, nv, &s);
    return e->type == STIRMLS_TNA_ONE ? has_one(I, e->value) : symbol_range_within(I, e);
}

static int any_spc_trusted(const stirmls_tnauthlist *I, const stirmls_spc_trust *trust)
{
    for (size_t i = 0; i < I->n; i++)
        if (I->entries[i].type == STIRMLS_TNA_SPC && stirmls_spc_trusted(trust, I->entries[i].value))
            return 1;
    return 0;
}

stirmls_reason stirmls_tnauthlist_encompasses(const stirmls_tnauthlist *I, const stirmls_tnauthlist *S,
                                              const stirmls_spc_trust *trust, int *carrier_asserted)
{
    size_t nv = 0;
    span *v = merged_spans(I, &nv);
    if (!v && I->n)
        return STIRMLS_R_INTERNAL;
    int spc_only = stirmls_tnauthlist_count(I, STIRMLS_TNA_SPC) == I->n;
    int asserted = 0;
    stirmls_reason rc = STIRMLS_R_OK;
    for (size_t i = 0; i < S->n && rc == STIRMLS_R_OK; i++) {
        const stirmls_tna_entry *e = &S->entries[i];
        if (e->type == STIRMLS_TNA_SPC) {
            if (!stirmls_tnauthlist_has_spc(I, e->value))
                rc = STIRMLS_R_DELEGATION_NOT_ENCOMPASSED;
        } else if (spc_only) {
            if (any_spc_trusted(I, trust))
                asserted = 1;
            else
                rc = STIRMLS_R_DELEGATION_SPC_PARENT;
#if STIRMLS_MUTANT_ID == 3 /* mutant 3: skip delegation containment */
        } else if (0 && (!tn_entry_within(I, v, nv, e))) {
#else
        } else if (!tn_entry_within(I, v, nv, e)) {
#endif
            rc = STIRMLS_R_DELEGATION_NOT_ENCOMPASSED;
        }
    }
    free(v);
    if (rc == STIRMLS_R_OK && asserted && carrier_asserted)
        *carrier_asserted = 1;
    return rc;
}
