/*
 * keypackage.h: RFC 9420 §10 KeyPackage: codec (bare and inside an MLSMessage), KeyPackageRef,
 * verification (§10.1, §7.3 and the project rules) and a deterministic builder.
 *
 *   struct { ProtocolVersion version; CipherSuite cipher_suite; HPKEPublicKey init_key;
 *            LeafNode leaf_node; Extension extensions<V>; opaque signature<V>; } KeyPackage;
 *   MLSMessage = uint16 version (mls10 = 1) || uint16 wire_format (mls_key_package = 5) || KeyPackage
 *
 * A decoded KeyPackage BORROWS from the decoded bytes.
 */
#ifndef STIRMLS_KEYPACKAGE_H
#define STIRMLS_KEYPACKAGE_H

#include "stirmls/leafnode.h"

#define STIRMLS_MLS_WIRE_KEY_PACKAGE 0x0005
#define STIRMLS_KP_REF_LABEL "MLS 1.0 KeyPackage Reference"

typedef struct stirmls_keypackage {
    uint16_t version;
    uint16_t cipher_suite;
    stirmls_slice init_key;
    stirmls_leafnode leaf;
    stirmls_slice extensions; /* body of extensions<V> */
    stirmls_slice signature;
} stirmls_keypackage;

/* Read one KeyPackage from r. Any version / suite / key length is decoded (verification judges
 * them). */
STIRMLS_MUST_USE stirmls_reason stirmls_keypackage_read(stirmls_reader *r,
                                                        const stirmls_cred_codepoints *cp,
                                                        stirmls_keypackage *out, stirmls_detail *d);
/* A buffer holding exactly one bare KeyPackage. */
STIRMLS_MUST_USE stirmls_reason stirmls_keypackage_decode(const uint8_t *buf, size_t len,
                                                          const stirmls_cred_codepoints *cp,
                                                          stirmls_keypackage *out,
                                                          stirmls_detail *d);
/* A buffer holding exactly one MLSMessage with a KeyPackage: MLS_VERSION when the message
 * version is not mls10, MLS_WIRE_FORMAT when wire_format is not mls_key_package. */
STIRMLS_MUST_USE stirmls_reason stirmls_keypackage_decode_message(const uint8_t *buf, size_t len,
                                                                  const stirmls_cred_codepoints *cp,
                                                                  stirmls_keypackage *out,
                                                                  stirmls_detail *d);
/* Either: an MLSMessage first; if that fails, a bare KeyPackage; if both fail, the MLSMessage's
 * failure. *was_message says which one decoded. */
STIRMLS_MUST_USE stirmls_reason stirmls_keypackage_decode_any(const uint8_t *buf, size_t len,
                                                              const stirmls_cred_codepoints *cp,
                                                              stirmls_keypackage *out,
                                                              int *was_message, stirmls_detail *d);

void stirmls_keypackage_write(stirmls_buf *b, const stirmls_keypackage *kp);
void stirmls_keypackage_write_tbs(stirmls_buf *b, const stirmls_keypackage *kp);
void stirmls_keypackage_write_message(stirmls_buf *b, const stirmls_keypackage *kp);

/* KeyPackageRef = RefHash("MLS 1.0 KeyPackage Reference", encoded KeyPackage). */
STIRMLS_MUST_USE stirmls_reason stirmls_keypackage_ref(const stirmls_keypackage *kp,
                                                       uint8_t out[STIRMLS_SHA256_LEN]);

/* The two signatures only (LeafNode under LeafNodeTBS, KeyPackage under KeyPackageTBS), both
 * under leaf_node.signature_key (OQ-05): MLS_KEY_FORMAT, MLS_SIGNATURE_FORMAT,
 * MLS_LEAF_SIGNATURE, MLS_KP_SIGNATURE. Suite 0x0002 keys only. */
STIRMLS_MUST_USE stirmls_reason stirmls_keypackage_check_signatures(const stirmls_keypackage *kp,
                                                                    stirmls_detail *d);

/* Full verification at evaluation time `at` (§10.1, §7.3, project rules), cheap checks first:
 *   version (MLS_VERSION), cipher suite 0x0002 (MLS_CIPHER_SUITE), init_key format
 *   (MLS_KEY_FORMAT), init_key != encryption_key (MLS_INIT_KEY_REUSE), KeyPackage extensions in
 *   capabilities (MLS_EXTENSION_NOT_IN_CAPS), then the LeafNode checks of stirmls_leafnode_verify
 *   up to and including its signature, then the KeyPackage signature (MLS_KP_SIGNATURE), then the
 *   credential validator, then lifetime.not_after <= credential not_after
 *   (MLS_LIFETIME_PAST_CREDENTIAL). res may be NULL. */
STIRMLS_MUST_USE stirmls_reason stirmls_keypackage_verify(const stirmls_keypackage *kp,
                                                          const stirmls_mls_options *o,
                                                          const stirmls_cred_validators *v,
                                                          uint64_t at, stirmls_mls_result *res,
                                                          stirmls_detail *d);

/* ---- builder ----------------------------------------------------------------------------- */

typedef struct stirmls_u16list {
    const uint16_t *v;
    size_t n;
} stirmls_u16list;

typedef struct stirmls_kp_params {
    const stirmls_key *signature_key;  /* with its private part; signs both TBS */
    stirmls_slice credential;          /* an encoded Credential */
    /* capabilities; a zero list means: versions {mls10}, cipher_suites {0x0002},
     * credentials {the credential's type}; extensions and proposals stay empty */
    stirmls_u16list versions, cipher_suites, cap_extensions, proposals, credentials;
    uint64_t not_before, not_after;    /* key_package source */
    const uint8_t *seed;               /* init / encryption keys: stirmls_key_derive(seed, ...) */
    size_t seedlen;
    const char *key_name;              /* name prefix for the derivation ("<name>/init", ...) */
    stirmls_slice init_key;            /* if .ptr: used instead of the derived init key */
    stirmls_slice encryption_key;      /* if .ptr: used instead of the derived one */
    stirmls_slice signature_key_bytes; /* if .ptr: written instead of the signing key's point */
    const stirmls_extension *leaf_extensions;
    size_t n_leaf_extensions;
    const stirmls_extension *kp_extensions;
    size_t n_kp_extensions;
    uint16_t cipher_suite;             /* 0: 0x0002 */
    uint16_t version;                  /* 0: mls10 */
    stirmls_leaf_source leaf_source;   /* 0: key_package (update/commit only to build faulty
                                        * KeyPackages: no lifetime; commit: empty parent_hash;
                                        * LeafNodeTBS with an empty group_id and leaf_index 0) */
} stirmls_kp_params;

/* Build and sign a KeyPackage; *out (owned, free()) is the MLSMessage encoding when as_message,
 * the bare KeyPackage otherwise. Deterministic: same params, same bytes. */
STIRMLS_MUST_USE stirmls_reason stirmls_keypackage_build(const stirmls_kp_params *p, int as_message,
                                                         uint8_t **out, size_t *outlen,
                                                         stirmls_detail *d);
/* Build and sign a LeafNode of source update or commit (lifetime ignored; parent_hash for
 * commit) for group_id / leaf_index. *out owned (free()). */
STIRMLS_MUST_USE stirmls_reason stirmls_leafnode_build(const stirmls_kp_params *p,
                                                       stirmls_leaf_source source,
                                                       stirmls_slice group_id, uint32_t leaf_index,
                                                       stirmls_slice parent_hash, uint8_t **out,
                                                       size_t *outlen, stirmls_detail *d);

#endif
