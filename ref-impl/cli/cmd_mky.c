/* cmd_mky.c: `stirmls mky --signature-key HEX`, the mky binding entry for an MLS signature key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

const char stirmls_cmd_mky_summary[] = "the mky entry binding a PASSporT to an MLS signature key";

static const char usage[] =
    "usage: stirmls mky --signature-key HEX\n"
    "Prints {\"alg\":\"sha-256\",\"dig\":\"XX:XX:...\"}: SHA-256 of the raw signature_key bytes\n"
    "(for cipher suite 0x0002 the 65-byte uncompressed point) as upper-case hex pairs joined by ':'.";

int stirmls_cmd_mky(int argc, char **argv)
{
    const char *hex = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts(usage);
            return 0;
        }
        if (strcmp(argv[i], "--signature-key") == 0 && i + 1 < argc)
            hex = argv[++i];
        else
            return cli_usage("mky: unknown or incomplete option '%s'", argv[i]);
    }
    if (hex == NULL)
        return cli_usage("mky: --signature-key HEX is required");
    uint8_t *key = NULL;
    size_t len = 0;
    if (stirmls_hex_decode(hex, strlen(hex), &key, &len) != STIRMLS_R_OK || len == 0) {
        free(key);
        return cli_usage("mky: --signature-key is not non-empty hex");
    }
    char *entry = stirmls_mky_entry_json(key, len);
    free(key);
    json_t *obj = entry ? json_loads(entry, 0, NULL) : NULL;
    free(entry);
    if (obj == NULL)
        return cli_usage("mky: out of memory");
    return cli_emit(obj) ? 0 : CLI_EXIT_USAGE;
}
