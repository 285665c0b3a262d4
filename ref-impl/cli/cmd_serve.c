/*
 * cmd_serve.c: `stirmls serve [--no-cache] [--listen HOST:PORT ...]`: speak stirmls-interop/1 on
 * stdin/stdout, or as a TCP service (netsvc.h: concurrent connections, bounded, stopped by a
 * signal only). Lines are bounded (1 MiB): on stdio a longer or non-JSON request gets a
 * bad_request error (with id null when it cannot be read) and the loop goes on; over TCP a longer
 * line gets the error and the connection is closed. Verify requests share one chain-validation
 * cache and one certificate cache unless --no-cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "netsvc.h"
#include "serve.h"

const char stirmls_cmd_serve_summary[] = "speak stirmls-interop/1 on stdio or TCP (--listen)";

/* The response line of one answer (owned; NULL when out of memory). */
static char *reply(json_t *id, struct serve_answer *ans)
{
    json_t *msg = json_object();
    json_object_set(msg, "id", id ? id : json_null());
    if (ans->error_code != NULL)
        json_object_set_new(msg, "error", json_pack("{s:s,s:s}", "code", ans->error_code, "message",
                                                    ans->error_message));
    else
        json_object_set_new(msg, "result", ans->result ? ans->result : json_object());
    ans->result = NULL;
    char *s = json_dumps(msg, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    json_decref(msg);
    return s;
}

static void bad(struct serve_answer *ans, const char *msg)
{
    ans->error_code = "bad_request";
    snprintf(ans->error_message, sizeof ans->error_message, "%s", msg);
}

/* Read one line of at most SERVE_MAX_LINE bytes. Returns 1 line, 0 EOF, -1 too long (the rest of
 * the line is consumed). *line is owned (free()). */
static int read_line(FILE *in, char **line)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    int c, toolong = 0;
    if (buf == NULL)
        return 0;
    while ((c = fgetc(in)) != EOF && c != '\n') {
        if (toolong)
            continue;
        if (n + 1 >= cap) {
            if (cap >= SERVE_MAX_LINE + 1) {
                toolong = 1;
                continue;
            }
            cap *= 2;
            char *q = realloc(buf, cap);
            if (q == NULL) {
                free(buf);
                return 0;
            }
            buf = q;
        }
        buf[n++] = (char)c;
    }
    if (c == EOF && n == 0 && !toolong) {
        free(buf);
        return 0;
    }
    buf[n] = 0;
    *line = buf;
    return toolong ? -1 : 1;
}

/* Answer one request line (got < 0: it was too long). *stop is set after a shutdown. Returns the
 * response line (owned), NULL for an empty line or when out of memory. */
static char *serve_line(int got, const char *line, int *stop)
{
    struct serve_answer ans = {0};
    json_t *req = NULL, *id = NULL;
    *stop = 0;
    if (got < 0) {
        bad(&ans, "request line longer than 1 MiB");
    } else if (line[0] == 0) {
        return NULL;
    } else {
        json_error_t jerr;
        req = json_loads(line, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
        id = req ? json_object_get(req, "id") : NULL;
        const char *op = req ? json_string_value(json_object_get(req, "op")) : NULL;
        json_t *params = req ? json_object_get(req, "params") : NULL;
        if (req == NULL)
            bad(&ans, jerr.text);
        else if (!json_is_object(req) || !json_is_integer(id) || op == NULL)
            bad(&ans, "a request is {\"id\":N,\"op\":\"...\",\"params\":{...}}");
        else if (params != NULL && !json_is_object(params))
            bad(&ans, "params must be an object");
        else
            *stop = !serve_dispatch(op, params, &ans);
    }
    char *out = reply(id, &ans);
    json_decref(ans.result);
    json_decref(req);
    return out;
}

/* Serve one stream until EOF or shutdown (on stdio, which ends the process). Returns 1 after a
 * shutdown. */
static int serve_stream(FILE *in, FILE *out)
{
    int stop = 0;
    while (!stop) {
        char *line = NULL;
        int got = read_line(in, &line);
        if (got == 0)
            return 0;
        char *resp = serve_line(got, line, &stop);
        if (resp != NULL) {
            fputs(resp, out);
            fputc('\n', out);
            fflush(out);
        }
        free(resp);
        free(line);
    }
    return 1;
}

/* One TCP connection (a thread of netsvc_run): until EOF, the idle deadline, a line over 1 MiB
 * (netsvc answers it) or a shutdown, which closes this connection only. */
static void serve_conn(struct netsvc_conn *c, void *arg)
{
    (void)arg;
    const char *line;
    size_t len;
    int stop = 0;
    while (!stop && netsvc_read(c, &line, &len) == NETSVC_LINE) {
        char *out = serve_line(1, line, &stop);
        if (out != NULL && !netsvc_write_line(c, out, strlen(out)))
            stop = 1;
        free(out);
    }
    serve_ops_thread_done();
}

int stirmls_cmd_serve(int argc, char **argv)
{
    struct netsvc_opts o;
    char err[320];
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        printf("usage: stirmls serve [--no-cache] [--listen HOST:PORT [--allow CIDR]... [--token FILE]\n"
               "                     [--idle SECONDS] [--max-conn N]]\n"
               "Speaks stirmls-interop/1 (docs/protocol.md): one JSON request per line on stdin,\n"
               "one JSON response per line on stdout, until EOF or a shutdown request. With --listen,\n"
               "serves TCP connections at once instead, one thread each, until SIGTERM or SIGINT\n"
               "(the requests in flight are answered first); a shutdown request closes its own\n"
               "connection only. A passport request without x5u_map but with x5u_fetch has its\n"
               "chains fetched first (http://127.0.0.1 URLs only, bounded), then verified offline.\n"
               "Verify requests share one chain-validation cache for the whole process (256 chains;\n"
               "an accepted chain is reused only for the same certificates, trust anchors, trust_spc\n"
               "and reference TN at a time inside its validity window; docs/performance.md), and the\n"
               "certificates of credentials and KeyPackages are parsed once per distinct DER\n"
               "(certcache.h); both caches are shared by every connection.\n"
               "  --no-cache          validate every chain and parse every certificate in full\n"
               "%s", netsvc_options_help);
        return 0;
    }
    netsvc_opts_init(&o, "stirmls serve");
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++) {
        if (strcmp(argv[i], "--no-cache") == 0) {
            serve_chain_cache(0);
            continue;
        }
        int took = netsvc_option(&o, argc, argv, &i, err, sizeof err);
        if (took < 0)
            rc = cli_usage("serve: %s", err);
        else if (took == 0)
            rc = cli_usage("serve: unexpected argument '%s' (try stirmls serve --help)", argv[i]);
    }
    if (rc == 0 && o.listen == NULL && (o.nallow > 0 || o.token != NULL || o.idle_ms != NETSVC_IDLE_DEFAULT_MS ||
                                        o.max_conn != NETSVC_MAX_CONN_DEFAULT))
        rc = cli_usage("serve: --allow, --token, --idle and --max-conn go with --listen");
    if (rc == 0 && o.listen != NULL && netsvc_run(&o, serve_conn, NULL, err, sizeof err) != 0)
        rc = cli_usage("serve: %s", err);
    else if (rc == 0 && o.listen == NULL)
        serve_stream(stdin, stdout);
    netsvc_opts_cleanup(&o);
    serve_ops_cleanup();
    return rc;
}
