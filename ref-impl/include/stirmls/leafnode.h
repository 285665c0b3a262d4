/*
 * leafnode.h: RFC 9420 LeafNode (§7.2) codec, SignWithLabel / RefHash (§5.1.2, §5.2) and the
 * verification options shared with KeyPackages.
 *
 * Decoded structures BORROW from the input: every slice points into the bytes that were decoded.
 * Capability lists are kept as the raw bodies of their uint16 vectors and extension lists as the
 * raw body of extensions<V> (both checked for shape when decoded), so re-encoding is exact.
 */
#ifndef STIRMLS_LEAFNODE_H
#define STIRMLS_LEAFNODE_H

#include "stirmls/credential.h"
#include "stirmls/crypto.h"

#define STIRMLS_MLS10 0x0001
#define STIRMLS_MLS_SUITE_P256 0x0002 /* MLS_128_DHKEMP256_AES128GCM_SHA256_P256 */
#define STIRMLS_MLS_MAX_LIFETIME_DEFAULT ((uint64_t)90 * 24 * 3600)

typedef enum stirmls_leaf_source {
    STIRMLS_LEAF_SOURCE_KEY_PACKAGE = 1,
    STIRMLS_LEAF_SOURCE_UPDATE = 2,
    STIRMLS_LEAF_SOURCE_COMMIT = 3
} stirmls_leaf_source;

/* Options of MLS verification (and of decoding: the codepoints). */
typedef struct stirmls_mls_options {
    stirmls_cred_codepoints codepoints; /* default 0xF051 / 0xF052 */
    uint64_t max_lifetime;              /* seconds; default 90 days (MLS-21, OQ-21) */
    int x509_stir_profile;              /* 1: an x509 credential is validated as stir_certificate */
    int capabilities_defaults_strict;   /* 1: capabilities listing a default extension (0x0001-0x0005)
                                         * or proposal type (0x0001-0x0007) is rejected,
                                         * MLS_CAPABILITIES_DEFAULT_LISTED; 0 (default): tolerated */
} stirmls_mls_options;

void stirmls_mls_options_default(stirmls_mls_options *o);

typedef struct stirmls_capabilities {
    stirmls_slice versions;      /* body of uint16 versions<V> */
    stirmls_slice cipher_suites; /* body of uint16 cipher_suites<V> */
    stirmls_slice extensions;    /* body of uint16 extensions<V> */
    stirmls_slice proposals;     /* body of uint16 proposals<V> */
    stirmls_slice credentials;   /* body of uint16 credentials<V> */
} stirmls_capabilities;

/* optional<T> presence octet (RFC 9420 §2.1.1): 0 or 1, anything else OPTIONAL_PRESENCE.
 * (No optional appears in LeafNode or KeyPackage; GroupInfo / Welcome readers use this.) */
STIRMLS_MUST_USE stirmls_reason stirmls_mls_read_presence(stirmls_reader *r, int *present,
                                                          stirmls_detail *d);

/* 1 when the body of a uint16 vector holds v. */
int stirmls_u16list_has(stirmls_slice list, uint16_t v);

typedef struct stirmls_extension {
    uint16_t type;
    stirmls_slice data;
} stirmls_extension;

/* Iterate the body of extensions<V>: returns 1 and fills *ext while there is one more. */
int stirmls_extensions_next(stirmls_reader *r, stirmls_extension *ext);

typedef struct stirmls_leafnode {
    stirmls_slice encryption_key;
    stirmls_slice signature_key;
    stirmls_credential credential;
    stirmls_capabilities capabilities;
    stirmls_leaf_source source;
    uint64_t not_before, not_after; /* source key_package */
    stirmls_slice parent_hash;      /* source commit */
    stirmls_slice extensions;       /* body of extensions<V> */
    stirmls_slice signature;
} stirmls_leafnode;

/* Read one LeafNode from r. MLS_LEAF_SOURCE for a leaf_node_source other than 1, 2, 3; the
 * credential reasons; reader reasons; detail with the byte offset. */
STIRMLS_MUST_USE stirmls_reason stirmls_leafnode_read(stirmls_reader *r,
                                                      const stirmls_cred_codepoints *cp,
                                                      stirmls_leafnode *out, stirmls_detail *d);
/* Decode a buffer holding exactly one LeafNode. */
STIRMLS_MUST_USE stirmls_reason stirmls_leafnode_decode(const uint8_t *buf, size_t len,
                                                        const stirmls_cred_codepoints *cp,
                                                        stirmls_leafnode *out, stirmls_detail *d);
/* Append the LeafNode (with its signature). */
void stirmls_leafnode_write(stirmls_buf *b, const stirmls_leafnode *ln);
/* Append LeafNodeTBS: the fields without the signature, plus group_id<V> and uint32 leaf_index
 * for the update and commit sources (ignored for key_package). */
void stirmls_leafnode_write_tbs(stirmls_buf *b, const stirmls_leafnode *ln, stirmls_slice group_id,
                                uint32_t leaf_index);

/* ---- SignWithLabel and RefHash ------------------------------------------------------------- */

/* Sign SignContent{ label<V>, content<V> } with the label taken VERBATIM (no prefix added);
 * DER signature, owned (free()). SignWithLabel is this with "MLS 1.0 " + label. */
STIRMLS_MUST_USE stirmls_reason stirmls_mls_sign_content(const stirmls_key *k, const char *full_label,
                                                         stirmls_slice content, uint8_t **sig,
                                                         size_t *siglen);
STIRMLS_MUST_USE stirmls_reason stirmls_mls_sign_with_label(const stirmls_key *k, const char *label,
                                                            stirmls_slice content, uint8_t **sig,
                                                            size_t *siglen);
/* VerifyWithLabel: OK, MLS_SIGNATURE_FORMAT (not DER), or MLS_LEAF_SIGNATURE (does not verify;
 * callers map it to the signature they check). */
STIRMLS_MUST_USE stirmls_reason stirmls_mls_verify_with_label(const stirmls_key *k, const char *label,
                                                              stirmls_slice content,
                                                              stirmls_slice sig);
/* RefHash(label, value) = SHA-256(label<V> || value<V>); the label is used verbatim. */
STIRMLS_MUST_USE stirmls_reason stirmls_mls_ref_hash(const char *label, stirmls_slice value,
                                                     uint8_t out[STIRMLS_SHA256_LEN]);

/* ---- verification ------------------------------------------------------------------------ */

/* The outcome of a successful verification. */
typedef struct stirmls_mls_result {
    stirmls_identities identities;
    uint64_t credential_not_after; /* from the validator; UINT64_MAX when unbounded */
} stirmls_mls_result;

/* Where a LeafNode is checked: the expected source, and for update/commit the group context. */
typedef struct stirmls_leaf_context {
    stirmls_leaf_source source;
    stirmls_slice group_id; /* update, commit */
    uint32_t leaf_index;    /* update, commit */
    stirmls_slice previous_encryption_key; /* update: if .ptr, the new key must differ (§7.3) */
} stirmls_leaf_context;

/* The generic LeafNode checks (suite 0x0002; RFC 9420 §7.3 and the project rules), cheap first:
 * key formats, leaf_node_source, an update's new encryption_key (MLS_UPDATE_KEY_REUSE),
 * credential type in capabilities, with capabilities_defaults_strict no default type listed in
 * capabilities (MLS_CAPABILITIES_DEFAULT_LISTED), each extension type at most once
 * (MLS_EXTENSION_DUPLICATE), extensions in capabilities,
 * lifetime (key_package source: inverted, too long, outside at), the LeafNode signature; then
 * the credential validator; then lifetime.not_after <= credential not_after (key_package). */
STIRMLS_MUST_USE stirmls_reason stirmls_leafnode_verify(const stirmls_leafnode *ln,
                                                        const stirmls_leaf_context *ctx,
                                                        const stirmls_mls_options *o,
                                                        const stirmls_cred_validators *v,
                                                        uint64_t at, stirmls_mls_result *res,
                                                        stirmls_detail *d);

/* Pieces of the above, for KeyPackage verification and tests. */
STIRMLS_MUST_USE stirmls_reason stirmls_mls_check_key(stirmls_slice key, const char *what,
                                                      stirmls_detail *d);
STIRMLS_MUST_USE stirmls_reason stirmls_leafnode_check_signature(const stirmls_leafnode *ln,
                                                                 const stirmls_leaf_context *ctx,
                                                                 stirmls_detail *d);

#endif
