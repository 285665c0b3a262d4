/*
 * chain.h: STIR certificate chain validation (RFC 5280 + RFC 8226 + RFC 9060, DLG-03).
 *
 * Typical use (PASSporT and MLS layers):
 *
 *     stirmls_cert_list anchors, chain;            // stirmls_cert_list_parse() of PEM/DER
 *     stirmls_trust *trust;                        // once: stirmls_trust_new(&anchors, &trust)
 *     stirmls_chain_opts o;
 *     stirmls_chain_opts_init(&o, trust, at);      // at: evaluation time, Unix seconds
 *     o.tn = "12155550123";                        // optional reference TN
 *     stirmls_chain_result res;
 *     stirmls_detail d; stirmls_detail_init(&d);
 *     rc = stirmls_chain_verify(chain.certs, chain.n, &o, &res, &d);
 *     ... res.leaf_key, res.identities, res.not_after, res.carrier_asserted ...
 *     stirmls_chain_result_cleanup(&res);
 *
 * Order of checks: path validation (cert.h), then the leaf TNAuthList (CERT_NO_TNAUTHLIST,
 * CERT_TNAUTHLIST_INVALID), JWT claim constraints well-formed (CERT_JCC_INVALID, CERT_JCC_BOTH),
 * the delegation rule at every link from the top of the path down (DELEGATION_NOT_ENCOMPASSED,
 * DELEGATION_SPC_PARENT), and the reference TN (TN_NOT_COVERED, SPC_NOT_TRUSTED).
 */
#ifndef STIRMLS_CHAIN_H
#define STIRMLS_CHAIN_H

#include "stirmls/cert.h"
#include "stirmls/tnauthlist.h"

#define STIRMLS_MAX_CHAIN_DEFAULT 10 /* OQ-21 */

typedef struct stirmls_chain_opts {
    const stirmls_trust *trust; /* borrowed; built once, reused */
    uint64_t at;                /* evaluation time (Unix seconds) */
    stirmls_spc_trust trust_spc; /* SPCs trusted to vouch for TNs (--trust-spc) */
    const char *tn;             /* reference TN the leaf must cover, or NULL */
    size_t max_len;             /* maximum path length in certificates (default 10) */
    unsigned anchor_flags;      /* STIRMLS_ANCHOR_* (cert.h); 0: anchor validity and pathLen apply */
} stirmls_chain_opts;

void stirmls_chain_opts_init(stirmls_chain_opts *o, const stirmls_trust *trust, uint64_t at);

typedef struct stirmls_chain_result {
    stirmls_tnauthlist *identities; /* owned: the leaf's TNAuthList (the presented identities) */
    int carrier_asserted;           /* 1 when an SPC trusted by configuration vouched for a TN */
    uint64_t not_after;             /* effective notAfter: the minimum over the path (the anchor
                                     * left out under STIRMLS_ANCHOR_NO_VALIDITY) */
    stirmls_key *leaf_key;          /* owned: the leaf's P-256 key */
    stirmls_cert_list path;         /* owned: the validated path, leaf first, anchor last */
} stirmls_chain_result;

void stirmls_chain_result_cleanup(stirmls_chain_result *r);

/* Validate; on success *res is filled (caller cleans it up), on failure it is left zeroed
 * and d says why (d->cert_index = index in the path or the presented chain). */
STIRMLS_MUST_USE stirmls_reason stirmls_chain_verify(stirmls_cert *const *chain, size_t n,
                                                     const stirmls_chain_opts *o,
                                                     stirmls_chain_result *res, stirmls_detail *d);

/* The last step of stirmls_chain_verify on its own: the reference TN o->tn (already in canonical
 * form; nothing when NULL) against a result validated without one (TNA-07: one, range, then a
 * trusted SPC, which sets res->carrier_asserted). On failure (TN_NOT_COVERED, SPC_NOT_TRUSTED,
 * with the detail stirmls_chain_verify gives) *res is cleaned up. The chain cache (chaincache.h)
 * keys on the chain without the number and runs this after every lookup. */
STIRMLS_MUST_USE stirmls_reason stirmls_chain_check_tn(stirmls_chain_result *res, const stirmls_chain_opts *o,
                                                       stirmls_detail *d);

/* How many certificates of a validated path (leaf first, anchor last) have their validity checked:
 * all of them, or all but the anchor under STIRMLS_ANCHOR_NO_VALIDITY. */
size_t stirmls_chain_timed(const stirmls_cert_list *path, unsigned anchor_flags);

/* The decoded TNAuthList of a certificate: OK with *out owned; CERT_NO_TNAUTHLIST when absent
 * (*out = NULL); CERT_TNAUTHLIST_INVALID when present twice; otherwise the decoder's own reason
 * (TNAUTH_*, DER_*, TRUNCATED, TRAILING_BYTES) with d->offset inside the extension value. */
STIRMLS_MUST_USE stirmls_reason stirmls_cert_tnauthlist(const stirmls_cert *c, stirmls_tnauthlist **out,
                                                        stirmls_detail *d);

#endif
