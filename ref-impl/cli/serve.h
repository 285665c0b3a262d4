/*
 * serve.h: the reference implementation's side of stirmls-interop/1 (docs/protocol.md).
 * cmd_serve.c runs the NDJSON loop (stdio or TCP); serve_ops.c answers each op.
 */
#ifndef STIRMLS_SERVE_H
#define STIRMLS_SERVE_H

#include <jansson.h>
#include <stdint.h>
#include "stirmls.h"

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
/* Release what the ops keep between requests (the cached trust store, the chain cache). */
void serve_ops_cleanup(void);
/* Release what the calling thread keeps (its cached trust store): at the end of a connection. */
void serve_ops_thread_done(void);
/* The process-wide chain-validation cache of verify requests: on (default) or off (--no-cache). */
#define SERVE_CHAIN_CACHE 256 /* entries */
void serve_chain_cache(int on);
stirmls_chaincache *serve_chains(void); /* NULL when off */

/* ---- inside the ops (serve_ops.c, serve_verify.c, serve_generate.c) ---------------------- */

/* Set an error answer; returns 1 (continue serving). */
int serve_error(struct serve_answer *ans, const char *code, const char *fmt, ...) STIRMLS_PRINTF(3, 4);
/* A member that must be a string (NULL and a bad_request answer otherwise). */
const char *serve_need_str(json_t *o, const char *key, struct serve_answer *ans);
/* An optional string member: 1 ok (*out NULL when absent), 0 bad type (bad_request set). */
int serve_opt_str(json_t *o, const char *key, const char **out, struct serve_answer *ans);
/* An optional non-negative integer member: 1 ok (*out untouched when absent), 0 bad_request. */
int serve_opt_u64(json_t *o, const char *key, uint64_t *out, struct serve_answer *ans);
/* Hex string member -> owned bytes (free()). Absent, not a string, not hex or empty: bad_request. */
int serve_need_hex(json_t *o, const char *key, uint8_t **buf, size_t *len, struct serve_answer *ans);

int serve_verify(json_t *params, struct serve_answer *ans);

/* ---- serve_fetch.c: x5u_fetch (loopback HTTP only; never inside the library) ------------- */

extern int serve_fetch_enabled; /* 1 by default; the fuzz target turns it off */
/* 1 when url is http://127.0.0.1[:PORT]/PATH (PATH printable, no spaces): port and path set. */
int serve_loopback_url(const char *url, uint16_t *port, const char **path);
/* Bounded HTTP/1.0 GET of a loopback URL: the body of a 200 answer (owned), else NULL. */
char *serve_http_get_loopback(const char *url, size_t *len);
/* An x5u_map {URL:[PEM]} from an x5u_fetch {URL: loopback URL}: the entries that could be
 * fetched (owned); NULL when fetch is not an object. */
json_t *serve_x5u_fetch(json_t *fetch);
int serve_generate(json_t *params, struct serve_answer *ans);

#endif
