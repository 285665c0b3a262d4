/*
 * cert.h: X.509 certificates behind an opaque type (OpenSSL stays inside src/crypto/).
 *
 *   - stirmls_cert: one parsed certificate (parsed once, immutable, reference counted).
 *   - stirmls_cert_list: a PEM bundle or a DER certificate, in input order (leaf first).
 *   - stirmls_trust: trust anchors turned into an X509_STORE once, reused by every verification.
 *   - stirmls_x509_path_verify: RFC 5280 path validation at a given time plus the STIR profile's
 *     certificate rules (see docs/profile.md (part 1)). The TN rules (TNAuthList, delegation,
 *     coverage) are added on top by stirmls_chain_verify (chain.h).
 *   - stirmls_cert_build: the certificate builder of the deterministic test PKI (RFC 6979
 *     signatures: the same spec gives the same bytes).
 */
#ifndef STIRMLS_CERT_H
#define STIRMLS_CERT_H

#include "stirmls/base.h"
#include "stirmls/crypto.h"

#define STIRMLS_JCC_OID "1.3.6.1.5.5.7.1.27"  /* JWTClaimConstraints (RFC 8226) */
#define STIRMLS_EJCC_OID "1.3.6.1.5.5.7.1.33" /* EnhancedJWTClaimConstraints (RFC 9118) */

typedef struct stirmls_cert stirmls_cert; /* opaque; owned; stirmls_cert_free */

/* Parse one DER certificate (the whole input). CERT_PARSE on failure. */
STIRMLS_MUST_USE stirmls_reason stirmls_cert_from_der(const uint8_t *der, size_t len, stirmls_cert **out,
                                                      stirmls_detail *d);
void stirmls_cert_free(stirmls_cert *c);
stirmls_cert *stirmls_cert_up_ref(stirmls_cert *c);

/* The DER encoding (borrowed from c). */
stirmls_slice stirmls_cert_der(const stirmls_cert *c);
/* PEM text, owned (free()). NULL on allocation failure. */
char *stirmls_cert_pem(const stirmls_cert *c);
/* Subject and issuer as one-line RFC 2253 text into buf (always NUL-terminated). */
void stirmls_cert_subject(const stirmls_cert *c, char *buf, size_t cap);
void stirmls_cert_issuer(const stirmls_cert *c, char *buf, size_t cap);
/* Validity in Unix seconds. */
uint64_t stirmls_cert_not_before(const stirmls_cert *c);
uint64_t stirmls_cert_not_after(const stirmls_cert *c);
/* The subject public key as a P-256 key (owned). CERT_KEY_TYPE when it is not P-256. */
STIRMLS_MUST_USE stirmls_reason stirmls_cert_key(const stirmls_cert *c, stirmls_key **out);
/* The extension value (contents of extnValue) of the extension with this dotted OID.
 * Returns 1 and fills value (borrowed from c) and *critical when present, 0 when absent. */
int stirmls_cert_extension(const stirmls_cert *c, const char *oid, stirmls_slice *value, int *critical);
/* Number of extensions with this OID (to detect duplicates). */
int stirmls_cert_extension_count(const stirmls_cert *c, const char *oid);

/* ---- lists ------------------------------------------------------------------------------ */

typedef struct stirmls_cert_list {
    size_t n;
    stirmls_cert **certs; /* owned; stirmls_cert_list_cleanup */
} stirmls_cert_list;

void stirmls_cert_list_init(stirmls_cert_list *l);
void stirmls_cert_list_cleanup(stirmls_cert_list *l);
STIRMLS_MUST_USE stirmls_reason stirmls_cert_list_push(stirmls_cert_list *l, stirmls_cert *c); /* takes c */
/* Parse PEM (every CERTIFICATE block, in order) or, when no PEM block is present, one DER
 * certificate. PEM_INVALID when the input is neither; CERT_PARSE when a block does not parse. */
STIRMLS_MUST_USE stirmls_reason stirmls_cert_list_parse(const uint8_t *data, size_t len,
                                                        stirmls_cert_list *out, stirmls_detail *d);

/* ---- trust anchors and path validation -------------------------------------------------- */

typedef struct stirmls_trust stirmls_trust; /* opaque; owned; stirmls_trust_free */

/* Build the store once from anchor certificates (each gets one more reference). */
STIRMLS_MUST_USE stirmls_reason stirmls_trust_new(const stirmls_cert_list *anchors, stirmls_trust **out);
void stirmls_trust_free(stirmls_trust *t);
/* SHA-256 over the anchors given to stirmls_trust_new, in that order, each as a 4-byte big-endian
 * length and its DER: two stores with the same digest hold the same anchors (the chain-validation
 * cache, chaincache.h, keys on it rather than on the store's address). */
void stirmls_trust_digest(const stirmls_trust *t, uint8_t out[STIRMLS_SHA256_LEN]);

/* Extensions this profile recognises, so that marking them critical does not fail validation. */
int stirmls_cert_oid_recognised(const char *dotted_oid);

/* Trust anchor positions (docs/profile.md part 1), flags of stirmls_x509_path_verify. By default
 * (0) the anchor's validity is checked like any certificate's, its pathLenConstraint applies, and
 * its certificate is checked like any issuer's (CHN-05). */
#define STIRMLS_ANCHOR_NO_VALIDITY 0x1    /* RFC 5280 §6.1 as written: the anchor's validity is not checked */
#define STIRMLS_ANCHOR_NO_PATHLEN 0x2     /* the anchor's pathLenConstraint is not applied (RFC 5937 optional) */
#define STIRMLS_ANCHOR_NO_CONSTRAINTS 0x4 /* RFC 5280 §6.1 as written: the anchor's certificate is not checked as an
                                           * issuer (basicConstraints, keyUsage) nor against TNA-09 (key, signature) */

/*
 * Validate chain[0..n-1] (leaf first; the anchor may be included or not) at time `at`.
 * The presented list must be one path in order: each certificate issued by the next
 * (CERT_CHAIN_ORDER otherwise: an extra, a missing link or a wrong order; CERT_AKI_MISMATCH when
 * the names match but the authorityKeyIdentifier is not the issuer's subjectKeyIdentifier); the
 * last one is the anchor or is issued by one.
 * On success `path` (initialised by the caller) receives the validated path, leaf first, ending
 * with the trust anchor. The checks and their reasons:
 *   CERT_CHAIN_EMPTY, CERT_CHAIN_TOO_LONG (n or the path above max_len), CERT_KEY_TYPE (not P-256),
 *   CERT_SIG_ALG (not ecdsa-with-SHA256), CERT_UNTRUSTED, CERT_SIGNATURE,
 *   CERT_UNKNOWN_CRITICAL_EXT (TNAuthList and the two JWT claim constraint extensions are
 *   recognised), CERT_NOT_CA (an issuer without basicConstraints cA=TRUE, or a keyUsage without
 *   keyCertSign), CERT_PATH_LENGTH, CERT_NOT_YET_VALID / CERT_EXPIRED (valid for
 *   notBefore <= at <= notAfter, both ends inclusive, RFC 5280 §4.1.2.5), CERT_KEY_USAGE (a leaf
 *   keyUsage without digitalSignature).
 * d->cert_index names the certificate (index in the path; leaf = 0).
 */
STIRMLS_MUST_USE stirmls_reason stirmls_x509_path_verify(const stirmls_trust *t, stirmls_cert *const *chain,
                                                         size_t n, uint64_t at, size_t max_len,
                                                         unsigned anchor_flags, stirmls_cert_list *path,
                                                         stirmls_detail *d);

/* ---- the builder ------------------------------------------------------------------------ */

/* keyUsage bits (RFC 5280 §4.2.1.3 order) */
#define STIRMLS_KU_DIGITAL_SIGNATURE (1u << 0)
#define STIRMLS_KU_NON_REPUDIATION (1u << 1)
#define STIRMLS_KU_KEY_ENCIPHERMENT (1u << 2)
#define STIRMLS_KU_DATA_ENCIPHERMENT (1u << 3)
#define STIRMLS_KU_KEY_AGREEMENT (1u << 4)
#define STIRMLS_KU_KEY_CERT_SIGN (1u << 5)
#define STIRMLS_KU_CRL_SIGN (1u << 6)

typedef enum stirmls_bc_mode {
    STIRMLS_BC_ABSENT = 0,
    STIRMLS_BC_CA,    /* cA TRUE */
    STIRMLS_BC_EE,    /* cA FALSE (encoded as an empty SEQUENCE, DER default) */
} stirmls_bc_mode;

typedef struct stirmls_ext_spec {
    const char *oid;    /* dotted */
    const uint8_t *der; /* extnValue contents, raw (may be malformed on purpose) */
    size_t len;
    int critical;
} stirmls_ext_spec;

typedef struct stirmls_altkey stirmls_altkey; /* opaque; owned; stirmls_altkey_free */

typedef struct stirmls_cert_spec {
    const char *cn, *o, *c;       /* subject attributes (NULL = omitted) */
    const stirmls_key *key;       /* subject key (public part used) */
    const stirmls_cert *issuer;   /* NULL: self-issued, signed by issuer_key (or key when NULL) */
    const stirmls_key *issuer_key;
    uint64_t serial;              /* positive */
    uint64_t not_before, not_after; /* unix seconds; read as int64_t, so a time before 1970 is
                                     * its two's complement */
    stirmls_bc_mode bc;
    int pathlen;                  /* -1: none */
    int bc_critical;
    unsigned ku;                  /* STIRMLS_KU_* bits; 0: no keyUsage extension */
    int ku_critical;
    int no_ski, no_aki;           /* omit SubjectKeyIdentifier / AuthorityKeyIdentifier */
    const char *crldp;            /* CRL distribution point URL, or NULL */
    const char *policy;           /* certificate policy OID, or NULL */
    const uint8_t *tnauthlist;    /* raw TNAuthList DER (extnValue contents), or NULL */
    size_t tnauthlist_len;
    int tnauthlist_critical;
    const stirmls_ext_spec *extra; /* further extensions, in order */
    size_t n_extra;
    const stirmls_altkey *alt_key; /* when set, the subject key instead of key's (a non-P-256 key) */
    int sig_sha384;               /* sign with ecdsa-with-SHA384 (the signer's P-256 key) */
} stirmls_cert_spec;

/* Keys of other algorithms than P-256 for the test PKI's negative cases (TNA-09): the subject key
 * of a certificate only; the test PKI signs with P-256 keys. A P-384 key derived from (seed, name):
 * the scalar is HMAC-SHA384(seed, "stirmls-key-p384-v1" 0x00 name 0x00 counter) for the first
 * counter giving 1 <= d < n (as stirmls_key_derive for P-256). */
STIRMLS_MUST_USE stirmls_reason stirmls_altkey_derive_p384(const uint8_t *seed, size_t seedlen,
                                                           const char *name, stirmls_altkey **out);
void stirmls_altkey_free(stirmls_altkey *k);

/* Build and sign (deterministically) a certificate. USAGE for an inconsistent spec. */
STIRMLS_MUST_USE stirmls_reason stirmls_cert_build(const stirmls_cert_spec *s, stirmls_cert **out,
                                                   stirmls_detail *d);

#endif
