/*
 * ssx.h: the secsipidx peer adapter (stirmls-interop/1 over stdio, one long-running process).
 *
 *   adapter.c   the protocol loop, hello, generate (SecSIPIDSignJSONHP), dispatch
 *   verify.c    verify kind "passport" with SecSIPIDCheckFull (libsecsipid, Go runtime inside)
 *   glue.c      the adapter's own small checks and helpers, listed in README.md:
 *               base64url reading of the header/claims, the mky digest compare (MKY-03),
 *               the "is the wall clock equivalent to `at`" test for certificate validity,
 *               private temporary files.
 *
 * Ownership: every json_t returned is owned by the caller (json_decref); every char * marked
 * "owned" is freed with free().
 */
#ifndef SSX_H
#define SSX_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define SSX_MAX_LINE ((size_t)1 << 20) /* 1 MiB, as the harness and the reference */

/* An answer: either result (owned) or an error code and message. */
struct ssx_answer {
    json_t *result;
    const char *error_code; /* "unimplemented" | "bad_request" | "internal" */
    char error_message[512];
};

void ssx_fail(struct ssx_answer *a, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* verify.c */
void ssx_verify(json_t *params, struct ssx_answer *a);

/* glue.c */
int ssx_tmpdir_init(void);          /* 0 on success */
void ssx_tmpdir_cleanup(void);
/* Write text to <tmpdir>/<name>; returns the path (static storage per name slot) or NULL. */
const char *ssx_write_file(const char *name, const char *text, size_t len);
/* Decode one base64url segment (no padding expected; '=' refused). Owned, NUL-terminated. */
char *ssx_b64url_decode(const char *seg, size_t len, size_t *out_len);
/* Decode segment idx (0 header, 1 claims) of a compact JWS as a JSON object (duplicate
 * members: the last wins, as for the library), or NULL. */
json_t *ssx_jws_segment_json(const char *token, int idx);
/* MKY-03 against the hex signature key: returns NULL when an entry matches, else the stirmls
 * reason name; *why gets a static explanation. */
const char *ssx_mky_check(json_t *claims, const char *key_hex, int strict, const char **why);
/* 1 when every certificate in the PEM texts is, at `at`, in the same validity state
 * (before / inside / after its window) as at `now`; 0 when some differs; -1 on a parse error. */
int ssx_validity_same(const char *const *pems, size_t n, int64_t at, int64_t now,
                      char *why, size_t whylen);
/* The OpenSSL version text (for hello). */
const char *ssx_openssl_version(void);

#endif
