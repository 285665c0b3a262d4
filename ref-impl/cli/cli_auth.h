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

#endif
