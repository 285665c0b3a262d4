/* stirmls.c: the CLI entry point; dispatches to the verbs in cli/cmd_*.c. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

struct verb {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct verb verbs[] = {
#define CMD(name) {#name, stirmls_cmd_##name, stirmls_cmd_##name##_summary},
#include "cmds.h"
#undef CMD
};

static void usage(FILE *out)
{
    fprintf(out, "usage: stirmls <command> [options]   (stirmls <command> --help for each)\n\n"
                 "stirmls " STIRMLS_VERSION
                 ", the reference implementation of STIR telephone-number credentials in MLS.\n"
                 "Output is JSON on stdout. Exit status: 0 accept, 1 reject, 2 usage or internal "
                 "error.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        fprintf(out, "  %-12s %s\n", verbs[i].name, verbs[i].summary);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("a command is required (stirmls --help lists them)");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)
        return usage(stdout), 0;
    if (strcmp(argv[1], "--version") == 0)
        return printf("stirmls %s (%s)\n", STIRMLS_VERSION, stirmls_crypto_version()), 0;
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (strcmp(argv[1], verbs[i].name) == 0)
            return verbs[i].run(argc - 1, argv + 1);
    return cli_usage("unknown command '%s' (try stirmls --help)", argv[1]);
}
