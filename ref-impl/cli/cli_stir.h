/* cli_stir.h: JSON helpers shared by the certificate verbs (tnauthlist, cert). */
#ifndef STIRMLS_CLI_STIR_H
#define STIRMLS_CLI_STIR_H

#include "cli.h"

/* {"entries":[{"type":"spc","value":..},{"type":"range","start":..,"count":N},{"type":"one","value":..}]} style array */
json_t *cli_tna_entries_json(const stirmls_tnauthlist *l);
/* identities: [{"type":"tn"|"range"|"spc","value":..}] (range: value "start/count", plus start and count) */
json_t *cli_tna_identities_json(const stirmls_tnauthlist *l);

#endif
