/* tnauthlist_fuzz.c: the TNAuthList extension value (RFC 8226 §9) decode; round trip: decode,
 * encode, decode again gives the same value, and the encoding is a fixed point. The encoder is
 * canonical except for a range's skipped `...` extension elements: an input without ranges
 * re-encodes to the identical bytes, one with ranges to no more bytes. Whatever decodes also
 * goes through coverage, SPC lookup, the counts and encompassing (itself and a fixed list). */
#include "fuzz.h"

static void same_list(const stirmls_tnauthlist *a, const stirmls_tnauthlist *b)
{
    FUZZ_CHECK(a->n == b->n);
    for (size_t i = 0; i < a->n; i++) {
        FUZZ_CHECK(a->entries[i].type == b->entries[i].type);
        FUZZ_CHECK(strcmp(a->entries[i].value, b->entries[i].value) == 0);
        FUZZ_CHECK(a->entries[i].type != STIRMLS_TNA_RANGE || a->entries[i].count == b->entries[i].count);
    }
}

static void queries(const stirmls_tnauthlist *l)
{
    static const char *const spcs[] = {"709J"};
    const stirmls_spc_trust trust = {spcs, 1};
    int carrier = 0;
    size_t total = 0;
    for (int t = STIRMLS_TNA_SPC; t <= STIRMLS_TNA_ONE; t++)
        total += stirmls_tnauthlist_count(l, (stirmls_tna_type)t);
    FUZZ_CHECK(total == l->n);
    for (size_t i = 0; i < l->n; i++) {
        const stirmls_tna_entry *e = &l->entries[i];
        if (e->type == STIRMLS_TNA_SPC)
            FUZZ_CHECK(stirmls_tnauthlist_has_spc(l, e->value));
        else if (strpbrk(e->value, "*#") == NULL)
            FUZZ_CHECK(stirmls_tnauthlist_covers(l, e->value)); /* a range covers its start */
    }
    (void)stirmls_tnauthlist_covers(l, "12155551212");
    FUZZ_CHECK(stirmls_tnauthlist_encompasses(l, l, NULL, NULL) == STIRMLS_R_OK);
    stirmls_tnauthlist *fixed = stirmls_tnauthlist_new();
    FUZZ_CHECK(fixed != NULL);
    FUZZ_CHECK(stirmls_tnauthlist_add(fixed, STIRMLS_TNA_RANGE, "12155550100", 100) == STIRMLS_R_OK);
    FUZZ_CHECK(stirmls_tnauthlist_add(fixed, STIRMLS_TNA_SPC, "709J", 0) == STIRMLS_R_OK);
    stirmls_reason r = stirmls_tnauthlist_encompasses(fixed, l, &trust, &carrier);
    FUZZ_CHECK(r == STIRMLS_R_OK || r == STIRMLS_R_DELEGATION_NOT_ENCOMPASSED || r == STIRMLS_R_DELEGATION_SPC_PARENT);
    r = stirmls_tnauthlist_encompasses(l, fixed, NULL, NULL);
    FUZZ_CHECK(r == STIRMLS_R_OK || r == STIRMLS_R_DELEGATION_NOT_ENCOMPASSED || r == STIRMLS_R_DELEGATION_SPC_PARENT);
    stirmls_tnauthlist_free(fixed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stirmls_tnauthlist *l = NULL, *l2 = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason r = stirmls_tnauthlist_decode(data, size, &l, &d);
    if (r != STIRMLS_R_OK) {
        FUZZ_CHECK(l == NULL && d.reason == r && (d.offset <= size || d.offset == STIRMLS_NO_OFFSET));
        return 0;
    }
    FUZZ_CHECK(l->n > 0);
    stirmls_buf b, b2;
    stirmls_buf_init(&b);
    stirmls_buf_init(&b2);
    FUZZ_CHECK(stirmls_tnauthlist_encode(l, &b) == STIRMLS_R_OK);
    if (stirmls_tnauthlist_count(l, STIRMLS_TNA_RANGE) == 0)
        FUZZ_SAME(b.ptr, b.len, data, size);
    else
        FUZZ_CHECK(b.len <= size);
    FUZZ_CHECK(stirmls_tnauthlist_decode(b.ptr, b.len, &l2, NULL) == STIRMLS_R_OK);
    same_list(l, l2);
    FUZZ_CHECK(stirmls_tnauthlist_encode(l2, &b2) == STIRMLS_R_OK);
    FUZZ_SAME(b.ptr, b.len, b2.ptr, b2.len);
    queries(l);
    stirmls_tnauthlist_free(l2);
    stirmls_tnauthlist_free(l);
    stirmls_buf_cleanup(&b);
    stirmls_buf_cleanup(&b2);
    return 0;
}
