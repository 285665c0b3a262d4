/*
 * chaincache.h: a bounded cache of accepted certificate-chain validations (docs/performance.md,
 * "Chain-validation cache").
 *
 * A KeyPackage or PASSporT verification whose signer chain was already validated under the same
 * inputs skips the path validation (and its ECDSA certificate-signature checks), the TNAuthList
 * decoding and the delegation rule, and gets back the same stirmls_chain_result; the reference-TN
 * check (stirmls_chain_check_tn, a look at the leaf's TNAuthList) runs after every lookup.
 *
 *   stirmls_chaincache *cache = stirmls_chaincache_new(256);  // owned
 *   stirmls_auth_opts ao;
 *   stirmls_auth_opts_init(&ao, trust, at);
 *   ao.cache = cache;                                         // borrowed by every verification
 *   ... stirmls_auth_chain / stirmls_auth_passport / the MLS validators (binding.h: b.auth.cache) ...
 *   stirmls_chaincache_free(cache);
 *
 * The key is the exact bytes of everything stirmls_chain_verify reads: the DER of every presented
 * certificate in order, the trust anchors (stirmls_trust_digest: their DER, in order), the trusted
 * SPCs in order, the anchor flags and the effective maximum path length; not the reference TN, so
 * members with different numbers under one carrier's certificates share an entry (a chain that
 * validates is stored even when the number then fails, TN_NOT_COVERED / SPC_NOT_TRUSTED, and the
 * verdict is the uncached one either way). An entry also holds the
 * validity window of the validated path (the latest notBefore and the earliest notAfter over every
 * certificate of the path, trust anchor included); it is reused only for an evaluation time inside
 * that window, both ends inclusive as the validator is. Everything else the validation checks does
 * not depend on the time. Only accepts are cached: a reject is recomputed every time.
 *
 * Capacity is a number of entries; when full, the least recently used entry is evicted (by a
 * counter of lookups, no clock). Thread-safe: one cache may serve every thread of a process (a
 * mutex guards the table; a validation runs outside it, so two threads that miss on the same
 * chain at once both validate it and one entry is kept).
 */
#ifndef STIRMLS_CHAINCACHE_H
#define STIRMLS_CHAINCACHE_H

#include "stirmls/chain.h"

typedef struct stirmls_chaincache stirmls_chaincache; /* opaque; owned; stirmls_chaincache_free */

/* A cache of at most `capacity` chains (0: a cache that never stores). NULL on allocation failure. */
stirmls_chaincache *stirmls_chaincache_new(size_t capacity);
void stirmls_chaincache_free(stirmls_chaincache *c);
/* Lookups so far: answered from the cache (hits) and validated in full (misses). Either pointer
 * may be NULL. */
void stirmls_chaincache_stats(const stirmls_chaincache *c, uint64_t *hits, uint64_t *misses);
/* Entries held now. */
size_t stirmls_chaincache_size(const stirmls_chaincache *c);

/* stirmls_chain_verify through the cache, with the same contract and the same output: on a hit
 * *res is a copy of the stored result (owned by the caller as usual), on a miss the chain is
 * validated and an accept is stored. c NULL: plain stirmls_chain_verify. */
STIRMLS_MUST_USE stirmls_reason stirmls_chaincache_verify(stirmls_chaincache *c, stirmls_cert *const *chain,
                                                          size_t n, const stirmls_chain_opts *o,
                                                          stirmls_chain_result *res, stirmls_detail *d);

#endif
