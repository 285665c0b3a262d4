/* cli_auth.h: CLI helpers around authority.h: trust anchors and chains from files, and the JSON
 * of a verification result (identities, assurance). */
#ifndef STIRMLS_CLI_AUTH_H
#define STIRMLS_CLI_AUTH_H

#include "cli.h"
#include "stirmls/authority.h"

/* Read and parse a certificate file (PEM bundle or one DER certificate). Unreadable files and
 * files without any certificate are usage errors (message printed, returns 0). A certificate that
 * does not parse is a verdict: returns 0 with *verdict = 1 and d filled. */
int cli_load_certs(const char *path, stirmls_cert_list *l, stirmls_detail *d, int *verdict);
/* Trust anchors from a file into a store (owned: stirmls_trust_free). 0 on usage error (printed). */
int cli_load_trust(const char *path, stirmls_trust **out);
/* identities, assurance, not_after, attest, signer of a successful verification into o. */
void cli_auth_json(json_t *o, const stirmls_auth_result *r);

/* Judge a PASSporT as `passport verify` does (stirmls_auth_passport). With the SIP profile the
 * token may be a whole SIP Identity header value (token;info=<URI>;...) whose parameters must
 * agree with the PASSporT header. Shared by `passport verify` and `serve`. */
stirmls_reason cli_auth_passport(const char *tok, size_t len, const stirmls_cert_list *chain,
                                 const stirmls_auth_opts *ao, const uint8_t *sigkey, size_t sklen,
                                 stirmls_auth_result *res, stirmls_detail *d);

#endif
