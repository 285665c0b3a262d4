/* serve_client.h: run `stirmls serve` over a batch of request lines (tests of the protocol). */
#ifndef STIRMLS_SERVE_CLIENT_H
#define STIRMLS_SERVE_CLIENT_H

#include <jansson.h>
#include <stddef.h>

/* Feed `input` to `$STIRMLS_CLI serve` on stdin; returns its stdout lines as a JSON array of
 * objects (owned). Fails the test on a non-JSON line or a non-zero exit status. */
json_t *tl_serve(const char *input, size_t len);
/* The same with extra command-line arguments for `stirmls serve` (e.g. "--no-cache"; trusted
 * test text, put on a shell command line as is). */
json_t *tl_serve_args(const char *args, const char *input, size_t len);

#endif
