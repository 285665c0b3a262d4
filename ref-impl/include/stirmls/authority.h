/*
 * authority.h: the whole verification of a STIR credential, as a verifier application calls it:
 * a certificate chain (with an optional reference TN), or a PASSporT with its signer chain (or an
 * x5u resolved from a caller-supplied map; nothing is fetched), its authority over orig.tn, its
 * JWT claim constraints, expiry, signature and mky binding.
 *
 * The MLS credential validators (mls/binding.c), the CLI and `stirmls serve` all go through here,
 * so every entry point judges a credential the same way.
 */
#ifndef STIRMLS_AUTHORITY_H
#define STIRMLS_AUTHORITY_H

#include "stirmls/chain.h"
#include "stirmls/chaincache.h"
#include "stirmls/passport.h"

/* One x5u URL and the certificate chain it resolves to (leaf first; borrowed). */
typedef struct stirmls_x5u_entry {
    const char *url;
    const stirmls_cert_list *chain;
} stirmls_x5u_entry;

typedef struct stirmls_auth_opts {
    const stirmls_trust *trust;  /* borrowed */
    uint64_t at;                 /* evaluation time */
    stirmls_spc_trust trust_spc; /* SPCs trusted to vouch for TNs */
    const char *tn;              /* reference identifier (any tel form; canonicalised here) or NULL */
    size_t max_chain;            /* default STIRMLS_MAX_CHAIN_DEFAULT */
    unsigned anchor_flags;       /* STIRMLS_ANCHOR_* (cert.h): trust anchor positions; 0 = default */
    stirmls_ppt_policy ppt;      /* PASSporT profile, strictness, skew, max age */
    const stirmls_x5u_entry *x5u; /* URL map used when no chain is carried */
    size_t n_x5u;
    stirmls_chaincache *cache;   /* optional, borrowed; NULL = no cache. The chain validation of
                                    both entry points goes through it (chaincache.h) */
} stirmls_auth_opts;

void stirmls_auth_opts_init(stirmls_auth_opts *o, const stirmls_trust *trust, uint64_t at);

#define STIRMLS_AUTH_MAX_IDS 16

typedef struct stirmls_auth_id {
    char type[8];   /* "tn", "range" or "spc" */
    char value[40]; /* the TN, "start/count", or the SPC */
} stirmls_auth_id;

typedef struct stirmls_auth_result {
    size_t n_ids;
    stirmls_auth_id ids[STIRMLS_AUTH_MAX_IDS]; /* presented identities */
    int carrier_asserted;   /* an SPC trusted by configuration vouched for the TN */
    uint64_t not_after;     /* end of the credential's validity (chain: min notAfter; PASSporT: EXP-02 end) */
    uint8_t leaf_point[65]; /* the leaf certificate's key (chain) or the signer's (PASSporT) */
    char attest;            /* SHAKEN attest of a PASSporT, or 0 */
    char rcd[1024];         /* deterministic JSON of the rcd claim of a PASSporT (RCD-02: a claimed
                               display, surfaced, never an identity), "" when absent or larger */
    char signer[160];       /* subject of the leaf / signer certificate */
} stirmls_auth_result;

/* Certificate chain (leaf first). With o->tn the leaf must cover it. */
STIRMLS_MUST_USE stirmls_reason stirmls_auth_chain(stirmls_cert *const *chain, size_t n,
                                                   const stirmls_auth_opts *o,
                                                   stirmls_auth_result *res, stirmls_detail *d);

/* PASSporT with its signer chain (n may be 0: then x5u through o->x5u). sigkey (the MLS
 * signature_key) is required in the MLS profile and checked against mky. With o->tn, orig.tn must
 * equal it. */
STIRMLS_MUST_USE stirmls_reason stirmls_auth_passport(const char *token, size_t len,
                                                      stirmls_cert *const *chain, size_t n,
                                                      const stirmls_auth_opts *o,
                                                      const uint8_t *sigkey, size_t sigkey_len,
                                                      stirmls_auth_result *res, stirmls_detail *d);

#endif
