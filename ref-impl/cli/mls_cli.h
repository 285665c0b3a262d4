/* mls_cli.h: helpers shared by the MLS verbs (keypackage, credential): common options, the
 * credential-validator table, JSON views of decoded structures. */
#ifndef STIRMLS_MLS_CLI_H
#define STIRMLS_MLS_CLI_H

#include "cli.h"
#include "cli_auth.h"

#define CLI_MLS_MAX_SPC 16

struct cli_mls {
    stirmls_mls_options o; /* codepoints, --max-lifetime, --x509-stir-profile */
    const char *in;        /* --in FILE */
    int hex;               /* --hex: the input file holds hex text */
    uint64_t at;           /* --at UNIXTIME */
    int have_at;
    /* inputs of the STIR validators */
    const char *trust;     /* --trust ROOT.pem */
    const char *tn;        /* --tn TN (reference identifier) */
    const char *spc[CLI_MLS_MAX_SPC]; /* --trust-spc SPC (repeatable) */
    size_t nspc;
    stirmls_trust *store;          /* owned: the --trust anchors, loaded by cli_mls_finish */
    stirmls_stir_binding binding;  /* context of the STIR validators */
};

void cli_mls_init(struct cli_mls *m);
/* Consume argv[*i] (and its value) when it is a common MLS option: 1 consumed, 0 not one of
 * them, -1 usage error (already printed). */
int cli_mls_option(struct cli_mls *m, int argc, char **argv, int *i);
/* Checks after parsing (codepoints usable, --trust readable): 1 ok, 0 usage error printed. */
int cli_mls_finish(struct cli_mls *m, int need_at);
/* Read --in (hex-decoded with --hex): 1 ok, 0 usage error printed. *buf owned (free()). */
int cli_mls_read_input(const struct cli_mls *m, uint8_t **buf, size_t *len);
/* THE credential-validator table of the CLI: the STIR validators (binding.h) with the --trust
 * anchors, --tn and --trust-spc of m. */
void cli_mls_validators(struct cli_mls *m, stirmls_cred_validators *v);
void cli_mls_cleanup(struct cli_mls *m);
/* The STIR validators (binding.h) over trust, tn and the trusted SPCs, into v; b is their
 * context (must outlive v). Used by cli_mls_validators and `serve`. */
void cli_stir_validators(stirmls_stir_binding *b, const stirmls_trust *trust, const char *tn,
                         const char *const *spc, size_t nspc, stirmls_cred_validators *v);
/* Judge a bare Credential for signature_key as `credential verify` does: decode with o's
 * codepoints, check the key's format, run the validator. *decoded: whether c was decoded. */
stirmls_reason cli_mls_judge_credential(const stirmls_mls_options *o, const stirmls_cred_validators *v,
                                        const uint8_t *buf, size_t len, stirmls_slice sk, uint64_t at,
                                        stirmls_credential *c, int *decoded, uint64_t *not_after,
                                        stirmls_identities *ids, stirmls_detail *d);
/* Judge a KeyPackage (MLSMessage or bare) as `keypackage verify` does. *decoded, *was_message
 * say what decoded; res->identities must be initialised. */
stirmls_reason cli_mls_judge_keypackage(const stirmls_mls_options *o, const stirmls_cred_validators *v,
                                        const uint8_t *buf, size_t len, uint64_t at,
                                        stirmls_keypackage *kp, int *decoded, int *was_message,
                                        stirmls_mls_result *res, stirmls_detail *d);

json_t *cli_hex_json(stirmls_slice s);
/* An integer when it fits in int64, else a decimal string. */
json_t *cli_u64_json(uint64_t v);
json_t *cli_mls_credential_json(const stirmls_credential *c);
json_t *cli_mls_leafnode_json(const stirmls_leafnode *ln);
json_t *cli_mls_identities_json(const stirmls_identities *ids);
/* One row of the group member table (docs/cli-group.md): leaf_index, credential_type, status,
 * identities, assurance, not_after, reason, detail. */
json_t *cli_mls_member_json(const stirmls_group_member *m);
/* Into o: `members` (the member table) and `counts` of a GroupInfo verification. */
void cli_mls_group_result_json(json_t *o, const stirmls_group_result *res);
/* Into o: content_type, sender, proposal_type, proposal_references, new_member of a message. */
void cli_mls_group_message_json(json_t *o, const stirmls_group_message_result *res);
#define CLI_MLS_MAX_PROPOSALS 64
/* The proposal messages a Commit may reference (group verify-message --proposal, protocol input
 * `proposals`): each of n buffers decoded as a PublicMessage MLSMessage into ms[i] (the buffers
 * must outlive them); the first failure's reason, with "proposal message i: ..." in *d. */
stirmls_reason cli_mls_decode_proposals(uint8_t *const *bufs, const size_t *lens, size_t n,
                                        const stirmls_cred_codepoints *cp, stirmls_public_message *ms,
                                        stirmls_detail *d);
void cli_mls_proposals_cleanup(stirmls_public_message *ms, size_t n);
/* The usage text of the common options. */
extern const char cli_mls_options_help[];

#endif
