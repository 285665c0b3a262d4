/*
 * tnauthlist.h: the TNAuthList certificate extension (RFC 8226 §9, OID 1.3.6.1.5.5.7.1.26).
 *
 *   TNAuthorizationList ::= SEQUENCE SIZE (1..MAX) OF TNEntry
 *   TNEntry ::= CHOICE { spc [0] ServiceProviderCode, range [1] TelephoneNumberRange,
 *                        one [2] TelephoneNumber }            -- EXPLICIT tags (TNA-03)
 *   TelephoneNumberRange ::= SEQUENCE { start TelephoneNumber, count INTEGER (2..MAX), ... }
 *   TelephoneNumber ::= IA5String (SIZE (1..15)) (FROM ("0123456789#*"))
 *
 * Decoding is strict (reasons TNAUTH_*, TRUNCATED, TRAILING_BYTES, DER_*). Unknown elements after
 * `count` inside a range (the `...` extension marker) must be well-formed TLVs and are skipped.
 *
 * Ranges (TNA-05, project position): a range covers start, start+1, ... start+count-1 read as a
 * decimal number of the SAME number of digits as start (no carry into an extra digit, leading
 * zeros kept). A range whose start holds '*' or '#' covers no number. Coverage and encompassing
 * are computed by sorting and merging intervals per digit length, never by looping over numbers.
 */
#ifndef STIRMLS_TNAUTHLIST_H
#define STIRMLS_TNAUTHLIST_H

#include "stirmls/base.h"

#define STIRMLS_TNAUTHLIST_OID "1.3.6.1.5.5.7.1.26"
#define STIRMLS_TN_MAX 15
#define STIRMLS_SPC_MAX 255 /* longer SPCs are rejected with LENGTH_LIMIT */

typedef enum stirmls_tna_type {
    STIRMLS_TNA_SPC = 0,   /* [0] */
    STIRMLS_TNA_RANGE = 1, /* [1] */
    STIRMLS_TNA_ONE = 2,   /* [2] */
} stirmls_tna_type;

typedef struct stirmls_tna_entry {
    stirmls_tna_type type;
    char *value;    /* owned by the list: the SPC, the TN, or the range start; NUL-terminated */
    uint64_t count; /* range only */
} stirmls_tna_entry;

typedef struct stirmls_tnauthlist {
    size_t n;
    stirmls_tna_entry *entries; /* owned by the list */
} stirmls_tnauthlist;

/* An empty list (owned; stirmls_tnauthlist_free). NULL on allocation failure. */
stirmls_tnauthlist *stirmls_tnauthlist_new(void);
void stirmls_tnauthlist_free(stirmls_tnauthlist *l);
/* Append an entry (value is copied). Checks the same rules as the decoder (TNAUTH_BAD_TN,
 * TNAUTH_RANGE_COUNT, TNAUTH_BAD_SPC). */
STIRMLS_MUST_USE stirmls_reason stirmls_tnauthlist_add(stirmls_tnauthlist *l, stirmls_tna_type t,
                                                       const char *value, uint64_t count);
/* Decode the extension value (the DER inside the OCTET STRING). *out owned on success. */
STIRMLS_MUST_USE stirmls_reason stirmls_tnauthlist_decode(const uint8_t *der, size_t len,
                                                          stirmls_tnauthlist **out, stirmls_detail *d);
/* Encode to DER; appends to b. TNAUTH_EMPTY for an empty list. */
STIRMLS_MUST_USE stirmls_reason stirmls_tnauthlist_encode(const stirmls_tnauthlist *l, stirmls_buf *b);

/* 1 if t is a telephone number in canonical form (1-15 of 0-9*#), else 0. */
int stirmls_tn_valid(const char *t);
/* 1 if the list's one/range entries cover TN t (SPC entries never cover; TNA-06/07). */
int stirmls_tnauthlist_covers(const stirmls_tnauthlist *l, const char *t);
/* 1 if l holds spc(x) exactly (byte comparison). */
int stirmls_tnauthlist_has_spc(const stirmls_tnauthlist *l, const char *x);
/* Counts of entries by kind. */
size_t stirmls_tnauthlist_count(const stirmls_tnauthlist *l, stirmls_tna_type t);

/* The SPCs a verifier trusts for telephone numbers (--trust-spc); borrowed strings. */
typedef struct stirmls_spc_trust {
    const char *const *spc;
    size_t n;
} stirmls_spc_trust;

int stirmls_spc_trusted(const stirmls_spc_trust *t, const char *spc);

/*
 * Does issuer list I encompass subject list S (RFC 9060, DLG-03)?
 *   OK                          every entry of S lies within I;
 *   DELEGATION_NOT_ENCOMPASSED  some entry does not (spc(x) needs spc(x) in I, byte-exact);
 *   DELEGATION_SPC_PARENT       S has TN entries, I has only SPC entries and none of them is
 *                               trusted; when one is trusted the result is OK and
 *                               *carrier_asserted is set to 1.
 * `trust` and `carrier_asserted` may be NULL.
 */
STIRMLS_MUST_USE stirmls_reason stirmls_tnauthlist_encompasses(const stirmls_tnauthlist *I,
                                                               const stirmls_tnauthlist *S,
                                                               const stirmls_spc_trust *trust,
                                                               int *carrier_asserted);

#endif
