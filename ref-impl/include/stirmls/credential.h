/*
 * credential.h: the MLS Credential (RFC 9420 §5.3) with the two STIR credential types, and the
 * pluggable credential-validation step used by LeafNode / KeyPackage verification.
 *
 * Wire forms (CT-01..05, MLS-04):
 *   uint16 credential_type, then
 *     basic            (0x0001): opaque identity<V>
 *     x509             (0x0002): Certificate certificates<V>      Certificate = opaque cert_data<V>
 *     stir_certificate (0xF051): Certificate certificates<V>      (non-empty, DER, leaf first)
 *     stir_passport    (0xF052): opaque passport<V>; Certificate certificates<V> (may be empty)
 * The two STIR codepoints are private-use values, configurable at run time
 * (struct stirmls_cred_codepoints).
 *
 * A decoded credential BORROWS from the input bytes (every slice points into them).
 */
#ifndef STIRMLS_CREDENTIAL_H
#define STIRMLS_CREDENTIAL_H

#include "stirmls/base.h"

#define STIRMLS_CRED_BASIC 0x0001
#define STIRMLS_CRED_X509 0x0002
#define STIRMLS_CRED_STIR_CERTIFICATE_DEFAULT 0xF051
#define STIRMLS_CRED_STIR_PASSPORT_DEFAULT 0xF052
/* Most certificates a decoded credential may carry (more: LENGTH_LIMIT). The chain-length
 * policy (default 10, VAL-A) is the certificate layer's; this is only the codec's bound. */
#define STIRMLS_CRED_MAX_CERTS 16

typedef enum stirmls_cred_kind {
    STIRMLS_CRED_KIND_BASIC = 1,
    STIRMLS_CRED_KIND_X509,
    STIRMLS_CRED_KIND_STIR_CERTIFICATE,
    STIRMLS_CRED_KIND_STIR_PASSPORT
} stirmls_cred_kind;

/* The run-time codepoints of the two STIR credential types (CT-01). */
typedef struct stirmls_cred_codepoints {
    uint16_t stir_certificate; /* default 0xF051 */
    uint16_t stir_passport;    /* default 0xF052 */
} stirmls_cred_codepoints;

void stirmls_cred_codepoints_default(stirmls_cred_codepoints *cp);
/* USAGE unless both codepoints are usable: distinct, not basic / x509 / 0x0000, not GREASE and
 * not 0xFAFA (the GREASE-looking value of the private-use range, CT-01). */
STIRMLS_MUST_USE stirmls_reason stirmls_cred_codepoints_check(const stirmls_cred_codepoints *cp,
                                                              stirmls_detail *d);
/* 1 for the RFC 9420 §13.5 GREASE values 0x0A0A, 0x1A1A, ... 0xEAEA. */
int stirmls_mls_is_grease(uint16_t v);
/* The kind of a wire value: 1 and sets *kind when known, 0 otherwise. */
int stirmls_cred_kind_of(const stirmls_cred_codepoints *cp, uint16_t type, stirmls_cred_kind *kind);
/* "basic", "x509", "stir_certificate", "stir_passport". */
const char *stirmls_cred_kind_name(stirmls_cred_kind kind);

typedef struct stirmls_credential {
    uint16_t type;           /* the wire value */
    stirmls_cred_kind kind;  /* what the value means under the codepoints used to decode it */
    stirmls_slice identity;  /* basic */
    stirmls_slice passport;  /* stir_passport: the compact JWS bytes */
    size_t ncerts;           /* x509, stir_certificate, stir_passport */
    stirmls_slice certs[STIRMLS_CRED_MAX_CERTS]; /* DER, leaf first (borrowed) */
} stirmls_credential;

/* Read one Credential from r (inside a larger structure). CRED_TYPE_GREASE, CRED_TYPE_UNKNOWN,
 * CRED_EMPTY_CHAIN (stir_certificate with no certificate), LENGTH_LIMIT, or a reader reason;
 * the detail carries the byte offset. */
STIRMLS_MUST_USE stirmls_reason stirmls_credential_read(stirmls_reader *r,
                                                        const stirmls_cred_codepoints *cp,
                                                        stirmls_credential *out, stirmls_detail *d);
/* Decode a whole buffer holding exactly one Credential (TRAILING_BYTES otherwise). */
STIRMLS_MUST_USE stirmls_reason stirmls_credential_decode(const uint8_t *buf, size_t len,
                                                          const stirmls_cred_codepoints *cp,
                                                          stirmls_credential *out,
                                                          stirmls_detail *d);
/* Append the encoding of c (by c->kind, with c->type as the wire value). */
void stirmls_credential_write(stirmls_buf *b, const stirmls_credential *c);

/* ---- presented identities and the validator hook ------------------------------------------ */

#define STIRMLS_MAX_IDENTITIES 32
#define STIRMLS_IDENTITY_LEN 72

/* Presented identifiers (IDN-01/02): "tn:<digits>", "range:<start>/<count>", "spc:<code>", ...
 * plus an assurance word chosen by the validator ("tn", "carrier-asserted", "none", ...). */
typedef struct stirmls_identities {
    size_t n;
    char id[STIRMLS_MAX_IDENTITIES][STIRMLS_IDENTITY_LEN];
    char assurance[32];
} stirmls_identities;

void stirmls_identities_init(stirmls_identities *ids);
/* Append one identity; LENGTH_LIMIT when full or too long. */
STIRMLS_MUST_USE stirmls_reason stirmls_identities_add(stirmls_identities *ids, const char *id);

/*
 * The credential-validation step. Called by LeafNode / KeyPackage verification after every
 * MLS check has passed. It must authenticate cred, bind it to signature_key (the LeafNode's,
 * exactly as on the wire), judge it at the evaluation time `at`, and on success fill
 * *credential_not_after (end of the credential's validity: certificate notAfter for Approach 1,
 * the PASSporT expiry for Approach 2; UINT64_MAX when unbounded) and the presented identities.
 * Returns OK or the reason of the first failure (recorded in d).
 */
typedef stirmls_reason (*stirmls_cred_validate_fn)(void *ctx, const stirmls_credential *cred,
                                                   stirmls_slice signature_key, uint64_t at,
                                                   uint64_t *credential_not_after,
                                                   stirmls_identities *ids, stirmls_detail *d);

typedef struct stirmls_cred_validator {
    stirmls_cred_validate_fn validate; /* NULL: the kind is not supported (UNSUPPORTED) */
    void *ctx;                         /* passed through, borrowed */
} stirmls_cred_validator;

/* One validator per credential kind. An x509 credential is judged by stir_certificate when
 * the options enable the STIR profile for x509, and by x509 otherwise. */
typedef struct stirmls_cred_validators {
    stirmls_cred_validator basic;
    stirmls_cred_validator x509;
    stirmls_cred_validator stir_certificate;
    stirmls_cred_validator stir_passport;
} stirmls_cred_validators;

/* The basic validator: understood, but never authenticates a TN (CRED_BASIC_NO_TN). */
stirmls_reason stirmls_cred_validate_basic(void *ctx, const stirmls_credential *cred,
                                           stirmls_slice signature_key, uint64_t at,
                                           uint64_t *credential_not_after,
                                           stirmls_identities *ids, stirmls_detail *d);
/* The x509 validator used when the STIR profile is off: CRED_X509_NOT_ALLOWED. */
stirmls_reason stirmls_cred_validate_x509_refuse(void *ctx, const stirmls_credential *cred,
                                                 stirmls_slice signature_key, uint64_t at,
                                                 uint64_t *credential_not_after,
                                                 stirmls_identities *ids, stirmls_detail *d);
/* Defaults: basic -> stirmls_cred_validate_basic, x509 -> refuse, the STIR kinds -> NULL
 * (UNSUPPORTED: the STIR validators of binding.h are plugged in by the caller). */
void stirmls_cred_validators_default(stirmls_cred_validators *v);

/* Run the validator for cred (x509_stir_profile: 1 routes x509 to stir_certificate). */
STIRMLS_MUST_USE stirmls_reason stirmls_cred_validate(const stirmls_cred_validators *v,
                                                      int x509_stir_profile,
                                                      const stirmls_credential *cred,
                                                      stirmls_slice signature_key, uint64_t at,
                                                      uint64_t *credential_not_after,
                                                      stirmls_identities *ids, stirmls_detail *d);

/* Successor rule (MLS-09, OQ-17): a replacement credential must present the same TN. OK when
 * old presents at least one "tn:" identity and every one of them is also presented by new;
 * CRED_SUCCESSOR_TN otherwise. The credential kind may change (Approach 1 <-> 2). */
STIRMLS_MUST_USE stirmls_reason stirmls_identities_successor(const stirmls_identities *old_ids,
                                                             const stirmls_identities *new_ids,
                                                             stirmls_detail *d);

#endif
