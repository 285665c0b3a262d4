/*
 * build.h: the scenario builder. One case of the model (model.h) becomes one vector (docs/vectors.md):
 * its PKI is issued (with the case's certificates and PKI-stage mutations), then the artefact of its
 * kind is built and mutated, and the protocol input is assembled.
 *
 * Files: build_pki.c (certificates and keys), build_passport.c (PASSporT claims and token
 * mutations), build_token.c (text, signature and SIP Identity header mutations), build_mls.c (Credential and KeyPackage), build_edits.c (byte edits of
 * either), build_group.c (GroupInfo and group messages), build_case.c (one case, the input JSON).
 */
#ifndef STIRMLS_VG_BUILD_H
#define STIRMLS_VG_BUILD_H

#include <jansson.h>
#include <stdint.h>
#include "stirmls.h"

#define VG_MAX_CERTS 48
#define VG_MAX_KEYS 48
#define VG_MAX_EXT 8 /* entries of a scenario's list of extensions or 16-bit types */

struct vg_named_cert {
    char *name; /* owned */
    stirmls_cert *cert;
    const char *key; /* key name */
};

struct vg_named_key {
    char *name; /* owned */
    stirmls_key *key;
};

/* Everything one case needs while it is built. */
struct vg_case {
    json_t *c;          /* the merged case (borrowed) */
    json_t *pki;        /* its PKI (borrowed) */
    uint64_t at;
    const uint8_t *seed;
    size_t seedlen;
    const char *leaf;   /* the certificate PKI-stage mutations act on */
    json_t *mutations;  /* borrowed array of names */
    struct vg_named_cert certs[VG_MAX_CERTS];
    size_t ncerts;
    struct vg_named_key keys[VG_MAX_KEYS];
    size_t nkeys;
    json_t *artifacts;  /* owned: decoded views for the report */
    /* a group member's leaf (build_group.c): with leaf_source update or commit, vg_key_package
     * returns a bare LeafNode of that source signed for group_id and leaf_index instead */
    stirmls_leaf_source leaf_source;
    stirmls_slice group_id;
    uint32_t leaf_index;
    stirmls_slice parent_hash; /* a commit-source leaf's parent_hash (else empty) */
    char err[512];
};

int vg_has_mutation(const struct vg_case *vc, const char *name);
/* Fail with a message (returns 0). */
int vg_fail(struct vg_case *vc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* build_pki.c */
stirmls_key *vg_key(struct vg_case *vc, const char *name);       /* borrowed; NULL + err on failure */
stirmls_cert *vg_cert(struct vg_case *vc, const char *name);     /* borrowed; issued on first use */
const char *vg_cert_key_name(struct vg_case *vc, const char *name);
json_t *vg_cert_spec(struct vg_case *vc, const char *name);      /* the spec json (borrowed) */
/* PEM strings of the named certificates, in order. Owned array. */
json_t *vg_pems(struct vg_case *vc, json_t *names);
/* Names from the signer up to, excluding, the first certificate in `trust` (or a root). Owned. */
json_t *vg_default_chain(struct vg_case *vc, const char *signer, json_t *trust);
void vg_case_cleanup(struct vg_case *vc);

/* build_token.c: the text, token and SIP Identity header mutators of PASSporTs (mutators.c).
 * Each returns 1, or 0 with vc->err set; strings are owned and replaced in place. */
int vg_text_mutations(struct vg_case *vc, char **htext, char **ctext);
int vg_token_mutations(struct vg_case *vc, const stirmls_key *key, char **h, char **c, char **s);
int vg_identity_mutations(struct vg_case *vc, char **token, const char *x5u);
/* The second set of mky mutators on the claims object (build_token.c). */
void vg_mky_mutations(struct vg_case *vc, json_t *claims);

/* build_passport.c: the compact PASSporT of the case (owned string), x5u into *x5u (owned). */
char *vg_passport(struct vg_case *vc, json_t *pspec, char **x5u);

/* build_mls.c */
/* The encoded Credential (owned bytes); *sigkey_name receives the key presented with it. */
uint8_t *vg_credential(struct vg_case *vc, size_t *len, const char **sigkey_name);
/* key_package.capabilities_credentials as code points (owned JSON array), NULL when absent. */
json_t *vg_caps_credentials(struct vg_case *vc);
/* The KeyPackage as an MLSMessage (owned bytes). */
uint8_t *vg_key_package(struct vg_case *vc, size_t *len);
/* A scenario's list of 16-bit numbers (at most VG_MAX_EXT) into v; credential type names stand
 * for their default code points. */
stirmls_u16list vg_u16_list(struct vg_case *vc, json_t *list, uint16_t *v);
/* build_edits.c: the case's `edits:` applied to the encoded artefact in *buf (replaced): a
 * KeyPackage MLSMessage re-signed with k, or (k NULL) a Credential. 1, or 0 with vc->err set. */
int vg_apply_edits(struct vg_case *vc, const stirmls_key *k, uint8_t **buf, size_t *len);
/* build_case.c: bytes as a lower-case hex JSON string (new reference). */
json_t *vg_hex_json(const uint8_t *p, size_t n);
/* build_case.c: a KeyPackage producer's params {signature_key_pem, credential, not_before,
 * not_after} for the case (owned), or NULL with err. */
json_t *vg_kp_generate_params(struct vg_case *vc);
/* build_group.c: the protocol input of a group_info or group_message case (1, or 0 with err). */
int vg_group_input(struct vg_case *vc, const char *kind, json_t *in);
/* build_group.c: the generate params of a group_info or group_message case (owned), or NULL with
 * err: the members' keys, credentials and lifetimes, group_id, at, the roots (anchors, borrowed),
 * commit_path, update. */
json_t *vg_group_generate_params(struct vg_case *vc, const char *kind, json_t *anchors);
/* The 65-byte point of a key, as hex (owned). */
char *vg_point_hex(struct vg_case *vc, const char *keyname);

/* build_case.c: the vector of one case (owned), or NULL with vc->err. */
json_t *vg_build_case(json_t *model, json_t *c, char *err, size_t errlen);

#endif
