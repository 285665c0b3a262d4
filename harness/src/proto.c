/*
 * proto.c: stirmls-interop/1 framing. One JSON object per line; a line longer than HX_LINE_MAX
 * is a protocol error and is never buffered past that limit. Every wait is bounded by poll().
 */
#include "harness.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void hx_linebuf_reset(hx_linebuf *lb)
{
    free(lb->buf);
    lb->buf = NULL;
    lb->len = 0;
}

static int wait_fd(int fd, short events, int64_t deadline_ms)
{
    for (;;) {
        int64_t left = deadline_ms - hx_now_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = fd, .events = events};
        int r = poll(&p, 1, left > 60000 ? 60000 : (int)left);
        if (r > 0)
            return 1;
        if (r < 0 && errno != EINTR)
            return -1;
    }
}

/* Takes a complete line out of the buffer if there is one. */
static bool take_line(hx_linebuf *lb, char **line, size_t *line_len)
{
    char *nl = lb->len ? memchr(lb->buf, '\n', lb->len) : NULL;
    if (!nl)
        return false;
    size_t n = (size_t)(nl - lb->buf);
    *line = malloc(n + 1);
    if (!*line)
        abort();
    memcpy(*line, lb->buf, n);
    (*line)[n] = '\0';
    if (n && (*line)[n - 1] == '\r') /* tolerate CRLF framing */
        (*line)[--n] = '\0';
    *line_len = n;
    size_t rest = lb->len - (size_t)(nl - lb->buf) - 1;
    memmove(lb->buf, nl + 1, rest);
    lb->len = rest;
    return true;
}

hx_io hx_read_line(int fd, hx_linebuf *lb, int64_t deadline_ms, char **line, size_t *line_len)
{
    *line = NULL;
    *line_len = 0;
    if (!lb->buf) {
        lb->buf = malloc(HX_LINE_MAX + 2);
        if (!lb->buf)
            abort();
        lb->len = 0;
    }
    for (;;) {
        if (take_line(lb, line, line_len))
            return HX_IO_OK;
        if (lb->len > HX_LINE_MAX)
            return HX_IO_TOOLONG;
        int w = wait_fd(fd, POLLIN, deadline_ms);
        if (w == 0)
            return HX_IO_TIMEOUT;
        if (w < 0)
            return HX_IO_ERROR;
        ssize_t r = read(fd, lb->buf + lb->len, HX_LINE_MAX + 1 - lb->len);
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (r < 0)
            return errno == ECONNRESET ? HX_IO_EOF : HX_IO_ERROR;
        if (r == 0)
            return HX_IO_EOF;
        lb->len += (size_t)r;
    }
}

hx_io hx_write_all(int fd, const char *data, size_t len, int64_t deadline_ms)
{
    size_t off = 0;
    while (off < len) {
        int w = wait_fd(fd, POLLOUT, deadline_ms);
        if (w == 0)
            return HX_IO_TIMEOUT;
        if (w < 0)
            return HX_IO_EOF;
        ssize_t r = write(fd, data + off, len - off);
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (r < 0)
            return HX_IO_EOF; /* EPIPE, ECONNRESET: the peer is gone */
        off += (size_t)r;
    }
    return HX_IO_OK;
}

static hx_call_status bad(char **why, const char *text)
{
    *why = hx_strdup(text);
    return HX_CALL_PROTOCOL;
}

hx_call_status hx_proto_parse_response(const char *line, size_t len, json_int_t id, json_t **doc,
                                       json_t **payload, char **why)
{
    json_error_t jerr;
    *payload = NULL;
    *why = NULL;
    size_t end = 0; /* the fast reader when it is sure and nothing follows, else jansson */
    *doc = hx_json_read(line, len, &end);
    if (*doc && (hx_json_ws(line, len, end) != len || !json_is_object(*doc))) {
        json_decref(*doc);
        *doc = NULL;
    }
    if (!*doc)
        *doc = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr); /* \u0000 is JSON */
    if (!*doc)
        return bad(why, "response is not a JSON text");
    if (!json_is_object(*doc))
        return bad(why, "response is not a JSON object");
    json_t *jid = json_object_get(*doc, "id");
    if (!json_is_integer(jid) || json_integer_value(jid) != id)
        return bad(why, "response id does not match the request id");
    json_t *res = json_object_get(*doc, "result");
    json_t *err = json_object_get(*doc, "error");
    if ((res != NULL) == (err != NULL))
        return bad(why, "response must hold exactly one of result and error");
    if (res) {
        if (!json_is_object(res))
            return bad(why, "result is not an object");
        *payload = res;
        return HX_CALL_RESULT;
    }
    json_t *code = json_object_get(err, "code");
    if (!json_is_object(err) || !json_is_string(code))
        return bad(why, "error is not an object with a string code");
    const char *c = json_string_value(code);
    if (strcmp(c, "unimplemented") && strcmp(c, "bad_request") && strcmp(c, "internal"))
        return bad(why, "error code is not unimplemented, bad_request or internal");
    json_t *msg = json_object_get(err, "message");
    if (msg && !json_is_string(msg))
        return bad(why, "error message is not a string");
    *payload = err;
    return HX_CALL_ERROR;
}
