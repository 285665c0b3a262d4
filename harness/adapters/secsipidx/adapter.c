/*
 * adapter.c: stirmls-interop/1 peer for libsecsipid (secsipidx, Debian libsecsipid-dev).
 *
 * One long-running process: newline-delimited JSON on stdin, one response line per request on
 * stdout, in order; diagnostics on stderr only. libsecsipid embeds a Go runtime, which is why
 * it lives in its own process rather than inside the harness.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <secsipid.h>
#include "ssx.h"

#ifndef SSX_DEB_VERSION
#define SSX_DEB_VERSION "?"
#endif

void ssx_fail(struct ssx_answer *a, const char *code, const char *fmt, ...)
{
    va_list ap;
    a->error_code = code;
    va_start(ap, fmt);
    vsnprintf(a->error_message, sizeof a->error_message, fmt, ap);
    va_end(ap);
}

static json_t *hello(void)
{
    char version[256];
    snprintf(version, sizeof version,
             "libsecsipid %s (secsipid.h SECSIPID_VERSION 0x%x); jansson %s; %s", SSX_DEB_VERSION,
             (unsigned)SECSIPID_VERSION, JANSSON_VERSION, ssx_openssl_version());
    /* tags: the scenario capability tags (docs/scenarios.md) this peer really has; "capabilities":
     * what stands behind them (informative) */
    return json_pack("{s:s,s:s,s:s,s:[s,s,s,s],s:[s],s:[],s:[s,s,s,s,s],s:[s,s,s,s,s]}", "name",
                     "secsipidx", "version", version, "protocol", "stirmls-interop/1", "ops", "hello",
                     "verify", "generate", "shutdown", "kinds", "passport", "credential_types", "tags",
                     "passport", "mky", "sip-profile", "x5u", "generate", "capabilities",
                     "passport.es256", "passport.x5u_map", "passport.generate",
                     "cert.chain.wall_clock", "glue.mky");
}

/* generate: SecSIPIDSignJSONHP signs the header and claims text exactly as given; the adapter
 * writes both in the RFC 8225 §9 form (jansson: sorted keys, compact). */
static void generate(json_t *params, struct ssx_answer *a)
{
    const char *kind = json_string_value(json_object_get(params, "kind"));
    const char *key = json_string_value(json_object_get(params, "key"));
    json_t *claims = json_object_get(params, "claims");
    json_t *x5u = json_object_get(params, "x5u"), *ppt = json_object_get(params, "ppt");
    if (kind == NULL || strcmp(kind, "passport") != 0) {
        ssx_fail(a, "unimplemented", "libsecsipid generates PASSporTs only");
        return;
    }
    if (key == NULL || !json_is_object(claims) || (x5u && !json_is_string(x5u)) ||
        (ppt && !json_is_string(ppt))) {
        ssx_fail(a, "bad_request", "generate needs key (PEM), claims (object), x5u/ppt strings");
        return;
    }
    json_t *header = json_pack("{s:s,s:s}", "alg", "ES256", "typ", "passport");
    if (x5u)
        json_object_set(header, "x5u", x5u);
    if (ppt)
        json_object_set(header, "ppt", ppt);
    const size_t flags = JSON_COMPACT | JSON_SORT_KEYS;
    char *htxt = json_dumps(header, flags), *ctxt = json_dumps(claims, flags), *out = NULL;
    const char *keypath = ssx_write_file("signing.key", key, strlen(key));
    int n = 0;
    if (htxt == NULL || ctxt == NULL || keypath == NULL)
        ssx_fail(a, "internal", "cannot serialize the JSON or write the key file");
    else if ((n = SecSIPIDSignJSONHP(htxt, ctxt, (char *)keypath, &out)) <= 0)
        ssx_fail(a, "bad_request", "SecSIPIDSignJSONHP produced nothing (unusable key?)");
    else
        a->result = json_pack("{s:{s:s}}", "artifact", "passport", out);
    ssx_write_file("signing.key", "", 0); /* do not leave the key lying around */
    free(out);
    free(htxt);
    free(ctxt);
    json_decref(header);
}

/* 1 = keep going, 0 = shutdown. */
static int dispatch(const char *op, json_t *params, struct ssx_answer *a)
{
    if (strcmp(op, "hello") == 0)
        a->result = hello();
    else if (strcmp(op, "verify") == 0)
        ssx_verify(params, a);
    else if (strcmp(op, "generate") == 0)
        generate(params, a);
    else if (strcmp(op, "shutdown") == 0) {
        a->result = json_object();
        return 0;
    } else
        ssx_fail(a, "unimplemented", "op '%s' is not implemented", op);
    return 1;
}

/* One line of at most SSX_MAX_LINE bytes: 1 line, 0 EOF, -1 too long (rest discarded). */
static int read_line(char *buf, size_t cap)
{
    size_t n = 0;
    int ch, too_long = 0;
    while ((ch = getchar()) != EOF && ch != '\n') {
        if (n + 1 < cap)
            buf[n++] = (char)ch;
        else
            too_long = 1;
    }
    buf[n] = 0;
    if (ch == EOF && n == 0 && !too_long)
        return 0;
    return too_long ? -1 : 1;
}

static void reply(json_t *id, struct ssx_answer *a)
{
    json_t *msg = json_object();
    json_object_set(msg, "id", id ? id : json_null());
    if (a->error_code)
        json_object_set_new(msg, "error", json_pack("{s:s,s:s}", "code", a->error_code,
                                                    "message", a->error_message));
    else
        json_object_set(msg, "result", a->result ? a->result : json_object());
    char *text = json_dumps(msg, JSON_COMPACT | JSON_SORT_KEYS);
    if (text) {
        fputs(text, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    }
    free(text);
    json_decref(msg);
}

int main(void)
{
    static char line[SSX_MAX_LINE + 2];
    if (ssx_tmpdir_init() != 0) {
        fprintf(stderr, "secsipidx adapter: cannot create a temporary directory\n");
        return 2;
    }
    int go_on = 1;
    while (go_on) {
        int got = read_line(line, sizeof line);
        if (got == 0)
            break;
        struct ssx_answer a = {0};
        json_t *req = NULL, *id = NULL;
        if (got < 0) {
            ssx_fail(&a, "bad_request", "request line longer than 1 MiB");
        } else if (line[0] == 0) {
            continue;
        } else {
            json_error_t jerr;
            req = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
            id = json_object_get(req, "id");
            const char *op = json_string_value(json_object_get(req, "op"));
            json_t *params = json_object_get(req, "params");
            if (req == NULL)
                ssx_fail(&a, "bad_request", "request is not JSON: %s", jerr.text);
            else if (!json_is_object(req) || !json_is_integer(id) || op == NULL)
                ssx_fail(&a, "bad_request", "a request is {\"id\":N,\"op\":\"...\",\"params\":{...}}");
            else if (params != NULL && !json_is_object(params))
                ssx_fail(&a, "bad_request", "params must be an object");
            else {
                json_t *empty = params ? NULL : json_object();
                go_on = dispatch(op, params ? params : empty, &a);
                json_decref(empty);
            }
        }
        reply(id, &a);
        json_decref(a.result);
        json_decref(req);
    }
    ssx_tmpdir_cleanup();
    return 0;
}
