/*
 * pki.h: the deterministic test PKI (keys from stirmls_key_derive(seed, name), RFC 6979
 * signatures, fixed validity): the same seed gives byte-identical certificates.
 *
 * Profiles (stirmls_pki_spec_init fills a stirmls_cert_spec with the profile's extensions; the
 * caller sets names, keys, issuer, TNAuthList and may then mutate any field):
 *   ROOT         STI root: self-signed, cA (critical), keyCertSign+cRLSign (critical), SKI, no TNAuthList
 *   STI_CA       STI-CA intermediate: cA (critical), keyCertSign+cRLSign, SKI/AKI, CRLDP, no TNAuthList
 *   SPC_EE       SHAKEN end-entity: CN "SHAKEN <spc>", one SPC entry, policy 2.16.840.1.114569.1.1.3,
 *                CRLDP, cA FALSE, digitalSignature (critical)
 *   RANGE_EE     end-entity with a TN range
 *   DELEGATE_CA  delegate CA: cA TRUE with a TNAuthList (RFC 9060)
 *   ONE_EE       single-TN delegate end-entity
 */
#ifndef STIRMLS_PKI_H
#define STIRMLS_PKI_H

#include "stirmls/cert.h"
#include "stirmls/tnauthlist.h"

#define STIRMLS_SHAKEN_POLICY_OID "2.16.840.1.114569.1.1.3"
#define STIRMLS_PKI_NOT_BEFORE 1767225600u /* 2026-01-01T00:00:00Z */
#define STIRMLS_PKI_NOT_AFTER 1798761600u  /* 2027-01-01T00:00:00Z */
#define STIRMLS_PKI_MAX 16

typedef enum stirmls_pki_profile {
    STIRMLS_PKI_ROOT,
    STIRMLS_PKI_STI_CA,
    STIRMLS_PKI_SPC_EE,
    STIRMLS_PKI_RANGE_EE,
    STIRMLS_PKI_DELEGATE_CA,
    STIRMLS_PKI_ONE_EE,
} stirmls_pki_profile;

/* Fill s with the profile's defaults (zeroes everything else; validity = the PKI defaults). */
void stirmls_pki_spec_init(stirmls_pki_profile p, stirmls_cert_spec *s);
/* A positive 63-bit serial derived from (seed, name). */
uint64_t stirmls_pki_serial(const uint8_t *seed, size_t seedlen, const char *name);

typedef struct stirmls_pki_opts {
    const uint8_t *seed;
    size_t seedlen;
    uint64_t not_before, not_after;
    const char *spc;    /* SPC of the SHAKEN end-entity (default "709J") */
    const char *policy; /* SHAKEN policy OID (default STIRMLS_SHAKEN_POLICY_OID) */
    const char *crldp;  /* CRL URL (default "http://crl.sti-ca.test/sti-ca.crl") */
} stirmls_pki_opts;

void stirmls_pki_opts_init(stirmls_pki_opts *o, const uint8_t *seed, size_t seedlen);

typedef struct stirmls_pki_entry {
    const char *name;   /* static string */
    const char *issuer; /* name of the issuer entry (== name for the root) */
    stirmls_cert *cert; /* owned by the pki */
    stirmls_key *key;   /* owned by the pki */
} stirmls_pki_entry;

typedef struct stirmls_pki {
    size_t n;
    stirmls_pki_entry e[STIRMLS_PKI_MAX];
} stirmls_pki;

/* Generate: root, sti-ca, spc-ee, range-ee, deleg-ca, deleg-one, deleg-ca2, deleg2-one. */
STIRMLS_MUST_USE stirmls_reason stirmls_pki_generate(const stirmls_pki_opts *o, stirmls_pki *out,
                                                     stirmls_detail *d);
void stirmls_pki_cleanup(stirmls_pki *p);
const stirmls_pki_entry *stirmls_pki_find(const stirmls_pki *p, const char *name);
/* PEM bundle of the chain of `name`, leaf first, up to but excluding the root. Owned, free(). */
char *stirmls_pki_chain_pem(const stirmls_pki *p, const char *name);
/* DER of a one-entry TNAuthList (helper for tests and generators). Owned, free(). */
STIRMLS_MUST_USE stirmls_reason stirmls_pki_tnauthlist_der(stirmls_tna_type t, const char *v, uint64_t count,
                                                           uint8_t **der, size_t *len);

#endif
