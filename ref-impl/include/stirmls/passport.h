/*
 * passport.h: PASSporTs (RFC 8225) in full-form JWS compact serialization, ES256 only.
 *
 * Verification is split in pluggable steps so the certificate layer stays outside this module:
 *
 *   stirmls_passport *p;
 *   rc = stirmls_passport_parse(tok, len, &policy, &p, &d);      // token, header, claims (no key)
 *   // the caller resolves the signer: p->x5u (or the credential's chain), validates the chain
 *   // at `at`, checks that the signer's TNAuthList covers p->orig_tn, and gets its notAfter
 *   rc = stirmls_passport_verify(p, signer_key, signer_not_after, &policy, at,
 *                                mls_signature_key, mls_signature_key_len, &result, &d);
 *   rc = stirmls_passport_apply_jcc(p, &jcc, &d);                 // per certificate on the path
 *   stirmls_passport_free(p);
 *
 * stirmls_passport_verify runs, in this order: time (EXP-02..04, or the SIP window), the ES256
 * signature over the RECEIVED signing input (PPT-14/16), and the mky binding (MKY-03/04) when an
 * MLS signature key is given (required in the MLS profile).
 */
#ifndef STIRMLS_PASSPORT_H
#define STIRMLS_PASSPORT_H

#include "stirmls/base.h"
#include "stirmls/crypto.h"
#include "stirmls/jcc.h"
#include "stirmls/json.h"

#define STIRMLS_PASSPORT_MAX_LEN 65536 /* longer tokens: LENGTH_LIMIT */

typedef enum stirmls_ppt_profile {
    STIRMLS_PPT_PROFILE_MLS = 0, /* long-lived credential: [iat-skew, min(exp, iat+max_age, notAfter)] */
    STIRMLS_PPT_PROFILE_SIP = 1  /* RFC 8224: |at - iat| <= sip_window (and exp, notAfter if any) */
} stirmls_ppt_profile;

typedef enum stirmls_ppt_ext {
    STIRMLS_PPT_EXT_NONE = 0, /* no ppt */
    STIRMLS_PPT_EXT_SHAKEN,   /* RFC 8588 */
    STIRMLS_PPT_EXT_RCD       /* RFC 9795 */
} stirmls_ppt_ext;

typedef struct stirmls_ppt_policy {
    stirmls_ppt_profile profile; /* default MLS */
    int lenient;                 /* 0 = strict (default): deterministic JSON and upper-case mky dig */
    int chain_carried;           /* 1: the credential carries the signer chain, x5u is optional */
    uint64_t skew;               /* MLS: allowed future iat, default 300 s */
    uint64_t max_age;            /* MLS: default 7 days (604800 s) */
    uint64_t sip_window;         /* SIP: default 60 s, both directions */
} stirmls_ppt_policy;

void stirmls_ppt_policy_init(stirmls_ppt_policy *p);

/* A parsed PASSporT (owned; stirmls_passport_free). Fields are read-only for callers; strings are
 * borrowed from the object and live until it is freed. */
typedef struct stirmls_passport {
    /* the received token and its parts */
    char *token;               /* owned copy, NUL-terminated */
    size_t token_len;
    size_t signing_input_len;  /* token[0..signing_input_len) = header "." claims, as received */
    uint8_t *sig;              /* decoded signature bytes (owned) */
    size_t sig_len;
    stirmls_json *header;      /* owned parsed header */
    stirmls_json *claims;      /* owned parsed claims */
    /* header */
    const char *x5u;           /* NULL when absent */
    stirmls_ppt_ext ppt;
    /* claims */
    int64_t iat;
    int has_exp;
    int64_t exp;
    const char *orig_tn;       /* canonical digits, NULL when orig uses uri */
    const char *orig_uri;      /* NULL when orig uses tn */
    char attest;               /* 'A', 'B', 'C' for shaken, else 0 */
    const char *origid;        /* shaken origid, else NULL */
    const stirmls_json *rcd;   /* rcd claim object when ppt is rcd, else NULL (borrowed) */
    const stirmls_json *mky;   /* mky claim or NULL (borrowed) */
} stirmls_passport;

/* Token, header and claims checks (VAL-P steps 1-3); no key, no time. */
STIRMLS_MUST_USE stirmls_reason stirmls_passport_parse(const char *token, size_t len,
                                                       const stirmls_ppt_policy *pol,
                                                       stirmls_passport **out, stirmls_detail *d);
void stirmls_passport_free(stirmls_passport *p);

typedef struct stirmls_ppt_result {
    uint64_t valid_from;  /* first valid second (inclusive) */
    uint64_t valid_until; /* last valid second (inclusive): the PASSporT's effective expiry, the
                             bound for KeyPackage lifetime.not_after (EXP-05) */
} stirmls_ppt_result;

/* Time window only (EXP-02..04 / SIP). signer_not_after = UINT64_MAX when unknown.
 * PPT_IAT_FUTURE, PPT_STALE, PPT_EXPIRED, PPT_SIGNER_EXPIRED. */
STIRMLS_MUST_USE stirmls_reason stirmls_passport_check_time(const stirmls_passport *p,
                                                            const stirmls_ppt_policy *pol, uint64_t at,
                                                            uint64_t signer_not_after,
                                                            stirmls_ppt_result *res,
                                                            stirmls_detail *d);
/* ES256 over the received signing input: PPT_SIG_LENGTH, PPT_SIG_RANGE, PPT_SIG_INVALID. */
STIRMLS_MUST_USE stirmls_reason stirmls_passport_check_signature(const stirmls_passport *p,
                                                                 const stirmls_key *signer,
                                                                 stirmls_detail *d);
/* Time, signature, then mky (when sigkey != NULL; the MLS profile requires it: USAGE if NULL). */
STIRMLS_MUST_USE stirmls_reason stirmls_passport_verify(const stirmls_passport *p,
                                                        const stirmls_key *signer,
                                                        uint64_t signer_not_after,
                                                        const stirmls_ppt_policy *pol, uint64_t at,
                                                        const uint8_t *sigkey, size_t sigkey_len,
                                                        stirmls_ppt_result *res, stirmls_detail *d);

/* ---- JWT claim constraints (RFC 8226 §8 / RFC 9118), decoded elsewhere ------------------- */

/* stirmls_jcc (the decoded constraints of one certificate) is defined in stirmls/jcc.h. */

/* Apply one certificate's constraints to the claims (call once per certificate on the path).
 * Checks in this order: mustInclude (PPT_JCC_MUST_INCLUDE), permittedValues (PPT_JCC_PERMITTED:
 * a string claim must equal one value; a non-string claim's deterministic JSON must equal one
 * value), mustExclude (PPT_JCC_MUST_EXCLUDE). */
STIRMLS_MUST_USE stirmls_reason stirmls_passport_apply_jcc(const stirmls_passport *p,
                                                           const stirmls_jcc *jcc,
                                                           stirmls_detail *d);

/* PPT-19: are two x5u URLs the same under RFC 3986 §6.2.2.1? Scheme and host compare without regard
 * to (ASCII) case, the path and query octet for octet. 1 yes, 0 no; a string without "://" or with
 * a userinfo gives 0 (the caller compares those with strcmp). */
int stirmls_x5u_equivalent(const char *a, const char *b);

/* ---- signing ------------------------------------------------------------------------------ */

/* Sign claims_json (any JSON object text) with header {"alg":"ES256","ppt"?,"typ":"passport",
 * "x5u"?}; both re-serialized deterministically; ES256 raw R||S (RFC 6979). ppt and x5u may be
 * NULL. *token owned (free()), NUL-terminated. */
STIRMLS_MUST_USE stirmls_reason stirmls_passport_sign(const stirmls_key *k, const char *x5u,
                                                      const char *ppt, const char *claims_json,
                                                      size_t claims_len, char **token,
                                                      stirmls_detail *d);
/* Sign the given header and claims BYTES as they are (no parsing, no re-serialization): for
 * test vectors and mutations. *token owned (free()). */
STIRMLS_MUST_USE stirmls_reason stirmls_passport_sign_bytes(const stirmls_key *k, const void *header,
                                                            size_t hlen, const void *claims,
                                                            size_t clen, char **token);
/* Assemble a token from header and claims bytes and arbitrary signature bytes. Owned. */
char *stirmls_passport_assemble(const void *header, size_t hlen, const void *claims, size_t clen,
                                const uint8_t *sig, size_t siglen);

#endif
