/*
 * impl.c: one instance of an implementation under test, whatever its transport: start, hello,
 * one request/response exchange with a deadline, stop. Any failure that leaves the stream in an
 * unknown state (timeout, crash, protocol error) stops the instance; the next call restarts it.
 */
#include "harness.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HX_MAX_FAILED_STARTS 3

/* Anything readable (data or EOF) on fd right now? */
static bool hx_pending(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) > 0;
}

/* A token file (netsvc.h, --token): its content without a trailing newline; NULL when
 * unreadable, empty, holding a NUL or over 4096 bytes. owned */
static char *hx_read_token(const char *path)
{
    size_t n = 0;
    char *t = hx_read_file(path, 4097, &n);
    while (t && n > 0 && (t[n - 1] == '\n' || t[n - 1] == '\r'))
        t[--n] = 0;
    if (t && (n == 0 || n > 4096 || strlen(t) != n)) {
        free(t);
        t = NULL;
    }
    return t;
}

int hx_impl_spec_parse(const char *arg, hx_impl_spec *out, char **err)
{
    memset(out, 0, sizeof *out);
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) {
        *err = hx_printf("--impl wants NAME=COMMAND or NAME=tcp://HOST:PORT");
        return -1;
    }
    out->name = strndup(arg, (size_t)(eq - arg));
    for (const char *p = out->name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.')) {
            *err = hx_printf("--impl: NAME may hold only letters, digits, '-', '_' and '.'");
            return -1;
        }
    const char *cmd = eq + 1;
    if (strncmp(cmd, "tcp://", 6) == 0) {
        const char *q = strchr(cmd + 6, '?');
        char *hp = q ? strndup(cmd + 6, (size_t)(q - cmd - 6)) : hx_strdup(cmd + 6);
        const char *colon = strrchr(hp, ':');
        int rc = -1;
        if (!colon || colon == hp || !colon[1])
            *err = hx_printf("--impl %s: tcp:// wants HOST:PORT[?token=FILE]", out->name);
        else if (q && (strncmp(q, "?token=", 7) != 0 || !(out->token = hx_read_token(q + 7))))
            *err = hx_printf("--impl %s: ?token=FILE wants a readable file of at most 4096 bytes", out->name);
        else
            rc = 0;
        if (rc == 0 && hp[0] == '[' && colon[-1] == ']')
            out->tcp_host = strndup(hp + 1, (size_t)(colon - hp - 2));
        else if (rc == 0)
            out->tcp_host = strndup(hp, (size_t)(colon - hp));
        if (rc == 0)
            out->tcp_port = hx_strdup(colon + 1);
        free(hp);
        return rc;
    }
    bool exec = strncmp(cmd, "exec:", 5) == 0;
    char ***argv = exec ? &out->exec_argv : &out->argv;
    size_t n = 0, cap = 4;
    *argv = calloc(cap, sizeof **argv);
    char *copy = hx_strdup(exec ? cmd + 5 : cmd), *save = NULL;
    for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save)) {
        if (n + 2 > cap)
            *argv = realloc(*argv, (cap *= 2) * sizeof **argv);
        (*argv)[n++] = hx_strdup(t);
    }
    (*argv)[n] = NULL;
    free(copy);
    if (n == 0) {
        *err = hx_printf("--impl %s: empty command", out->name);
        return -1;
    }
    char *why = NULL;
    if (exec && hx_exec_template_check(out->exec_argv, &why) != 0) {
        *err = hx_printf("--impl %s: %s", out->name, why);
        free(why);
        return -1;
    }
    return 0;
}

void hx_impl_spec_cleanup(hx_impl_spec *s)
{
    for (size_t i = 0; s->argv && s->argv[i]; i++)
        free(s->argv[i]);
    free(s->argv);
    for (size_t i = 0; s->exec_argv && s->exec_argv[i]; i++)
        free(s->exec_argv[i]);
    free(s->exec_argv);
    free(s->name);
    free(s->tcp_host);
    free(s->tcp_port);
    if (s->token)
        memset(s->token, 0, strlen(s->token));
    free(s->token);
    memset(s, 0, sizeof *s);
}

void hx_impl_init(hx_impl *im, const hx_impl_spec *spec, const char *stderr_path)
{
    memset(im, 0, sizeof *im);
    im->spec = spec;
    im->stderr_path = stderr_path;
    im->pid = -1;
    im->fd_in = im->fd_out = -1;
    im->next_id = 1;
}

bool hx_impl_running(const hx_impl *im)
{
    return im->fd_in >= 0;
}

void hx_impl_stop(hx_impl *im, bool kill_now)
{
    if (im->spec->argv)
        hx_impl_proc_stop(im, kill_now);
    else
        hx_impl_tcp_stop(im);
    hx_linebuf_reset(&im->lb);
}

void hx_impl_cleanup(hx_impl *im)
{
    hx_impl_stop(im, true);
    json_decref(im->hello);
    free(im->exit_note);
    im->hello = NULL;
    im->exit_note = NULL;
}

static void note(json_t *transcript, const char *dir, const char *line, size_t len)
{
    if (!transcript)
        return;
    char *clean = hx_utf8_clean(line, len, HX_TRANSCRIPT_LINE_MAX);
    json_array_append_new(transcript, json_pack("{s:s,s:s}", "dir", dir, "line", clean));
    free(clean);
}

static hx_call_status lost(hx_impl *im, hx_call_status st, json_t *transcript, char **why,
                           const char *text)
{
    hx_impl_stop(im, true);
    if (st == HX_CALL_CRASH && im->exit_note)
        *why = hx_printf("%s (%s)", text, im->exit_note);
    else if (!*why)
        *why = hx_strdup(text);
    char *tail = st == HX_CALL_CRASH ? hx_file_tail(im->stderr_path, 5) : NULL;
    if (tail) { /* the traceback is usually there: name the log (relative to the report) and quote it */
        const char *base = strrchr(im->stderr_path, '/');
        char *more = hx_printf("%s; stderr/%s ends:\n%s", *why, base ? base + 1 : im->stderr_path, tail);
        free(*why);
        *why = more;
        free(tail);
    }
    note(transcript, "!", *why, strlen(*why));
    return st;
}

hx_call_status hx_impl_call(hx_impl *im, const char *op, json_t *params, int64_t timeout_ms,
                            json_t *transcript, json_t **payload, char **why)
{
    size_t n = 0;
    char *text = hx_jw_dumps(params, HX_JW_ASCII, &n);
    hx_call_status st = hx_impl_call_text(im, op, text, n, timeout_ms, transcript, payload, why);
    free(text);
    return st;
}

hx_call_status hx_impl_call_text(hx_impl *im, const char *op, const char *params, size_t plen,
                                 int64_t timeout_ms, json_t *transcript, json_t **payload, char **why)
{
    *payload = NULL;
    *why = NULL;
    if (im->spec->exec_argv) { /* one process per verify; its hello offers no other op */
        if (strcmp(op, "verify") == 0)
            return hx_exec_verify(im, params, plen, timeout_ms, transcript, payload, why);
        *payload = json_pack("{s:s,s:s}", "code", "unimplemented", "message", "exec: verify only");
        return HX_CALL_ERROR;
    }
    int64_t deadline = hx_now_ms() + timeout_ms;
    json_int_t id = im->next_id++;
    /* {"id":N,"op":OP,"params":P}: json_dumps's bytes for the request with sorted keys */
    hx_jbuf b = {0};
    char num[32];
    hx_jbuf_puts(&b, "{\"id\":");
    hx_jbuf_put(&b, num, (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, id));
    hx_jbuf_puts(&b, ",\"op\":");
    hx_jw_string(&b, op, strlen(op), HX_JW_ASCII);
    hx_jbuf_puts(&b, ",\"params\":");
    hx_jbuf_put(&b, params, plen);
    hx_jbuf_put(&b, "}", 1);
    size_t tlen = b.len;
    char *text = b.p;
    if (im->spec->token && strcmp(op, "hello") == 0) {
        char *shown = hx_printf("{\"id\":%" JSON_INTEGER_FORMAT ",\"op\":\"hello\",\"params\":{\"token\":\"(redacted)\"}}", id);
        note(transcript, ">", shown, strlen(shown));
        free(shown);
    } else {
        note(transcript, ">", text, tlen);
    }
    text[tlen] = '\n';
    hx_io io = hx_write_all(im->fd_in, text, tlen + 1, deadline);
    free(text);
    if (io == HX_IO_TIMEOUT)
        return lost(im, HX_CALL_TIMEOUT, transcript, why, "timed out writing the request");
    if (io != HX_IO_OK)
        return lost(im, HX_CALL_CRASH, transcript, why, "implementation closed its input");
    char *line = NULL;
    size_t len = 0;
    io = hx_read_line(im->fd_out, &im->lb, deadline, &line, &len);
    switch (io) {
    case HX_IO_OK:
        break;
    case HX_IO_TIMEOUT:
        if (im->lb.len)
            note(transcript, "<", im->lb.buf, im->lb.len);
        return lost(im, HX_CALL_TIMEOUT, transcript, why, "no complete response before the timeout");
    case HX_IO_TOOLONG:
        note(transcript, "<", im->lb.buf, im->lb.len);
        return lost(im, HX_CALL_PROTOCOL, transcript, why, "response line longer than 1 MiB");
    default:
        if (im->lb.len)
            note(transcript, "<", im->lb.buf, im->lb.len);
        return lost(im, HX_CALL_CRASH, transcript, why, "implementation closed its output");
    }
    note(transcript, "<", line, len);
    json_t *doc = NULL, *pl = NULL;
    hx_call_status st = hx_proto_parse_response(line, len, id, &doc, &pl, why);
    free(line);
    if (st != HX_CALL_PROTOCOL && im->lb.len > 0) { /* best effort: catches an answer sent twice */
        note(transcript, "<", im->lb.buf, im->lb.len);
        free(*why);
        *why = hx_strdup("more output after the response line");
        st = HX_CALL_PROTOCOL;
    }
    if (st == HX_CALL_PROTOCOL) {
        json_decref(doc);
        return lost(im, st, transcript, why, "protocol error");
    }
    *payload = json_incref(pl);
    json_decref(doc);
    return st;
}

static bool hello_ok(const json_t *h, char **why)
{
    const char *proto = json_string_value(json_object_get(h, "protocol"));
    if (!proto || strcmp(proto, HX_PROTOCOL) != 0) {
        *why = hx_strdup("hello: protocol is not " HX_PROTOCOL);
        return false;
    }
    if (!json_is_array(json_object_get(h, "ops")) || !json_is_array(json_object_get(h, "kinds")) ||
        !json_is_string(json_object_get(h, "name"))) {
        *why = hx_strdup("hello: name, ops and kinds are required");
        return false;
    }
    json_t *tags = json_object_get(h, "tags");
    if (tags && !json_is_array(tags)) {
        *why = hx_strdup("hello: tags is not an array");
        return false;
    }
    return true;
}

hx_call_status hx_impl_ensure(hx_impl *im, int64_t timeout_ms, json_t *transcript, char **why)
{
    *why = NULL;
    if (im->spec->exec_argv) { /* nothing runs between cases */
        if (!im->hello)
            im->hello = hx_exec_hello(im->spec);
        return HX_CALL_RESULT;
    }
    if (hx_impl_running(im) && !hx_pending(im->fd_out))
        return HX_CALL_RESULT;
    if (hx_impl_running(im)) { /* output nobody asked for, or EOF: start afresh */
        const char *text = "unsolicited output or EOF between requests: instance restarted";
        note(transcript, "!", text, strlen(text));
        hx_impl_stop(im, true);
    }
    if (im->failed_starts >= HX_MAX_FAILED_STARTS) {
        *why = hx_printf("implementation did not answer hello after %d starts; not retried",
                         im->failed_starts);
        note(transcript, "!", *why, strlen(*why));
        return HX_CALL_CRASH;
    }
    char *err = NULL;
    int rc = im->spec->argv ? hx_impl_proc_start(im, &err) : hx_impl_tcp_start(im, &err);
    if (rc != 0) {
        im->failed_starts++;
        *why = err;
        note(transcript, "!", err, strlen(err));
        return HX_CALL_CRASH;
    }
    json_t *params = json_object(), *res = NULL;
    if (im->spec->token) /* the service's token (netsvc.h); the transcript shows it redacted */
        json_object_set_new(params, "token", json_string(im->spec->token));
    hx_call_status st = hx_impl_call(im, "hello", params, timeout_ms, transcript, &res, why);
    json_decref(params);
    if (st == HX_CALL_RESULT && !hello_ok(res, why))
        st = HX_CALL_PROTOCOL;
    else if (st == HX_CALL_ERROR) {
        *why = hx_strdup("hello answered with an error");
        st = HX_CALL_PROTOCOL;
    }
    if (st != HX_CALL_RESULT) {
        json_decref(res);
        hx_impl_stop(im, true);
        im->failed_starts++;
        return st;
    }
    im->failed_starts = 0;
    json_decref(im->hello);
    im->hello = res;
    return HX_CALL_RESULT;
}
