/*
 * serve_fetch.c: x5u_fetch for `stirmls serve` (docs/protocol.md). When a passport request has
 * no x5u_map but an x5u_fetch {"<x5u URL>":"http://127.0.0.1:PORT/PATH"}, the serve layer fetches
 * each loopback URL with a small HTTP/1.0 GET client and hands the library an x5u_map built from
 * the answers: the library's verification stays offline, it only ever sees the map.
 *
 * Bounds: loopback only (http://127.0.0.1[:PORT]/PATH, nothing else is even parsed as a target),
 * SERVE_FETCH_MAX bytes per response, SERVE_FETCH_MS for each fetch, at most SERVE_FETCH_URLS
 * URLs per request. A URL that cannot be fetched is left out of the map, so the PASSporT's x5u
 * stays unresolved (PPT_X5U_UNRESOLVED) rather than becoming an error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "serve.h"

#define SERVE_FETCH_MAX (256u * 1024u)
#define SERVE_FETCH_HEAD 8192u
#define SERVE_FETCH_MS 3000
#define SERVE_FETCH_URLS 32

int serve_fetch_enabled = 1;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* http://127.0.0.1[:PORT]/PATH with PATH printable ASCII without spaces. */
int serve_loopback_url(const char *url, uint16_t *port, const char **path)
{
    static const char pre[] = "http://127.0.0.1";
    if (strncmp(url, pre, sizeof pre - 1) != 0)
        return 0;
    const char *p = url + sizeof pre - 1;
    unsigned long v = 80;
    if (*p == ':') {
        char *end = NULL;
        if (p[1] < '0' || p[1] > '9')
            return 0;
        v = strtoul(p + 1, &end, 10);
        if (v == 0 || v > 65535 || end - p > 6)
            return 0;
        p = end;
    }
    if (*p != '/' || strlen(p) > 2048)
        return 0;
    for (const char *q = p; *q; q++)
        if (*q <= ' ' || *q > '~')
            return 0;
    *port = (uint16_t)v;
    *path = p;
    return 1;
}

static int wait_fd(int fd, short ev, int64_t deadline)
{
    int64_t left = deadline - now_ms();
    struct pollfd p = {.fd = fd, .events = ev};
    return left > 0 && poll(&p, 1, (int)left) == 1;
}

/* Send the request and read the whole answer (at most SERVE_FETCH_MAX + head). owned */
static char *exchange(int fd, const char *path, int64_t deadline, size_t *len)
{
    char req[2200];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: "
                                      "application/pem-certificate-chain\r\n\r\n", path);
    for (int off = 0; off < n;) {
        if (!wait_fd(fd, POLLOUT, deadline))
            return NULL;
        ssize_t w = send(fd, req + off, (size_t)(n - off), MSG_NOSIGNAL);
        if (w <= 0)
            return NULL;
        off += (int)w;
    }
    size_t cap = SERVE_FETCH_MAX + SERVE_FETCH_HEAD;
    char *buf = malloc(cap + 1);
    *len = 0;
    while (buf) {
        if (!wait_fd(fd, POLLIN, deadline))
            break;
        ssize_t r = recv(fd, buf + *len, cap - *len, 0);
        if (r == 0) {
            buf[*len] = 0;
            return buf;
        }
        if (r < 0 || (*len += (size_t)r) == cap)
            break; /* error, or too large */
    }
    free(buf);
    return NULL;
}

/* The body of a 200 answer (owned, NUL-terminated), or NULL. */
static char *parse_answer(char *raw, size_t len, size_t *blen)
{
    char *hend = strstr(raw, "\r\n\r\n");
    if (strncmp(raw, "HTTP/1.", 7) != 0 || len < 12 || strncmp(raw + 8, " 200", 4) != 0 ||
        hend == NULL || (size_t)(hend - raw) > SERVE_FETCH_HEAD)
        return NULL;
    char *body = hend + 4;
    *blen = len - (size_t)(body - raw);
    if (*blen > SERVE_FETCH_MAX || memchr(body, 0, *blen) != NULL)
        return NULL;
    char *out = malloc(*blen + 1);
    if (out) {
        memcpy(out, body, *blen);
        out[*blen] = 0;
    }
    return out;
}

char *serve_http_get_loopback(const char *url, size_t *blen)
{
    uint16_t port;
    const char *path;
    if (!serve_loopback_url(url, &port, &path))
        return NULL;
    int64_t deadline = now_ms() + SERVE_FETCH_MS;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return NULL;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char *body = NULL, *raw = NULL;
    size_t len = 0;
    int c = connect(fd, (struct sockaddr *)&a, sizeof a);
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    if (c != 0 && errno == EINPROGRESS && wait_fd(fd, POLLOUT, deadline) &&
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
        c = 0;
    if (c == 0 && (raw = exchange(fd, path, deadline, &len)) != NULL)
        body = parse_answer(raw, len, blen);
    free(raw);
    close(fd);
    return body;
}

json_t *serve_x5u_fetch(json_t *fetch)
{
    const char *key;
    json_t *v;
    if (!json_is_object(fetch))
        return NULL;
    json_t *map = json_object();
    size_t n = 0;
    json_object_foreach(fetch, key, v) {
        if (n++ == SERVE_FETCH_URLS)
            break;
        size_t blen;
        char *body = json_is_string(v) ? serve_http_get_loopback(json_string_value(v), &blen) : NULL;
        json_t *pem = body ? json_stringn(body, blen) : NULL;
        if (pem != NULL) {
            json_t *arr = json_array();
            json_array_append_new(arr, pem);
            json_object_set_new(map, key, arr);
        }
        free(body);
    }
    return map;
}
