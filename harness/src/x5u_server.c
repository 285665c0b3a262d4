/*
 * x5u_server.c: the built-in x5u certificate repository (run --x5u-serve). A plain HTTP/1.0
 * server on 127.0.0.1 (ephemeral port, one thread, one connection at a time) serving, for each
 * case, the chain of each x5u_map entry as concatenated PEM (application/pem-certificate-chain,
 * RFC 8555 §9.1) at /<case id>/<n>.pem. GET only (405 otherwise), 404 for any other path, a
 * request head of at most HX_X5U_REQ_MAX bytes (431 beyond), 2 s to send it (408 after).
 * Documents are added before the thread starts and never change while it runs.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define HX_X5U_IO_MS 2000

void hx_x5u_server_init(hx_x5u_server *s)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->stop[0] = s->stop[1] = -1;
}

/* Percent-encode a case id for a path: unreserved characters and '/' stay. owned */
static char *path_escape(const char *id)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(3 * strlen(id) + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = 0;
    return out;
}

/* The chain of one map entry as one body: every PEM string, each ending with a newline. */
static char *chain_body(const json_t *arr, size_t *len)
{
    size_t n = 0, i;
    json_t *v;
    json_array_foreach(arr, i, v)
        n += json_string_length(v) + 1;
    char *b = malloc(n + 1), *p = b;
    json_array_foreach(arr, i, v) {
        size_t l = json_string_length(v);
        memcpy(p, json_string_value(v), l);
        p += l;
        if (l == 0 || p[-1] != '\n')
            *p++ = '\n';
    }
    *p = 0;
    *len = (size_t)(p - b);
    return b;
}

void hx_x5u_server_add(hx_x5u_server *s, const char *case_id, const json_t *x5u_map)
{
    const char *url;
    json_t *arr;
    size_t n = 0;
    char *esc = path_escape(case_id);
    json_object_foreach((json_t *)x5u_map, url, arr) {
        if (!json_is_array(arr))
            continue;
        s->docs = realloc(s->docs, (s->ndocs + 1) * sizeof *s->docs);
        hx_x5u_doc *d = &s->docs[s->ndocs++];
        d->case_id = hx_strdup(case_id);
        d->url = hx_strdup(url);
        d->path = hx_printf("/%s/%zu.pem", esc, n++);
        d->body = chain_body(arr, &d->len);
    }
    free(esc);
}

json_t *hx_x5u_server_fetch_map(const hx_x5u_server *s, const char *case_id)
{
    json_t *m = json_object();
    for (size_t i = 0; i < s->ndocs; i++)
        if (strcmp(s->docs[i].case_id, case_id) == 0) {
            char *u = hx_printf("http://127.0.0.1:%d%s", s->port, s->docs[i].path);
            json_object_set_new(m, s->docs[i].url, json_string(u));
            free(u);
        }
    return m;
}

/* ---- one connection ------------------------------------------------------------------------- */

static void respond(int fd, const char *status, const char *extra, const char *body, size_t len)
{
    char *head = hx_printf("HTTP/1.0 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
                           "Connection: close\r\n\r\n",
                           status, body ? "application/pem-certificate-chain" : "text/plain",
                           body ? len : strlen(status) + 1, extra);
    int64_t deadline = hx_now_ms() + HX_X5U_IO_MS;
    if (hx_write_all(fd, head, strlen(head), deadline) == HX_IO_OK) {
        if (body)
            hx_write_all(fd, body, len, deadline);
        else if (hx_write_all(fd, status, strlen(status), deadline) == HX_IO_OK)
            hx_write_all(fd, "\n", 1, deadline);
    }
    free(head);
}

/* Reads the request head (up to the blank line). 0 ok, 1 too large, -1 timeout or gone. */
static int read_head(int fd, char *buf, size_t cap, size_t *len)
{
    int64_t deadline = hx_now_ms() + HX_X5U_IO_MS;
    *len = 0;
    for (;;) {
        buf[*len] = 0;
        if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
            return 0;
        if (*len == cap)
            return 1;
        int64_t left = deadline - hx_now_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            return -1;
        ssize_t r = read(fd, buf + *len, cap - *len);
        if (r <= 0)
            return -1;
        *len += (size_t)r;
    }
}

static const hx_x5u_doc *find_doc(const hx_x5u_server *s, const char *path)
{
    for (size_t i = 0; i < s->ndocs; i++)
        if (strcmp(s->docs[i].path, path) == 0)
            return &s->docs[i];
    return NULL;
}

static void serve_one(hx_x5u_server *s, int fd)
{
    char buf[HX_X5U_REQ_MAX + 1];
    size_t len;
    int h = read_head(fd, buf, HX_X5U_REQ_MAX, &len);
    if (h != 0) {
        if (h == 1)
            respond(fd, "431 Request Header Fields Too Large", "", NULL, 0);
        else if (len > 0)
            respond(fd, "408 Request Timeout", "", NULL, 0);
        return;
    }
    char method[16], target[HX_X5U_REQ_MAX + 1], version[16];
    if (sscanf(buf, "%15s %4096s %15s", method, target, version) != 3 ||
        strncmp(version, "HTTP/", 5) != 0) {
        respond(fd, "400 Bad Request", "", NULL, 0);
        return;
    }
    if (strcmp(method, "GET") != 0) {
        respond(fd, "405 Method Not Allowed", "Allow: GET\r\n", NULL, 0);
        return;
    }
    const hx_x5u_doc *d = find_doc(s, target);
    if (d == NULL) {
        respond(fd, "404 Not Found", "", NULL, 0);
        return;
    }
    respond(fd, "200 OK", "", d->body, d->len);
    __atomic_add_fetch(&s->served, 1, __ATOMIC_SEQ_CST);
}

/* Lingering close: FIN first, then read what the client still sends (100 ms, 64 KiB at most), so
 * unread request bytes do not turn the close into a reset that destroys the answer. */
static void close_gently(int fd)
{
    char sink[4096];
    size_t total = 0;
    int64_t deadline = hx_now_ms() + 100;
    shutdown(fd, SHUT_WR);
    while (total < 65536) {
        int64_t left = deadline - hx_now_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        ssize_t r = read(fd, sink, sizeof sink);
        if (r <= 0)
            break;
        total += (size_t)r;
    }
    close(fd);
}

static void *server_main(void *arg)
{
    hx_x5u_server *s = arg;
    for (;;) {
        struct pollfd p[2] = {{.fd = s->fd, .events = POLLIN}, {.fd = s->stop[0], .events = POLLIN}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p[1].revents)
            break;
        if (!(p[0].revents & POLLIN))
            continue;
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            continue;
        serve_one(s, c);
        close_gently(c);
    }
    return NULL;
}

int hx_x5u_server_start(hx_x5u_server *s, char **err)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(s->fd, 16) != 0 ||
        getsockname(s->fd, (struct sockaddr *)&a, &al) != 0 || pipe(s->stop) != 0) {
        *err = hx_printf("--x5u-serve: cannot listen on 127.0.0.1: %s", strerror(errno));
        return -1;
    }
    s->port = ntohs(a.sin_port);
    if (pthread_create(&s->thread, NULL, server_main, s) != 0) {
        *err = hx_strdup("--x5u-serve: cannot start the server thread");
        return -1;
    }
    s->running = true;
    return 0;
}

void hx_x5u_server_cleanup(hx_x5u_server *s)
{
    if (s->running) {
        if (write(s->stop[1], "x", 1) != 1)
            pthread_cancel(s->thread);
        pthread_join(s->thread, NULL);
        s->running = false;
    }
    for (int i = 0; i < 2; i++)
        if (s->stop[i] >= 0)
            close(s->stop[i]);
    if (s->fd >= 0)
        close(s->fd);
    for (size_t i = 0; i < s->ndocs; i++) {
        free(s->docs[i].case_id), free(s->docs[i].url);
        free(s->docs[i].path), free(s->docs[i].body);
    }
    free(s->docs);
    hx_x5u_server_init(s);
}
