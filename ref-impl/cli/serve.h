/*
 * serve.h: the reference implementation's side of stirmls-interop/1 (docs/protocol.md).
 * cmd_serve.c runs the NDJSON loop (stdio or TCP); serve_ops.c answers each op.
 */
#ifndef STIRMLS_SERVE_H
#define STIRMLS_SERVE_H

#include <jansson.h>

#define SERVE_PROTOCOL "stirmls-interop/1"
#define SERVE_MAX_LINE ((size_t)1 << 20) /* 1 MiB, as the harness */

/* One request's answer: exactly one of result / error is set (owned by the caller). */
struct serve_answer {
    json_t *result;
    const char *error_code; /* "unimplemented" | "bad_request" | "internal" */
    char error_message[256];
};

/* Answer one op. Returns 1 to continue, 0 after shutdown. */
int serve_dispatch(const char *op, json_t *params, struct serve_answer *ans);

#endif
