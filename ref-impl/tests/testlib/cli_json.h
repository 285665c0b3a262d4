/* cli_json.h: running the CLI under its contract (JSON out; exit 0 / 1 / 2 with one stderr line). */
#ifndef STIRMLS_TESTLIB_CLI_JSON_H
#define STIRMLS_TESTLIB_CLI_JSON_H

#include <jansson.h>
#include <stddef.h>

/* Write a whole file (aborts the test on failure). */
void tl_write_file(const char *path, const void *data, size_t n);
/* Run the CLI (args without the program name, NULL-terminated); the exit status must be
 * want_exit. Exit 0 / 1: stdout must be JSON, returned (json_decref it). Exit 2: exactly one
 * stderr line, NULL returned. */
json_t *tl_cli_json(const char *const *args, int want_exit);

#endif
