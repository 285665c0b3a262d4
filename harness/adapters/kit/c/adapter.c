/*
 * A stirmls-interop/1 adapter skeleton in C (jansson). Copy it, fill in verify().
 *
 *   cc -O2 -o adapter adapter.c $(pkg-config --cflags --libs jansson)    (Debian: libjansson-dev)
 *   ./adapter                          stdio: requests on stdin, responses on stdout
 *   ./adapter --listen 127.0.0.1:9000  TCP: the same lines, one connection at a time
 *
 * The protocol is docs/protocol.md. Until you fill it in, every verify and generate answers the error
 * "unimplemented" (the harness scores UNSUPPORTED), so a run judges nothing and exits 1 unless
 * --allow-unsupported-only: that is the kit's self-test in `make check`.
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* What your implementation claims. The harness sends a case only when its op is in "ops", its kind
 * in "kinds" and every one of its tags in "tags" (the suite's tags: docs/scenarios.md, "tags").
 * Remove what you do not implement: a case you do not claim is UNSUPPORTED without being sent. */
static json_t *hello(void)
{
    return json_pack("{s:s,s:s,s:s,s:[s],s:[s,s,s,s],s:[s,s,s,s,s,s,s,s,s,s,s]}", "name", "kit-c",
                     "version", "0.1", "protocol", "stirmls-interop/1",
                     "ops", "verify", /* add "generate" when you produce PASSporTs or KeyPackages */
                     "kinds", "cert_chain", "passport", "credential", "key_package",
                     "tags", "cert", "delegation", "spc-trust", "passport", "mky", "shaken", "rcd",
                     "sip-profile", "x5u", "credential", "keypackage");
}

/* Diagnostics go to stderr (the harness keeps them in <out>/stderr/NAME.log); never to stdout. */
static void log_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kit-c: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* The answer to one request: a result object, or an error code and message. */
typedef struct {
    json_t *result;        /* owned, NULL for an error */
    const char *err_code;  /* "unimplemented" | "bad_request" | "internal" */
    char err_msg[256];
} answer;

static void unimplemented(answer *a, const char *what, const char *kind)
{
    a->err_code = "unimplemented";
    snprintf(a->err_msg, sizeof a->err_msg, "%s of kind %s not filled in yet", what, kind ? kind : "?");
}

/*
 * Judge one artefact: set a->result to {"verdict":"accept"|"reject","reason":NAME,"native":TEXT,
 * "identities":[]} (reason: the NAME from docs/reason-codes.md, "" on accept; native: your library's
 * text). A bad input is a reject, not an error: use an error only for "I could not judge".
 *   kind           "cert_chain" | "passport" | "credential" | "key_package"
 *   at             evaluation time, Unix seconds: use it instead of the clock for every validity check
 *   trust_anchors  array of PEM strings, one certificate each
 *   input          per kind (docs/protocol.md, verify): chain, passport, x5u_map, signature_key, tn, ...
 *   policy         profile ("mls"|"sip"), strict, trust_spc, max_age, skew, ... (defaults in the protocol)
 */
static void verify(const char *kind, json_int_t at, json_t *trust_anchors, json_t *input, json_t *policy,
                   answer *a)
{
    (void)at, (void)trust_anchors, (void)input, (void)policy;
    /* Fill in, for example for kind "passport":
     *   const char *token = json_string_value(json_object_get(input, "passport"));
     *   if (!token) { a->err_code = "bad_request"; snprintf(a->err_msg, ...); return; }
     *   bool ok = my_library_verify_passport(token, ..., at, msg, sizeof msg);
     *   a->result = json_pack("{s:s,s:s,s:s,s:[]}", "verdict", ok ? "accept" : "reject",
     *                         "reason", ok ? "" : "PPT_SIG_INVALID", "native", msg, "identities");
     */
    unimplemented(a, "verify", kind);
}

/* Produce an artefact (only if hello's "ops" lists "generate"): a->result = {"artifact":{"passport":
 * "<compact JWS>"}} for kind passport, {"artifact":{"key_package":"<hex>"}} for kind key_package. */
static void generate(json_t *params, answer *a)
{
    unimplemented(a, "generate", json_string_value(json_object_get(params, "kind")));
}

/* One request line -> one response line on out; returns 0 to go on, 1 after shutdown. */
static int handle(FILE *out, const char *line)
{
    json_error_t jerr;
    json_t *req = json_loads(line, 0, &jerr);
    if (!json_is_object(req)) {
        log_msg("not a JSON object: %s", jerr.text);
        json_decref(req);
        return 0;
    }
    json_t *id = json_object_get(req, "id"), *p = json_object_get(req, "params");
    const char *op = json_string_value(json_object_get(req, "op"));
    answer a = {0};
    int done = 0;
    if (!op) {
        a.err_code = "bad_request";
        snprintf(a.err_msg, sizeof a.err_msg, "no op");
    } else if (strcmp(op, "hello") == 0) {
        a.result = hello();
    } else if (strcmp(op, "verify") == 0) {
        json_t *ta = json_object_get(p, "trust_anchors");
        verify(json_string_value(json_object_get(p, "kind")), json_integer_value(json_object_get(p, "at")),
               ta, json_object_get(p, "input"), json_object_get(p, "policy"), &a);
    } else if (strcmp(op, "generate") == 0) {
        generate(p, &a);
    } else if (strcmp(op, "shutdown") == 0) {
        a.result = json_object();
        done = 1;
    } else {
        a.err_code = "unimplemented";
        snprintf(a.err_msg, sizeof a.err_msg, "op %s", op);
    }
    json_t *resp = a.result ? json_pack("{s:O,s:o}", "id", id, "result", a.result)
                            : json_pack("{s:O,s:{s:s,s:s}}", "id", id, "error", "code", a.err_code,
                                        "message", a.err_msg);
    char *text = json_dumps(resp, JSON_COMPACT);
    fprintf(out, "%s\n", text); /* one line: json_dumps never writes a raw newline */
    fflush(out);
    free(text);
    json_decref(resp);
    json_decref(req);
    return done;
}

/* The loop: one JSON object per line in, one per line out, in order. */
static void serve(FILE *in, FILE *out)
{
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, in) > 0)
        if (handle(out, line))
            break;
    free(line);
}

static int listen_tcp(const char *hostport)
{
    char host[256];
    const char *colon = strrchr(hostport, ':');
    if (!colon || (size_t)(colon - hostport) >= sizeof host)
        return 2;
    memcpy(host, hostport, (size_t)(colon - hostport));
    host[colon - hostport] = '\0';
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1))};
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1 || bind(s, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(s, 8) != 0) {
        log_msg("cannot listen on %s", hostport);
        return 1;
    }
    socklen_t len = sizeof sa;
    getsockname(s, (struct sockaddr *)&sa, &len); /* port 0: the one the system chose */
    log_msg("listening on %s:%u", host, ntohs(sa.sin_port));
    for (;;) { /* the harness may close and reconnect at any time */
        int c = accept(s, NULL, NULL);
        if (c < 0)
            continue;
        FILE *in = fdopen(c, "r"), *out = fdopen(dup(c), "w");
        if (in && out)
            serve(in, out);
        if (in)
            fclose(in);
        if (out)
            fclose(out);
    }
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* a closed connection is an error on write, not a death */
    if (argc == 3 && strcmp(argv[1], "--listen") == 0)
        return listen_tcp(argv[2]);
    if (argc != 1) {
        fputs("usage: adapter [--listen HOST:PORT]\n", stderr);
        return 2;
    }
    serve(stdin, stdout);
    return 0;
}
