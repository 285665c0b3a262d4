/* cmd_credential.c: `stirmls credential verify`: judge a bare MLS Credential for a signature key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mls_cli.h"

const char stirmls_cmd_credential_summary[] =
    "verify a bare MLS Credential (STIR types) for an MLS signature key";

static int help(void)
{
    fputs("usage: stirmls credential verify --in FILE --signature-key HEX --at UNIXTIME\n"
          "           [--trust ROOT.pem] [--tn TN] [--trust-spc SPC]... [options]\n"
          "FILE holds one encoded Credential (bytes, or hex with --hex); HEX is the LeafNode\n"
          "signature_key (65-byte uncompressed P-256 point). Prints {\"verdict\",\"reason\",\"detail\",\n"
          "\"credential_type\",\"identities\",\"assurance\",...}. Exit 0 accept, 1 reject, 2 usage.\n"
          "options:\n",
          stdout);
    fputs(cli_mls_options_help, stdout);
    return 0;
}

static int parse(struct cli_mls *m, const char **keyhex, int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--signature-key") == 0) {
            if (i + 1 >= argc)
                return cli_usage("--signature-key needs a value"), 0;
            *keyhex = argv[++i];
            continue;
        }
        int r = cli_mls_option(m, argc, argv, &i);
        if (r < 0)
            return 0;
        if (r == 0)
            return cli_usage("credential verify: unknown option '%s'", argv[i]), 0;
    }
    if (*keyhex == NULL)
        return cli_usage("--signature-key HEX is required"), 0;
    return cli_mls_finish(m, 1);
}

static int verify(int argc, char **argv)
{
    struct cli_mls m;
    const char *keyhex = NULL;
    cli_mls_init(&m);
    uint8_t *buf = NULL, *key = NULL;
    size_t len, keylen;
    if (!parse(&m, &keyhex, argc, argv)) {
        cli_mls_cleanup(&m);
        return CLI_EXIT_USAGE;
    }
    if (stirmls_hex_decode(keyhex, strlen(keyhex), &key, &keylen) != STIRMLS_R_OK) {
        cli_mls_cleanup(&m);
        return cli_usage("--signature-key is not hex");
    }
    if (!cli_mls_read_input(&m, &buf, &len)) {
        free(key);
        cli_mls_cleanup(&m);
        return CLI_EXIT_USAGE;
    }
    stirmls_credential c;
    stirmls_cred_validators v;
    stirmls_identities ids;
    stirmls_detail d;
    uint64_t not_after = 0;
    stirmls_slice sk = {key, keylen};
    stirmls_detail_init(&d);
    stirmls_identities_init(&ids);
    cli_mls_validators(&m, &v);
    int decoded = 0;
    stirmls_reason rc = cli_mls_judge_credential(&m.o, &v, buf, len, sk, m.at, &c, &decoded, &not_after,
                                                 &ids, &d);
    json_t *o = cli_verdict_json(&d);
    json_object_set_new(o, "credential_type",
                        decoded ? json_string(stirmls_cred_kind_name(c.kind)) : json_null());
    if (decoded)
        json_object_set_new(o, "credential_type_code", json_integer(c.type));
    json_object_set_new(o, "identities", cli_mls_identities_json(&ids));
    json_object_set_new(o, "assurance", json_string(rc == STIRMLS_R_OK ? ids.assurance : "none"));
    if (rc == STIRMLS_R_OK)
        json_object_set_new(o, "credential_not_after", cli_u64_json(not_after));
    free(buf), free(key);
    cli_mls_cleanup(&m);
    return cli_emit(o) ? cli_verdict_exit(rc) : CLI_EXIT_USAGE;
}

int stirmls_cmd_credential(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("credential needs a subcommand: verify");
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return help();
    if (strcmp(argv[1], "verify") == 0)
        return verify(argc, argv);
    return cli_usage("credential: unknown subcommand '%s'", argv[1]);
}
