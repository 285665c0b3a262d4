/* mutators.c: the mutator table (see mutators.h). Append-only: names are stable. */
#include <string.h>
#include "mutators.h"

static const struct vg_mutator table[] = {
    /* mky (Approach 2 binding) */
    {"mky_other_key", VG_STAGE_CLAIMS, "MKY_MISMATCH", "mky hashes the key 'mallory' instead of the member's"},
    {"mky_drop", VG_STAGE_CLAIMS, "MKY_MISSING", "the mky claim is removed"},
    {"mky_lowercase", VG_STAGE_CLAIMS, "MKY_DIG_LOWERCASE", "dig in lower-case hex (strict: reject; lenient: accept)"},
    {"mky_bad_dig", VG_STAGE_CLAIMS, "MKY_DIG_MALFORMED", "dig cut to 31 byte pairs"},
    {"mky_no_separators", VG_STAGE_CLAIMS, "MKY_DIG_MALFORMED", "dig without ':' separators"},
    {"mky_trailing_colon", VG_STAGE_CLAIMS, "MKY_DIG_MALFORMED", "dig with a trailing ':'"},
    {"mky_only_unknown_alg", VG_STAGE_CLAIMS, "MKY_ALG_UNSUPPORTED", "the only entry has alg 'sha-1'"},
    {"mky_object", VG_STAGE_CLAIMS, "MKY_MALFORMED", "mky is a single object instead of an array"},
    /* PASSporT header and claims (signed after the change, so the signature is valid) */
    {"passport_alg_none", VG_STAGE_CLAIMS, "PPT_ALG_NONE", "header alg 'none' (signature segment kept)"},
    {"passport_alg_hs256", VG_STAGE_CLAIMS, "PPT_ALG_HMAC", "header alg 'HS256'"},
    {"passport_alg_rs256", VG_STAGE_CLAIMS, "PPT_ALG_RSA", "header alg 'RS256'"},
    {"passport_alg_es384", VG_STAGE_CLAIMS, "PPT_ALG_UNSUPPORTED", "header alg 'ES384'"},
    {"passport_typ_jwt", VG_STAGE_CLAIMS, "PPT_TYP", "header typ 'JWT'"},
    {"passport_ppt_msg", VG_STAGE_CLAIMS, "PPT_PPT_MSG", "header ppt 'msg'"},
    {"passport_iat_string", VG_STAGE_CLAIMS, "PPT_IAT_TYPE", "iat as a JSON string"},
    {"passport_iat_fraction", VG_STAGE_CLAIMS, "PPT_IAT_TYPE", "iat with a fraction (.5)"},
    {"passport_iat_drop", VG_STAGE_CLAIMS, "PPT_IAT_MISSING", "iat removed"},
    {"passport_dup_claim", VG_STAGE_CLAIMS, "JSON_DUPLICATE_MEMBER", "claims text repeats the orig member"},
    {"passport_json_noncanonical", VG_STAGE_CLAIMS, "JSON_NONCANONICAL", "claims text with a space after ':' (valid signature; strict: reject, lenient: accept)"},
    /* the signed token */
    {"passport_sig_der", VG_STAGE_TOKEN, "PPT_SIG_LENGTH", "signature segment holds the DER form of the signature"},
    {"passport_sig_flip", VG_STAGE_TOKEN, "PPT_SIG_INVALID", "one bit of S flipped"},
    {"passport_b64_padding", VG_STAGE_TOKEN, "B64URL_PADDING", "'=' padding appended to the claims segment"},
    {"passport_b64_std_alphabet", VG_STAGE_TOKEN, "B64URL_INVALID", "'-' and '_' in the signature replaced by '+' and '/'"},
    {"passport_drop_signature_segment", VG_STAGE_TOKEN, "PPT_MALFORMED", "only header.claims, no signature segment"},
    {"passport_compact_form", VG_STAGE_TOKEN, "PPT_MALFORMED", "the RFC 8225 compact form '..signature'"},
    {"passport_empty_header_segment", VG_STAGE_TOKEN, "PPT_MALFORMED", "the header segment left out: '.claims.signature'"},
    {"passport_header_garbage", VG_STAGE_TOKEN, "JSON_INVALID", "header segment is base64url of non-JSON text"},
    {"passport_header_array", VG_STAGE_TOKEN, "PPT_HEADER_NOT_OBJECT", "header segment is base64url of a JSON array"},
    /* certificates */
    {"cert_expired", VG_STAGE_PKI, "CERT_EXPIRED", "the leaf is re-issued with notAfter = at - 1"},
    {"cert_not_yet_valid", VG_STAGE_PKI, "CERT_NOT_YET_VALID", "the leaf is re-issued with notBefore = at + 1"},
    {"tnauthlist_drop", VG_STAGE_PKI, "CERT_NO_TNAUTHLIST", "the leaf is re-issued without TNAuthList"},
    {"tnauthlist_implicit_tags", VG_STAGE_PKI, "TNAUTH_IMPLICIT_TAG", "the leaf's TNAuthList entries are re-encoded with IMPLICIT tags"},
    {"delegate_outside_parent", VG_STAGE_PKI, "DELEGATION_NOT_ENCOMPASSED", "the leaf's one TN is moved to its parent's range end + 1"},
    {"leaf_key_swap", VG_STAGE_PKI, "CRED_LEAF_KEY_MISMATCH", "the leaf is re-issued for the key 'mallory'"},
    /* credentials */
    {"present_as_bob", VG_STAGE_CREDENTIAL, "", "the credential is presented with the key 'bob' (a lifted credential)"},
    {"credential_type_unknown", VG_STAGE_CREDENTIAL, "CRED_TYPE_UNKNOWN", "credential_type set to 0xF0FF"},
    {"credential_type_grease", VG_STAGE_CREDENTIAL, "CRED_TYPE_GREASE", "credential_type set to the GREASE value 0x3A3A"},
    /* KeyPackages */
    {"capabilities_drop_type", VG_STAGE_KEYPACKAGE, "MLS_CAPABILITIES_CREDENTIAL", "the credential type is removed from capabilities.credentials"},
    {"lifetime_past_cert", VG_STAGE_KEYPACKAGE, "MLS_LIFETIME_PAST_CREDENTIAL", "lifetime.not_after = the leaf certificate's notAfter + 1"},
    {"lifetime_too_long", VG_STAGE_KEYPACKAGE, "MLS_LIFETIME_TOO_LONG", "lifetime span = 90 days + 1 s"},
    {"init_key_reuse", VG_STAGE_KEYPACKAGE, "MLS_INIT_KEY_REUSE", "init_key = the LeafNode encryption_key"},
    {"cipher_suite_1", VG_STAGE_KEYPACKAGE, "MLS_CIPHER_SUITE", "cipher_suite 0x0001"},
    {"version_2", VG_STAGE_KEYPACKAGE, "MLS_VERSION", "KeyPackage version 2"},
    {"signature_key_compressed", VG_STAGE_KEYPACKAGE, "MLS_KEY_FORMAT", "signature_key as a 33-byte compressed point"},
    {"sign_without_label_prefix", VG_STAGE_KEYPACKAGE, "MLS_LEAF_SIGNATURE", "the LeafNode is signed with label 'LeafNodeTBS' (no 'MLS 1.0 ')"},
    {"keypackage_sig_flip", VG_STAGE_BYTES, "MLS_KP_SIGNATURE", "one bit of the KeyPackage signature flipped"},
    {"leafnode_sig_flip", VG_STAGE_BYTES, "MLS_LEAF_SIGNATURE", "one bit of the LeafNode signature flipped"},
    {"trailing_byte", VG_STAGE_BYTES, "TRAILING_BYTES", "one 0x00 byte appended"},
    {"truncate_last_byte", VG_STAGE_BYTES, "TRUNCATED", "the last byte removed"},
    {"varint_nonminimal", VG_STAGE_BYTES, "VARINT_NONMINIMAL", "the first one-byte vector length re-encoded in two bytes"},
    {"varint_nonminimal4", VG_STAGE_BYTES, "VARINT_NONMINIMAL", "the first one-byte vector length re-encoded in four bytes (prefix 10)"},
    /* PASSporT text, signature and SIP Identity header forms (build_token.c) */
    {"passport_iat_float", VG_STAGE_CLAIMS, "PPT_IAT_TYPE", "iat as a JSON number with a fraction part '.0'"},
    {"passport_dup_header", VG_STAGE_CLAIMS, "JSON_DUPLICATE_MEMBER", "header text repeats the typ member (signed)"},
    {"passport_header_noncanonical", VG_STAGE_CLAIMS, "JSON_NONCANONICAL", "header text with a space after the first ':' (signed; strict: reject, lenient: accept)"},
    {"passport_claims_array", VG_STAGE_CLAIMS, "PPT_CLAIMS_NOT_OBJECT", "claims text wrapped in a JSON array (signed)"},
    {"passport_claims_unicode_escape", VG_STAGE_CLAIMS, "JSON_NONCANONICAL", "the first digit of orig.tn written as a \\u escape (signed; strict: reject, lenient: accept)"},
    {"passport_b64_padding_signed", VG_STAGE_TOKEN, "B64URL_PADDING", "'=' padding on the claims segment, signed over the padded segment (a padding-tolerant verifier accepts)"},
    {"passport_claims_altered", VG_STAGE_TOKEN, "PPT_SIG_INVALID", "claims segment replaced after signing by the claims with iat + 1"},
    {"passport_sig_empty", VG_STAGE_TOKEN, "PPT_MALFORMED", "empty signature segment ('header.claims.')"},
    {"passport_sig_truncate", VG_STAGE_TOKEN, "PPT_SIG_LENGTH", "signature cut to 63 bytes"},
    {"passport_sig_r_zero", VG_STAGE_TOKEN, "PPT_SIG_RANGE", "R set to zero"},
    {"passport_sig_s_order", VG_STAGE_TOKEN, "PPT_SIG_RANGE", "S set to the group order n"},
    {"passport_sig_r_flip", VG_STAGE_TOKEN, "PPT_SIG_INVALID", "one bit of R flipped"},
    {"passport_sig_high_s", VG_STAGE_TOKEN, "", "S replaced by n - S: still a valid signature (OQ-20: accepted)"},
    {"passport_sig_nonzero_bits", VG_STAGE_TOKEN, "B64URL_INVALID", "the signature segment's last character has a non-zero unused bit"},
    {"passport_trailing_newline", VG_STAGE_TOKEN, "B64URL_INVALID", "a newline after the signature segment"},
    {"mky_alg_uppercase", VG_STAGE_CLAIMS, "MKY_ALG_UNSUPPORTED", "the entry's alg written 'SHA-256' (strict: no sha-256 entry left; lenient: accept)"},
    {"mky_dash_separators", VG_STAGE_CLAIMS, "MKY_DIG_MALFORMED", "dig pairs joined by '-' instead of ':'"},
    {"mky_dig_long", VG_STAGE_CLAIMS, "MKY_DIG_MALFORMED", "dig with a 33rd byte pair ':00'"},
    {"mky_dig_nonhex", VG_STAGE_CLAIMS, "MKY_DIG_MALFORMED", "the first dig pair replaced by 'ZZ'"},
    {"mky_entry_no_dig", VG_STAGE_CLAIMS, "MKY_MALFORMED", "the entry has no dig member"},
    {"mky_empty_array", VG_STAGE_CLAIMS, "MKY_MALFORMED", "mky is an empty array"},
    {"mky_over_vec_key", VG_STAGE_CLAIMS, "MKY_MISMATCH", "dig over the TLS-encoded signature_key<V> (0x41 length header + point), not the raw point"},
    {"mky_over_spki", VG_STAGE_CLAIMS, "MKY_MISMATCH", "dig over the DER SubjectPublicKeyInfo of the key, not the raw point"},
    {"mky_add_sha384", VG_STAGE_CLAIMS, "", "an extra sha-384 entry (48 byte pairs) before the sha-256 one (ignored: MKY-03)"},
    {"identity_header", VG_STAGE_TOKEN, "", "the token as a SIP Identity header value ';info=<x5u>;alg=ES256' (SIP profile)"},
    {"identity_info_mismatch", VG_STAGE_TOKEN, "PPT_INFO_MISMATCH", "Identity header whose info URI differs from the header x5u"},
    {"identity_alg_es384", VG_STAGE_TOKEN, "PPT_IDENTITY_PARAM", "Identity header with alg=ES384 while the PASSporT says ES256"},
    {"x5u_unmapped", VG_STAGE_TOKEN, "PPT_X5U_UNRESOLVED", "no chain carried, and the x5u map holds the signer chain only under another URL"},
    {"identity_ppt_shaken", VG_STAGE_TOKEN, "PPT_IDENTITY_PARAM", "Identity header with ppt=shaken on a PASSporT without ppt"},
    {"identity_ppt_quoted", VG_STAGE_TOKEN, "", "Identity header with ppt as a quoted-string, ppt=\"shaken\" (RFC 8224 §4.1 allows a token or a quoted-string)"},
    {"identity_info_no_brackets", VG_STAGE_TOKEN, "PPT_MALFORMED", "Identity header whose info URI lacks its angle brackets (info=https://...)"},
    {"identity_info_open_only", VG_STAGE_TOKEN, "PPT_MALFORMED", "Identity header whose info URI has '<' but no '>'"},
    {"identity_info_empty", VG_STAGE_TOKEN, "PPT_INFO_MISMATCH", "Identity header with an empty info URI, info=<> (not the x5u)"},
    {"identity_param_no_value", VG_STAGE_TOKEN, "PPT_MALFORMED", "Identity header with a parameter without '=' (;foo) after alg"},
    /* issue 19: MLS key encodings, mky entry order, JSON and base64url text (build_mls.c, build_token.c) */
    {"init_key_compressed", VG_STAGE_KEYPACKAGE, "MLS_KEY_FORMAT", "init_key as a 33-byte compressed point"},
    {"init_key_hybrid", VG_STAGE_KEYPACKAGE, "MLS_KEY_FORMAT", "init_key as a 65-byte X9.62 hybrid point (06/07 || X || Y)"},
    {"encryption_key_hybrid", VG_STAGE_KEYPACKAGE, "MLS_KEY_FORMAT", "encryption_key as a 65-byte X9.62 hybrid point (06/07 || X || Y)"},
    {"signature_key_hybrid", VG_STAGE_KEYPACKAGE, "MLS_KEY_FORMAT", "signature_key as a 65-byte X9.62 hybrid point (06/07 || X || Y)"},
    {"mky_append_malformed", VG_STAGE_CLAIMS, "MKY_DIG_MALFORMED", "a second sha-256 entry whose dig has 31 byte pairs, after the (matching) first"},
    {"mky_append_lowercase", VG_STAGE_CLAIMS, "MKY_DIG_LOWERCASE", "a second sha-256 entry with the matching digest in lower-case hex, after the first (strict: reject; lenient: accept)"},
    {"mky_append_non_object", VG_STAGE_CLAIMS, "MKY_MALFORMED", "a second entry that is the string \"sha-256\", not an object, after the (matching) first"},
    {"passport_claims_trailing_object", VG_STAGE_CLAIMS, "JSON_INVALID", "claims text followed by '{}' (signed): bytes after the JSON object"},
    {"passport_claims_nul_escape", VG_STAGE_CLAIMS, "JSON_INVALID", "a \\u0000 escape appended inside the dest URI string (signed)"},
    {"passport_b64_len_mod4_1", VG_STAGE_TOKEN, "B64URL_INVALID", "one 'A' appended to a claims segment of whole quanta (length 1 mod 4), signed over that segment"},
    {"passport_claims_raw_nul", VG_STAGE_TOKEN, "JSON_INVALID", "a raw 0x00 byte inside the dest URI string of the claims segment, signed over that segment"},
    {"passport_b64_std_alphabet_signed", VG_STAGE_TOKEN, "B64URL_INVALID", "'-' and '_' in the claims segment replaced by '+' and '/', signed over that segment"},
    /* issue 19: the group kinds' own bytes (build_group.c) */
    {"group_info_trailing_byte", VG_STAGE_GROUP, "TRAILING_BYTES", "one 0x00 byte after the GroupInfo MLSMessage"},
    {"group_info_version_2", VG_STAGE_GROUP, "MLS_VERSION", "the GroupInfo MLSMessage's version set to 2 (outside the signed GroupInfo)"},
    {"group_info_wire_format_key_package", VG_STAGE_GROUP, "MLS_MESSAGE_WIRE_FORMAT", "the GroupInfo MLSMessage's wire_format set to mls_key_package (5)"},
    {"group_cipher_suite_1", VG_STAGE_GROUP, "MLS_CIPHER_SUITE", "GroupContext.cipher_suite 0x0001, signed (the members' leaves are P-256 as in suite 2)"},
    {"message_trailing_byte", VG_STAGE_GROUP, "TRAILING_BYTES", "one 0x00 byte after the PublicMessage MLSMessage"},
    {"group_info_no_ratchet_tree", VG_STAGE_GROUP, "MLS_RATCHET_TREE_MISSING", "the GroupInfo without its ratchet_tree extension (signed)"},
    {"tree_parent_node_type_3", VG_STAGE_GROUP, "MLS_NODE_TYPE", "the node_type of parent node 1 (group.parents index 0) set to the undefined value 3 (signed; tree_hash as before)"},
    {"tree_first_presence_2", VG_STAGE_GROUP, "OPTIONAL_PRESENCE", "the presence octet of the ratchet tree's first optional<Node> set to 2 (signed; tree_hash as before)"},
    {"message_version_2", VG_STAGE_GROUP, "MLS_VERSION", "the PublicMessage MLSMessage's version set to 2 (outside the signed content)"},
    {"credential_cert2_truncated", VG_STAGE_CREDENTIAL, "CERT_PARSE", "the credential's second certificate loses its last byte (its cert_data length follows): not a DER certificate"},
    /* issue 19: member order of the PASSporT JSON (build_token.c) */
    {"passport_header_unsorted", VG_STAGE_CLAIMS, "JSON_NONCANONICAL", "header members in reverse order, not lexicographic (signed; same length as the deterministic form; strict: reject, lenient: accept)"},
    {"passport_claims_unsorted", VG_STAGE_CLAIMS, "JSON_NONCANONICAL", "claims members in reverse order, not lexicographic (signed; same length as the deterministic form; strict: reject, lenient: accept)"},
    /* issue 19: a PublicMessage's content, signed as changed (build_group.c) */
    {"proposal_type_0", VG_STAGE_GROUP, "MLS_PROPOSAL_TYPE", "the Proposal's proposal_type set to the reserved 0x0000 (signed)"},
    {"commit_proposal_or_ref_3", VG_STAGE_GROUP, "MLS_PROPOSAL_TYPE", "the first ProposalOrRef's type octet set to the undefined 3 (signed)"},
    {"commit_path_leaf_key_overrun", VG_STAGE_GROUP, "TRUNCATED", "the UpdatePath leaf's encryption_key<V> length set to 16383, past the message (signed)"},
};

const struct vg_mutator *vg_mutator_find(const char *name)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

size_t vg_mutator_count(void)
{
    return sizeof table / sizeof table[0];
}

const struct vg_mutator *vg_mutator_at(size_t i)
{
    return i < vg_mutator_count() ? &table[i] : NULL;
}
