/*
 * mky.h: the PASSporT `mky` claim binding a PASSporT to one MLS signature key (MKY-01..08).
 *
 * Binding entry: {"alg":"sha-256","dig":"<SHA-256 of the raw signature_key bytes as upper-case
 * hex pairs joined by ':'>"} (95 characters for 32 bytes).
 */
#ifndef STIRMLS_MKY_H
#define STIRMLS_MKY_H

#include "stirmls/base.h"
#include "stirmls/json.h"

#define STIRMLS_MKY_DIG_LEN 95 /* 32 pairs + 31 ':' */

/* dig of the raw signature_key bytes (for suite 0x0002 the 65-byte point); out NUL-terminated;
 * the empty string when the hash could not be computed (out of memory). */
void stirmls_mky_dig(const uint8_t *sigkey, size_t len, char out[STIRMLS_MKY_DIG_LEN + 1]);
/* The binding entry as deterministic JSON text, owned (free()). NULL on allocation failure. */
char *stirmls_mky_entry_json(const uint8_t *sigkey, size_t len);
/* Check a PASSporT's mky claim (NULL when absent) against the key.
 *   MKY_MISSING          no mky claim
 *   MKY_MALFORMED        not a non-empty array of objects with string alg and dig
 *   MKY_DIG_MALFORMED    a sha-256 entry's dig is not 32 hex pairs joined by ':'
 *   MKY_DIG_LOWERCASE    a sha-256 entry's dig uses a-f (strict only; lenient compares either case)
 *   MKY_ALG_UNSUPPORTED  no entry has alg "sha-256" (lenient: any case of it)
 *   MKY_MISMATCH         no sha-256 entry matches the key
 * Entries with other alg values are ignored; one matching entry among several is enough. */
STIRMLS_MUST_USE stirmls_reason stirmls_mky_check(const stirmls_json *mky, const uint8_t *sigkey,
                                                  size_t len, int lenient, stirmls_detail *d);

#endif
