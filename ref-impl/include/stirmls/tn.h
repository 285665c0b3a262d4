/*
 * tn.h: telephone numbers in the canonical form of RFC 8224 §8.3 (PPT-11): 1 to 15 characters of
 * 0-9 * #, no '+', no visual separators.
 */
#ifndef STIRMLS_TN_H
#define STIRMLS_TN_H

#include "stirmls/base.h"

#define STIRMLS_TN_MAX 15

/* 1 when s[0..len) is already canonical (1-15 of 0-9*#), else 0. */
int stirmls_tn_is_canonical(const char *s, size_t len);
/* Canonicalise a reference identifier: an optional "tel:" scheme (case-insensitive), a leading
 * '+', and the visual separators - . ( ) and space are dropped ("tel:+1-215-555-1212" ->
 * "12155551212"). tel: URI parameters (';...') and anything else outside 0-9*# are refused
 * (PPT_TN_NONCANONICAL), as is a result that is empty or longer than 15. out receives a
 * NUL-terminated string. No local dialing plan is applied. */
STIRMLS_MUST_USE stirmls_reason stirmls_tn_canonicalize(const char *s, size_t len,
                                                        char out[STIRMLS_TN_MAX + 1],
                                                        stirmls_detail *d);

#endif
