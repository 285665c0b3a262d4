/* passport_fixture.h: shared helpers of the PASSporT test files (keys, templated tokens). */
#ifndef STIRMLS_PASSPORT_FIXTURE_H
#define STIRMLS_PASSPORT_FIXTURE_H

#include "stirmls.h"

#define PF_LENIENT 1 /* policy.lenient */
#define PF_SIP 2     /* SIP profile, no MLS signature key */
#define PF_CHAIN 4   /* the credential carries the chain: x5u optional */

#define PF_H0 "{\"alg\":\"ES256\",\"typ\":\"passport\",\"x5u\":\"https://cert.example.org/passport.pem\"}"
#define PF_IAT 1443208345
#define PF_D "\"dest\":{\"tn\":[\"12125551213\"]}"
#define PF_I "\"iat\":1443208345"
#define PF_M "\"mky\":[{\"alg\":\"sha-256\",\"dig\":\"@DIG@\"}]"
#define PF_O "\"orig\":{\"tn\":\"12155551212\"}"
#define PF_C0 "{" PF_D "," PF_I "," PF_M "," PF_O "}"

/* The test signer and the MLS client key (both derived, stable). Owned. */
stirmls_key *pf_signer(void);
stirmls_key *pf_mls_key(void);
/* tmpl with every "@DIG@" replaced by the mky dig of pf_mls_key(). Owned (free()). */
char *pf_fill(const char *tmpl);
/* Sign header/claims (templates, filled, signed as the bytes they are). Owned. */
char *pf_token(const char *hdr, const char *claims);
/* Parse and verify tok at `at` with the fixture keys; flags PF_*. */
stirmls_reason pf_verify(const char *tok, int flags, uint64_t at, uint64_t signer_not_after,
                         stirmls_ppt_result *res, stirmls_detail *d);

/* A root and a TN end-entity for pf_signer(), valid 1400000000..1900000000 (2014-05..2030-03),
 * covering orig 12155551212, written as PEM to root_path and chain_path (the leaf alone). */
void pf_write_chain(const char *root_path, const char *chain_path);

#endif
