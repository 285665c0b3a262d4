/*
 * cmd_serve.c: `stirmls serve [--no-cache] [--listen HOST:PORT]`: speak stirmls-interop/1 on
 * stdin/stdout, or accept TCP connections one after another. Lines are bounded (1 MiB); a longer
 * or non-JSON request gets a bad_request error (with id null when it cannot be read) and the loop
 * goes on. Verify requests share one chain-validation cache unless --no-cache.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "cli.h"
#include "serve.h"

const char stirmls_cmd_serve_summary[] = "speak stirmls-interop/1 on stdio or TCP (--listen)";

static void reply(FILE *out, json_t *id, struct serve_answer *ans)
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
    if (s != NULL) {
        fputs(s, out);
        fputc('\n', out);
        fflush(out);
        free(s);
    }
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

/* Serve one stream until EOF or shutdown. Returns 1 if shutdown was requested. */
static int serve_stream(FILE *in, FILE *out)
{
    for (;;) {
        char *line = NULL;
        int got = read_line(in, &line);
        if (got == 0)
            return 0;
        struct serve_answer ans = {0};
        json_t *req = NULL, *id = NULL;
        int go_on = 1;
        if (got < 0) {
            bad(&ans, "request line longer than 1 MiB");
        } else if (line[0] == 0) {
            free(line);
            continue;
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
                go_on = serve_dispatch(op, params, &ans);
        }
        reply(out, id, &ans);
        json_decref(ans.result);
        json_decref(req);
        free(line);
        if (!go_on)
            return 1;
    }
}

static int listen_on(const char *spec)
{
    char host[256];
    const char *colon = strrchr(spec, ':');
    if (colon == NULL || (size_t)(colon - spec) >= sizeof host)
        return cli_usage("serve: --listen wants HOST:PORT, got '%s'", spec);
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = 0;
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    int rc = getaddrinfo(host, colon + 1, &hints, &ai);
    if (rc != 0)
        return cli_usage("serve: cannot resolve %s: %s", spec, gai_strerror(rc));
    int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 8) != 0) {
        int e = errno;
        freeaddrinfo(ai);
        if (fd >= 0)
            close(fd);
        return cli_usage("serve: cannot listen on %s: %s", spec, strerror(e));
    }
    freeaddrinfo(ai);
    fprintf(stderr, "stirmls serve: listening on %s\n", spec);
    signal(SIGPIPE, SIG_IGN);
    for (;;) {
        int c = accept(fd, NULL, NULL);
        if (c < 0) {
            if (errno == EINTR)
                continue;
            close(fd);
            return cli_usage("serve: accept failed: %s", strerror(errno));
        }
        FILE *in = fdopen(c, "r");
        int c2 = dup(c);
        FILE *out = c2 >= 0 ? fdopen(c2, "w") : NULL;
        int stop = 0;
        if (in != NULL && out != NULL)
            stop = serve_stream(in, out);
        if (in)
            fclose(in);
        else
            close(c);
        if (out)
            fclose(out);
        else if (c2 >= 0)
            close(c2);
        if (stop)
            break;
    }
    close(fd);
    return 0;
}

int stirmls_cmd_serve(int argc, char **argv)
{
    const char *listen = NULL;
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        puts("usage: stirmls serve [--no-cache] [--listen HOST:PORT]\n"
             "Speaks stirmls-interop/1 (docs/protocol.md): one JSON request per line on stdin,\n"
             "one JSON response per line on stdout, until EOF or a shutdown request. With --listen,\n"
             "accepts TCP connections one after another on HOST:PORT instead. A passport request\n"
             "without x5u_map but with x5u_fetch has its chains fetched first (http://127.0.0.1\n"
             "URLs only, bounded), then verified offline from them.\n"
             "Verify requests share one chain-validation cache for the whole process (256 chains;\n"
             "an accepted chain is reused only for the same certificates, trust anchors, trust_spc\n"
             "and reference TN at a time inside its validity window; docs/performance.md), and the\n"
             "certificates of credentials and KeyPackages are parsed once per distinct DER (certcache.h).\n"
             "--no-cache validates every chain and parses every certificate in full.");
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-cache") == 0)
            serve_chain_cache(0);
        else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc && listen == NULL)
            listen = argv[++i];
        else
            return cli_usage("serve: unexpected argument '%s' (try stirmls serve --help)", argv[i]);
    }
    if (listen != NULL) {
        int rc = listen_on(listen);
        serve_ops_cleanup();
        return rc;
    }
    serve_stream(stdin, stdout);
    serve_ops_cleanup();
    return 0;
}
