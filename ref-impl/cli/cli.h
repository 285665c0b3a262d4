/*
 * cli.h: helpers shared by the CLI verbs (cli/cmd_*.c).
 *
 * The CLI contract: JSON on stdout; exit 0 accept, 1 reject, 2 usage or internal error.
 * Input the CLI cannot read as the requested format at all is a usage error: exit 2 with one
 * line on stderr naming the problem. Input that parses far enough to be judged is a verdict.
 *
 * Each verb file cli/cmd_<verb>.c defines
 *     int stirmls_cmd_<verb>(int argc, char **argv);   argv[0] is the verb
 *     extern const char stirmls_cmd_<verb>_summary[];  one line for `stirmls --help`
 * and the Makefile generates the dispatch table from the file names.
 */
#ifndef STIRMLS_CLI_H
#define STIRMLS_CLI_H

#include <jansson.h>
#include <stdint.h>
#include "stirmls.h"

#define CLI_EXIT_ACCEPT 0
#define CLI_EXIT_REJECT 1
#define CLI_EXIT_USAGE 2

/* The largest input file the CLI reads (bigger files are a usage error). */
#define CLI_MAX_INPUT ((size_t)16 * 1024 * 1024)

/* Prototypes of every verb (the list is generated from the cli/cmd_*.c file names). */
#define CMD(name)                                                                               \
    int stirmls_cmd_##name(int argc, char **argv);                                              \
    extern const char stirmls_cmd_##name##_summary[];
#include "cmds.h"
#undef CMD

/* Print "stirmls: <message>" on stderr and return CLI_EXIT_USAGE. */
int cli_usage(const char *fmt, ...) STIRMLS_PRINTF(1, 2);
/* Read a whole file ("-" is stdin). Missing, unreadable, empty or too large: prints one line
 * and returns 0. On success *buf is owned (free()), NUL-terminated, and returns 1. */
int cli_read_file(const char *path, uint8_t **buf, size_t *len);
/* Parse a decimal unsigned 64-bit number; 0 on anything else. */
int cli_parse_u64(const char *s, uint64_t *out);
/* Print obj as compact JSON with sorted keys and a newline; steals the reference. 0 on failure. */
int cli_emit(json_t *obj);
/* Write bytes to a file (or stdout for NULL / "-"), atomically for files (temp + rename):
 * no partial output file is ever left behind. 0 on failure (with a message). */
int cli_write_output(const char *path, const void *data, size_t len);
/* The common verdict object {"verdict","reason","detail"} for a detail record. */
json_t *cli_verdict_json(const stirmls_detail *d);
/* Exit code for a verdict: 0 accept, 1 reject, 2 for INTERNAL/USAGE. */
int cli_verdict_exit(stirmls_reason r);

#endif
