/*
 * reason.h: the one table of reason codes.
 *
 * Shared by the library, the CLI, the harness and the reports. APPEND-ONLY: a code, once
 * published, is never renumbered, renamed or reused. Scenarios, the interop protocol and the
 * reports use the NAMES; the numbers exist for the C API only.
 *
 * X(NAME, number, SIP class, "one-line meaning")
 *   SIP class: the RFC 8224 §6.2.2 response a SIP verifier would send (403, 428, 436, 437, 438),
 *   or 0 where none applies (MLS-only rules, usage errors).
 *
 * Groups (new codes go at the END of their group, with the next free number of that group):
 *   0x00xx general        0x01xx encodings (reader, DER, TLS, base64url, JSON, PEM, hex)
 *   0x02xx TNAuthList     0x03xx certificates and chains     0x04xx PASSporT header/token
 *   0x05xx PASSporT claims and authority   0x06xx mky   0x07xx expiry   0x08xx MLS credential
 *   0x09xx LeafNode/KeyPackage   0x0Axx MLS group state and messages (GroupInfo, ratchet tree, PublicMessage)
 */
#ifndef STIRMLS_REASON_H
#define STIRMLS_REASON_H

#define STIRMLS_REASONS(X) \
    /* 0x00xx general */ \
    X(OK,                        0x0000,   0, "accepted") \
    X(INTERNAL,                  0x0001,   0, "internal error (allocation failure or library fault)") \
    X(USAGE,                     0x0002,   0, "invalid argument or unreadable input") \
    X(UNSUPPORTED,               0x0003,   0, "the input uses a feature this implementation does not support") \
    /* 0x01xx encodings */ \
    X(TRUNCATED,                 0x0101, 438, "input ended inside a field") \
    X(TRAILING_BYTES,            0x0102, 438, "bytes left over after the last field") \
    X(VARINT_PREFIX,             0x0103,   0, "MLS variable-length integer uses the reserved 11 prefix") \
    X(VARINT_NONMINIMAL,         0x0104,   0, "MLS variable-length integer not in its shortest form") \
    X(OPTIONAL_PRESENCE,         0x0105,   0, "optional<T> presence octet other than 0 or 1") \
    X(DER_MALFORMED,             0x0106, 438, "DER encoding is malformed (tag, length or content)") \
    X(DER_NONCANONICAL,          0x0107, 438, "BER form not allowed in DER (indefinite or non-minimal length)") \
    X(B64URL_INVALID,            0x0108, 438, "base64url segment has a character outside the URL-safe alphabet") \
    X(B64URL_PADDING,            0x0109, 438, "base64url segment carries '=' padding") \
    X(JSON_INVALID,              0x010A, 438, "JSON text does not parse") \
    X(JSON_DUPLICATE_MEMBER,     0x010B, 438, "JSON object has a duplicate member name") \
    X(JSON_NONCANONICAL,         0x010C, 438, "JSON is not in the deterministic form of RFC 8225 §9 (strict mode)") \
    X(PEM_INVALID,               0x010D,   0, "PEM input holds no usable block") \
    X(HEX_INVALID,               0x010E,   0, "hex input is malformed") \
    X(LENGTH_LIMIT,              0x010F, 438, "a length exceeds the configured limit") \
    /* 0x02xx TNAuthList */ \
    X(TNAUTH_EMPTY,              0x0201, 438, "TNAuthList is an empty SEQUENCE") \
    X(TNAUTH_BAD_TAG,            0x0202, 438, "TNAuthList entry has an unknown CHOICE tag") \
    X(TNAUTH_IMPLICIT_TAG,       0x0203, 438, "TNAuthList entry is implicitly tagged; RFC 8226 uses explicit tags") \
    X(TNAUTH_BAD_TN,             0x0204, 438, "telephone number empty, longer than 15 or outside 0-9*#") \
    X(TNAUTH_RANGE_COUNT,        0x0205, 438, "TelephoneNumberRange count below 2") \
    X(TNAUTH_BAD_SPC,            0x0206, 438, "ServiceProviderCode is not a non-empty IA5String") \
    X(TNAUTH_BAD_STRING_TYPE,    0x0207, 438, "TNAuthList string is not an IA5String") \
    /* 0x03xx certificates and chains */ \
    X(CERT_PARSE,                0x0301, 437, "certificate does not parse as DER X.509") \
    X(CERT_CHAIN_EMPTY,          0x0302, 436, "no certificate was supplied") \
    X(CERT_CHAIN_TOO_LONG,       0x0303, 437, "chain longer than the configured maximum") \
    X(CERT_UNTRUSTED,            0x0304, 437, "no path from the leaf to a configured trust anchor") \
    X(CERT_SIGNATURE,            0x0305, 437, "a certificate signature does not verify") \
    X(CERT_EXPIRED,              0x0306, 437, "a certificate's notAfter is before the evaluation time") \
    X(CERT_NOT_YET_VALID,        0x0307, 437, "a certificate's notBefore is after the evaluation time") \
    X(CERT_UNKNOWN_CRITICAL_EXT, 0x0308, 437, "a certificate has an unrecognised critical extension") \
    X(CERT_KEY_USAGE,            0x0309, 437, "end-entity keyUsage lacks digitalSignature") \
    X(CERT_NOT_CA,               0x030A, 437, "an issuing certificate is not cA=TRUE (or lacks keyCertSign)") \
    X(CERT_KEY_TYPE,             0x030B, 437, "a key is not an ECDSA P-256 key") \
    X(CERT_SIG_ALG,              0x030C, 437, "a signature algorithm is not ecdsa-with-SHA256") \
    X(CERT_PATH_LENGTH,          0x030D, 437, "a pathLenConstraint is exceeded") \
    X(CERT_NO_TNAUTHLIST,        0x030E, 438, "the end-entity certificate has no TNAuthList") \
    X(CERT_TNAUTHLIST_INVALID,   0x030F, 438, "a certificate's TNAuthList extension does not decode") \
    X(DELEGATION_NOT_ENCOMPASSED,0x0310, 438, "a certificate's TNAuthList is not encompassed by its issuer's (RFC 9060)") \
    X(DELEGATION_SPC_PARENT,     0x0311, 438, "TN entries under an SPC-only issuer, and that SPC is not trusted") \
    X(TN_NOT_COVERED,            0x0312, 438, "the telephone number is not covered by the certificate's TNAuthList") \
    X(SPC_NOT_TRUSTED,           0x0313, 438, "only an SPC vouches for the number, and that SPC is not trusted") \
    X(CERT_REVOKED,              0x0314, 437, "a certificate is revoked by a supplied CRL") \
    X(CERT_PROFILE,              0x0315, 437, "a certificate breaks the configured SHAKEN profile") \
    X(CERT_JCC_BOTH,             0x0316, 437, "a certificate carries both JWTClaimConstraints and EnhancedJWTClaimConstraints") \
    X(CERT_JCC_INVALID,          0x0317, 437, "a JWT claim constraints extension does not decode") \
    X(CERT_CHAIN_ORDER,          0x0318, 437, "the presented certificates are not one path in order (leaf first, each issued by the next)") \
    X(CERT_AKI_MISMATCH,         0x0319, 437, "an authority key identifier differs from its issuer's subject key identifier") \
    /* 0x04xx PASSporT token and header */ \
    X(PPT_MALFORMED,             0x0401, 438, "PASSporT is not three non-empty base64url segments") \
    X(PPT_HEADER_NOT_OBJECT,     0x0402, 438, "PASSporT header is not a JSON object") \
    X(PPT_TYP,                   0x0403, 438, "PASSporT header typ is missing or not \"passport\"") \
    X(PPT_ALG_NONE,              0x0404, 437, "PASSporT alg is \"none\"") \
    X(PPT_ALG_HMAC,              0x0405, 437, "PASSporT alg is an HMAC algorithm (HS256...)") \
    X(PPT_ALG_RSA,               0x0406, 437, "PASSporT alg is an RSA algorithm (RS256...)") \
    X(PPT_ALG_UNSUPPORTED,       0x0407, 437, "PASSporT alg is missing or not ES256") \
    X(PPT_X5U_MISSING,           0x0408, 436, "no x5u and no certificate chain to find the signer") \
    X(PPT_X5U_SCHEME,            0x0409, 436, "x5u is not an https URL") \
    X(PPT_X5U_UNRESOLVED,        0x040A, 436, "x5u could not be resolved to a certificate chain") \
    X(PPT_PPT_UNSUPPORTED,       0x040B, 438, "ppt names an extension this verifier does not support") \
    X(PPT_PPT_MSG,               0x040C, 438, "a ppt \"msg\" PASSporT is per message and cannot be an MLS credential") \
    X(PPT_CRIT_UNKNOWN,          0x040D, 438, "crit lists a header parameter that is not understood") \
    X(PPT_SIG_LENGTH,            0x040E, 438, "ES256 signature is not 64 bytes of R||S (e.g. DER)") \
    X(PPT_SIG_INVALID,           0x040F, 438, "PASSporT signature does not verify with the signer's key") \
    X(PPT_SIG_RANGE,             0x0410, 438, "ES256 R or S is zero or not below the group order") \
    X(PPT_CRIT_INVALID,          0x0411, 438, "crit is not a non-empty array of strings") \
    X(PPT_HEADER_MEMBER,         0x0412, 438, "a header member has the wrong JSON type") \
    X(PPT_INFO_MISMATCH,         0x0413, 436, "the SIP Identity info parameter differs from the PASSporT x5u") \
    X(PPT_IDENTITY_PARAM,        0x0414, 438, "a SIP Identity alg or ppt parameter contradicts the PASSporT header") \
    /* 0x05xx PASSporT claims and authority */ \
    X(PPT_CLAIMS_NOT_OBJECT,     0x0501, 438, "PASSporT claims are not a JSON object") \
    X(PPT_IAT_MISSING,           0x0502, 438, "iat is missing") \
    X(PPT_IAT_TYPE,              0x0503, 438, "iat is not a non-negative JSON integer") \
    X(PPT_ORIG_INVALID,          0x0504, 438, "orig is not an object with exactly one of tn or uri") \
    X(PPT_ORIG_URI,              0x0505, 438, "orig uses uri; an MLS credential needs orig.tn") \
    X(PPT_DEST_INVALID,          0x0506, 438, "dest is not an object of non-empty tn/uri string arrays") \
    X(PPT_TN_NONCANONICAL,       0x0507, 438, "a tn is not in canonical form (1-15 of 0-9*#, no +)") \
    X(PPT_SHAKEN_ATTEST,         0x0508, 438, "shaken PASSporT attest is missing or not A, B or C") \
    X(PPT_SHAKEN_ORIGID,         0x0509, 438, "shaken PASSporT origid is missing or not a UUID") \
    X(PPT_RCD_INVALID,           0x050A, 438, "rcd PASSporT rcd claim is missing or malformed") \
    X(PPT_JCC_MUST_INCLUDE,      0x050B, 438, "a claim required by the signer's JWT claim constraints is missing") \
    X(PPT_JCC_PERMITTED,         0x050C, 438, "a claim value is not permitted by the signer's JWT claim constraints") \
    X(PPT_JCC_MUST_EXCLUDE,      0x050D, 438, "a claim excluded by the signer's EnhancedJWTClaimConstraints is present") \
    X(PPT_EXP_TYPE,              0x050E, 438, "exp is not a JSON integer") \
    /* 0x06xx mky */ \
    X(MKY_MISSING,               0x0601, 438, "the PASSporT has no mky claim") \
    X(MKY_MALFORMED,             0x0602, 438, "mky is not an array of {alg, dig} objects") \
    X(MKY_MISMATCH,              0x0603, 438, "no mky entry matches the MLS signature key") \
    X(MKY_ALG_UNSUPPORTED,       0x0604, 438, "mky has only entries with unsupported alg values") \
    X(MKY_DIG_MALFORMED,         0x0605, 438, "an mky dig is not 32 hex byte pairs joined by ':'") \
    X(MKY_DIG_LOWERCASE,         0x0606, 438, "an mky dig uses lower-case hex (strict mode)") \
    /* 0x07xx expiry */ \
    X(PPT_IAT_FUTURE,            0x0701, 403, "iat is later than the evaluation time plus the allowed skew") \
    X(PPT_STALE,                 0x0702, 403, "the PASSporT is older than the profile's maximum age") \
    X(PPT_EXPIRED,               0x0703, 403, "the PASSporT's exp is before the evaluation time") \
    X(PPT_EXP_NOT_AFTER_IAT,     0x0704, 438, "exp is not later than iat") \
    X(PPT_SIGNER_EXPIRED,        0x0705, 437, "the PASSporT outlives its signer certificate at the evaluation time") \
    /* 0x08xx MLS credential */ \
    X(CRED_TYPE_UNKNOWN,         0x0801,   0, "credential type is not one this verifier supports") \
    X(CRED_TYPE_GREASE,          0x0802,   0, "credential type is a GREASE value") \
    X(CRED_BASIC_NO_TN,          0x0803,   0, "a basic credential never authenticates a telephone number") \
    X(CRED_EMPTY_CHAIN,          0x0804,   0, "the credential's certificates vector is empty") \
    X(CRED_LEAF_KEY_MISMATCH,    0x0805,   0, "the leaf certificate key differs from the LeafNode signature_key") \
    X(CRED_X509_NOT_ALLOWED,     0x0806,   0, "an x509 credential carrying a STIR chain needs the STIR profile option") \
    X(CRED_SUCCESSOR_TN,         0x0807,   0, "a replacement credential presents a different telephone number") \
    /* 0x09xx LeafNode and KeyPackage */ \
    X(MLS_VERSION,               0x0901,   0, "protocol version is not mls10") \
    X(MLS_WIRE_FORMAT,           0x0902,   0, "MLSMessage wire_format is not mls_key_package") \
    X(MLS_CIPHER_SUITE,          0x0903,   0, "cipher suite is not 0x0002") \
    X(MLS_KEY_FORMAT,            0x0904,   0, "a public key is not a 65-byte uncompressed P-256 point") \
    X(MLS_KP_SIGNATURE,          0x0905,   0, "KeyPackage signature does not verify under signature_key") \
    X(MLS_LEAF_SIGNATURE,        0x0906,   0, "LeafNode signature does not verify under signature_key") \
    X(MLS_CAPABILITIES_CREDENTIAL,0x0907,  0, "the credential type is missing from capabilities.credentials") \
    X(MLS_LEAF_SOURCE,           0x0908,   0, "leaf_node_source does not match the context") \
    X(MLS_LIFETIME_EXPIRED,      0x0909,   0, "the evaluation time is outside [not_before, not_after]") \
    X(MLS_LIFETIME_TOO_LONG,     0x090A,   0, "the lifetime span exceeds the configured maximum") \
    X(MLS_LIFETIME_INVERTED,     0x090B,   0, "lifetime not_after is before not_before") \
    X(MLS_LIFETIME_PAST_CREDENTIAL,0x090C, 0, "lifetime not_after is later than the credential's expiry") \
    X(MLS_INIT_KEY_REUSE,        0x090D,   0, "init_key equals the LeafNode encryption_key") \
    X(MLS_EXTENSION_NOT_IN_CAPS, 0x090E,   0, "an extension is not listed in capabilities.extensions") \
    X(MLS_SIGNATURE_FORMAT,      0x090F,   0, "an MLS signature is not a DER ECDSA-Sig-Value") \
    X(MLS_UPDATE_KEY_REUSE,      0x0910,   0, "an update LeafNode keeps the member's previous encryption_key") \
    X(MLS_EXTENSION_DUPLICATE,   0x0911,   0, "an extension list holds two extensions of the same type (RFC 9420 13.4)") \
    X(MLS_CAPABILITIES_DEFAULT_LISTED,0x0912,0, "capabilities list a default extension or proposal type (RFC 9420 7.2; strict option)") \
    /* 0x0Axx MLS group state and messages */ \
    X(MLS_MESSAGE_WIRE_FORMAT,   0x0A01,   0, "MLSMessage wire_format is not the one this input must carry") \
    X(MLS_NODE_TYPE,             0x0A02,   0, "a ratchet tree node_type is undefined or not the one its position demands") \
    X(MLS_TREE_SHAPE,            0x0A03,   0, "the ratchet tree is empty or its last node is blank") \
    X(MLS_SENDER_TYPE,           0x0A04,   0, "sender_type is undefined or not allowed for this content") \
    X(MLS_CONTENT_TYPE,          0x0A05,   0, "content_type is undefined or not a proposal or commit") \
    X(MLS_PROPOSAL_TYPE,         0x0A06,   0, "proposal_type is undefined (or a proposal or reference type this reader does not know)") \
    X(MLS_PSK_TYPE,              0x0A07,   0, "PreSharedKeyID psktype or resumption usage is undefined") \
    X(MLS_RATCHET_TREE_MISSING,  0x0A08,   0, "the GroupInfo carries no ratchet_tree extension") \
    X(MLS_GROUP_INFO_SIGNER,     0x0A09,   0, "the GroupInfo signer is not a non-blank leaf of the tree") \
    X(MLS_GROUP_INFO_SIGNATURE,  0x0A0A,   0, "the GroupInfo signature does not verify under the signer's signature_key") \
    X(MLS_TREE_HASH,             0x0A0B,   0, "the ratchet tree's hash differs from GroupContext.tree_hash") \
    X(MLS_PARENT_HASH,           0x0A0C,   0, "a non-blank parent node is not parent-hash valid") \
    X(MLS_UNMERGED_LEAF,         0x0A0D,   0, "an unmerged leaf is blank, not below its parent, or missing from a parent between") \
    X(MLS_DUPLICATE_SIGNATURE_KEY,0x0A0E,  0, "two leaves of the tree share a signature_key") \
    X(MLS_DUPLICATE_ENCRYPTION_KEY,0x0A0F, 0, "two nodes of the tree share an encryption_key") \
    X(MLS_MEMBER_EXPIRED,        0x0A10,   0, "a member's credential or lifetime has ended at the evaluation time (policy: reject expired members)") \
    X(MLS_MESSAGE_GROUP,         0x0A11,   0, "the message's group_id or epoch is not the GroupInfo's") \
    X(MLS_SENDER_NOT_MEMBER,     0x0A12,   0, "the sender's leaf is blank or outside the tree") \
    X(MLS_MESSAGE_SIGNATURE,     0x0A13,   0, "the FramedContentTBS signature does not verify under the sender's signature_key") \
    X(MLS_REMOVE_TARGET,         0x0A14,   0, "a Remove names a leaf that is not a member") \
    X(MLS_COMMIT_SAME_LEAF,      0x0A15,   0, "a Commit holds more than one Update or Remove for the same leaf (RFC 9420 12.2)") \
    X(MLS_COMMIT_OWN_UPDATE,     0x0A16,   0, "a Commit holds an Update generated by the committer (by value, or by reference proposed by the committer; RFC 9420 12.2)") \
    X(MLS_COMMIT_REMOVES_COMMITTER,0x0A17, 0, "a Commit removes the committer's own leaf (RFC 9420 12.2)") \
    X(MLS_ADD_EXISTING_KEY,      0x0A18,   0, "an Add's KeyPackage signature_key is already a member's or another Add's (RFC 9420 12.2, 7.3)") \
    X(MLS_REQUIRED_CAPABILITIES, 0x0A19,   0, "a leaf's capabilities lack a type the GroupContext's required_capabilities lists (RFC 9420 11.1, 7.3)") \
    X(MLS_PROPOSAL_REF_UNRESOLVED,0x0A1A,  0, "a Commit's proposal reference matches none of the proposal messages given with it (RFC 9420 12.4, 5.2)")

typedef enum stirmls_reason {
#define STIRMLS_REASON_ENUM(name, num, sip, text) STIRMLS_R_##name = (num),
    STIRMLS_REASONS(STIRMLS_REASON_ENUM)
#undef STIRMLS_REASON_ENUM
} stirmls_reason;

/* The stable name ("MKY_MISMATCH"), or NULL for a value not in the table. */
const char *stirmls_reason_name(stirmls_reason r);
/* The one-line meaning, or NULL. */
const char *stirmls_reason_text(stirmls_reason r);
/* The SIP response class (403/428/436/437/438) or 0 where none applies. */
int stirmls_reason_sip(stirmls_reason r);
/* Look a name up; returns 1 and sets *out when found, 0 otherwise. */
int stirmls_reason_from_name(const char *name, stirmls_reason *out);
/* Iterate: the number of codes, and the i-th code in table order. */
size_t stirmls_reason_count(void);
stirmls_reason stirmls_reason_at(size_t i);

#endif
