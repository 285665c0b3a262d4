/* netsvc.c: stirmls-interop/1 as a bounded TCP service (netsvc.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4, pipe2 */
#endif
#include "netsvc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

const char netsvc_options_help[] =
    "  --listen HOST:PORT  accept TCP connections on HOST (an explicit address or name; [V6]:PORT\n"
    "                      for IPv6); port 0 picks a free port, printed on stderr\n"
    "  --allow CIDR        accept only peers inside CIDR (A.B.C.D/N, V6/N or one address);\n"
    "                      repeatable, at most 32; others are closed at accept\n"
    "  --token FILE        the first request of a connection must be a hello whose params.token\n"
    "                      is the content of FILE (trailing newline dropped); else it is closed\n"
    "  --idle SECONDS      each request line must arrive whole within SECONDS of the previous\n"
    "                      answer or of the connect (default 15)\n"
    "  --max-conn N        connections served at once (default 64); one more gets one error line\n";

int64_t netsvc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void netsvc_opts_init(struct netsvc_opts *o, const char *prog)
{
    memset(o, 0, sizeof *o);
    o->prog = prog;
    o->idle_ms = NETSVC_IDLE_DEFAULT_MS;
    o->max_conn = NETSVC_MAX_CONN_DEFAULT;
}

void netsvc_opts_cleanup(struct netsvc_opts *o)
{
    if (o->token != NULL)
        memset(o->token, 0, o->token_len);
    free(o->token);
    o->token = NULL;
}

static int parse_cidr(const char *s, struct netsvc_cidr *c)
{
    char addr[64];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    if (n == 0 || n >= sizeof addr)
        return 0;
    memcpy(addr, s, n);
    addr[n] = 0;
    memset(c, 0, sizeof *c);
    c->family = strchr(addr, ':') ? AF_INET6 : AF_INET;
    if (inet_pton(c->family, addr, c->addr) != 1)
        return 0;
    unsigned max = c->family == AF_INET ? 32 : 128;
    c->bits = max;
    if (slash != NULL) {
        char *end = NULL;
        unsigned long b = strtoul(slash + 1, &end, 10);
        if (slash[1] < '0' || slash[1] > '9' || *end != 0 || b > max)
            return 0;
        c->bits = (unsigned)b;
    }
    return 1;
}

static int read_token(struct netsvc_opts *o, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char buf[NETSVC_MAX_TOKEN + 2];
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    if (f == NULL || n == 0 || n > NETSVC_MAX_TOKEN || memchr(buf, 0, n) != NULL) {
        snprintf(err, errlen, "--token: %s is unreadable, empty, holds a NUL or is over %d bytes", path,
                 NETSVC_MAX_TOKEN);
        return -1;
    }
    netsvc_opts_cleanup(o);
    o->token = malloc(n + 1);
    if (o->token == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(o->token, buf, n);
    o->token[n] = 0;
    o->token_len = n;
    memset(buf, 0, sizeof buf);
    return 1;
}

static int positive(const char *s, long max, long *out)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || *end != 0 || v < 1 || v > max)
        return 0;
    *out = v;
    return 1;
}

int netsvc_option(struct netsvc_opts *o, int argc, char **argv, int *i, char *err, size_t errlen)
{
    static const char *const names[] = {"--listen", "--allow", "--token", "--idle", "--max-conn"};
    size_t k = 0;
    while (k < 5 && strcmp(argv[*i], names[k]) != 0)
        k++;
    if (k == 5)
        return 0;
    if (*i + 1 >= argc) {
        snprintf(err, errlen, "%s wants a value", names[k]);
        return -1;
    }
    const char *v = argv[++*i];
    long n = 0;
    switch (k) {
    case 0:
        if (o->listen != NULL || strrchr(v, ':') == NULL || strrchr(v, ':') == v || strncmp(v, "*:", 2) == 0) {
            snprintf(err, errlen, "--listen wants HOST:PORT with an explicit host, once (got '%.200s')", v);
            return -1;
        }
        o->listen = v;
        return 1;
    case 1:
        if (o->nallow == NETSVC_MAX_ALLOW || !parse_cidr(v, &o->allow[o->nallow])) {
            snprintf(err, errlen, "--allow wants A.B.C.D/N, an IPv6 prefix or one address, at most %d (got '%.200s')",
                     NETSVC_MAX_ALLOW, v);
            return -1;
        }
        o->nallow++;
        return 1;
    case 2:
        return read_token(o, v, err, errlen);
    case 3:
        if (!positive(v, 3600, &n)) {
            snprintf(err, errlen, "--idle wants whole seconds from 1 to 3600 (got '%.200s')", v);
            return -1;
        }
        o->idle_ms = (int)n * 1000;
        return 1;
    default:
        if (!positive(v, 4096, &n)) {
            snprintf(err, errlen, "--max-conn wants a number from 1 to 4096 (got '%.200s')", v);
            return -1;
        }
        o->max_conn = (int)n;
        return 1;
    }
}

/* ---- the service ---------------------------------------------------------------------------- */

struct netsvc {
    const struct netsvc_opts *o;
    netsvc_handler h;
    void *arg;
    int stop[2]; /* stop[1] closed: stopping (every connection polls stop[0]) */
    pthread_mutex_t lock;
    pthread_cond_t idle; /* signalled when active drops */
    int active;
    pthread_t *done;     /* threads that have finished, to join (at most max_conn) */
    size_t ndone;
};

struct netsvc_conn {
    struct netsvc *s;
    int fd;
    int authed;
    char peer[INET6_ADDRSTRLEN + 8];
    char *buf; /* bytes received, at most NETSVC_MAX_LINE + 1 before a newline */
    size_t len, cap;
    size_t consumed; /* the last line returned, newline included, dropped on the next read */
};

static int sig_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
    int e = errno;
    char b = (char)sig;
    if (write(sig_pipe[1], &b, 1) < 0) { /* full: a stop is pending anyway */
    }
    errno = e;
}

static int prefix_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;
    if (memcmp(a, b, whole) != 0)
        return 0;
    return rest == 0 || ((a[whole] ^ b[whole]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

/* Is the peer inside the allow list? Its address as text goes into peer. */
static int peer_allowed(const struct netsvc_opts *o, const struct sockaddr_storage *ss, char *peer, size_t plen)
{
    uint8_t a[16];
    int fam = ss->ss_family;
    unsigned port = 0;
    if (fam == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
        memcpy(a, &in->sin_addr, 4);
        port = ntohs(in->sin_port);
    } else {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
        memcpy(a, &in6->sin6_addr, 16);
        port = ntohs(in6->sin6_port);
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) { /* ::ffff:A.B.C.D: judged as A.B.C.D */
            memmove(a, a + 12, 4);
            fam = AF_INET;
        }
    }
    char text[INET6_ADDRSTRLEN];
    if (inet_ntop(fam, a, text, sizeof text) == NULL)
        snprintf(text, sizeof text, "?");
    snprintf(peer, plen, fam == AF_INET6 ? "[%s]:%u" : "%s:%u", text, port);
    if (o->nallow == 0)
        return 1;
    for (size_t i = 0; i < o->nallow; i++)
        if (o->allow[i].family == fam && prefix_match(o->allow[i].addr, a, o->allow[i].bits))
            return 1;
    return 0;
}

static int conn_wait(struct netsvc_conn *c, short ev, int64_t deadline)
{
    struct pollfd p[2] = {{.fd = c->fd, .events = ev}, {.fd = c->s->stop[0], .events = POLLIN}};
    for (;;) {
        int64_t left = deadline - netsvc_now_ms();
        if (left <= 0)
            return 0;
        /* a write in flight finishes despite a stop; bytes already sent are read and answered */
        int r = poll(p, ev == POLLIN ? 2 : 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        return r > 0 && p[0].revents != 0;
    }
}

int netsvc_write_line(struct netsvc_conn *c, const char *s, size_t len)
{
    int64_t deadline = netsvc_now_ms() + c->s->o->idle_ms;
    struct iovec v[2] = {{.iov_base = (void *)(uintptr_t)s, .iov_len = len}, {.iov_base = "\n", .iov_len = 1}};
    struct msghdr m = {.msg_iov = v, .msg_iovlen = 2}; /* one segment: no wait for a delayed ACK */
    while (m.msg_iovlen > 0) {
        ssize_t w = sendmsg(c->fd, &m, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && conn_wait(c, POLLOUT, deadline))
            continue;
        if (w <= 0)
            return 0;
        for (size_t n = (size_t)w; n > 0 && m.msg_iovlen > 0;) {
            size_t k = n < m.msg_iov->iov_len ? n : m.msg_iov->iov_len;
            m.msg_iov->iov_base = (char *)m.msg_iov->iov_base + k;
            m.msg_iov->iov_len -= k;
            n -= k;
            if (m.msg_iov->iov_len == 0) {
                m.msg_iov++;
                m.msg_iovlen--;
            }
        }
    }
    return 1;
}

void netsvc_error_line(struct netsvc_conn *c, json_t *id, const char *code, const char *msg)
{
    json_t *m = json_pack("{s:O,s:{s:s,s:s}}", "id", id ? id : json_null(), "error", "code", code, "message", msg);
    char *t = m ? json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII) : NULL;
    if (t != NULL)
        (void)netsvc_write_line(c, t, strlen(t));
    free(t);
    json_decref(m);
}

/* The first request of a connection when a token is set: a hello with params.token. */
static int token_ok(struct netsvc_conn *c, const char *line, size_t len)
{
    const struct netsvc_opts *o = c->s->o;
    json_t *req = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
    const char *op = json_string_value(json_object_get(req, "op"));
    json_t *tok = json_object_get(json_object_get(req, "params"), "token");
    int ok = op != NULL && strcmp(op, "hello") == 0 && json_is_string(tok) &&
             json_string_length(tok) == o->token_len;
    unsigned char diff = 0; /* constant time over the token's length */
    for (size_t i = 0; ok && i < o->token_len; i++)
        diff |= (unsigned char)(json_string_value(tok)[i] ^ o->token[i]);
    ok = ok && diff == 0;
    if (!ok) {
        json_t *id = json_object_get(req, "id");
        netsvc_error_line(c, json_is_integer(id) ? id : NULL, "bad_request",
                          "this service answers only a hello carrying its organiser's token first");
        fprintf(stderr, "%s: %s: no or wrong token, closed\n", o->prog, c->peer);
    }
    json_decref(req);
    return ok;
}

int netsvc_read(struct netsvc_conn *c, const char **line, size_t *len)
{
    if (c->consumed > 0) {
        memmove(c->buf, c->buf + c->consumed, c->len - c->consumed);
        c->len -= c->consumed;
        c->consumed = 0;
    }
    int64_t deadline = netsvc_now_ms() + c->s->o->idle_ms;
    size_t scanned = 0;
    for (;;) {
        char *nl = c->len > scanned ? memchr(c->buf + scanned, '\n', c->len - scanned) : NULL;
        if (nl != NULL) {
            *nl = 0;
            *line = c->buf;
            *len = (size_t)(nl - c->buf);
            c->consumed = *len + 1;
            if (*len > NETSVC_MAX_LINE)
                break;
            if (c->s->o->token != NULL && !c->authed && !(c->authed = token_ok(c, c->buf, *len)))
                return NETSVC_CLOSED;
            return NETSVC_LINE;
        }
        scanned = c->len;
        if (c->len > NETSVC_MAX_LINE)
            break;
        if (c->cap - c->len < 65536) {
            size_t ncap = c->cap ? c->cap * 2 : 65536;
            if (ncap > NETSVC_MAX_LINE + 65536 + 1)
                ncap = NETSVC_MAX_LINE + 65536 + 1;
            char *q = ncap > c->cap ? realloc(c->buf, ncap) : NULL;
            if (q == NULL)
                return NETSVC_CLOSED;
            c->buf = q;
            c->cap = ncap;
        }
        ssize_t r = recv(c->fd, c->buf + c->len, c->cap - c->len - 1, 0);
        if (r > 0)
            c->len += (size_t)r;
        else if (r == 0 || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK))
            return NETSVC_CLOSED;
        else if (errno != EINTR && !conn_wait(c, POLLIN, deadline))
            return NETSVC_CLOSED;
    }
    netsvc_error_line(c, NULL, "bad_request", "request line longer than 1 MiB: connection closed");
    return NETSVC_TOOLONG;
}

int netsvc_idle_ms(const struct netsvc_conn *c)
{
    return c->s->o->idle_ms;
}

int netsvc_stop_fd(const struct netsvc_conn *c)
{
    return c->s->stop[0];
}

const char *netsvc_peer(const struct netsvc_conn *c)
{
    return c->peer;
}

static void *conn_main(void *p)
{
    struct netsvc_conn *c = p;
    struct netsvc *s = c->s;
    s->h(c, s->arg);
    close(c->fd);
    free(c->buf);
    free(c);
    pthread_mutex_lock(&s->lock);
    s->done[s->ndone++] = pthread_self(); /* joined by the accept loop: its exit is complete */
    s->active--;
    pthread_cond_signal(&s->idle);
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/* Join the threads that have finished (so each one's thread-local state is released by then). */
static void reap(struct netsvc *s)
{
    for (;;) {
        pthread_mutex_lock(&s->lock);
        if (s->ndone == 0) {
            pthread_mutex_unlock(&s->lock);
            return;
        }
        pthread_t t = s->done[--s->ndone];
        pthread_mutex_unlock(&s->lock);
        pthread_join(t, NULL);
    }
}

static void refuse_busy(int fd, int max)
{
    char t[160];
    int n = snprintf(t, sizeof t,
                     "{\"error\":{\"code\":\"internal\",\"message\":\"busy: %d connections open, try again later\"},\"id\":null}\n",
                     max);
    if (send(fd, t, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) { /* the peer is gone already */
    }
    close(fd);
}

static void accept_one(struct netsvc *s, int lfd)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0)
        return;
    struct netsvc_conn *c = calloc(1, sizeof *c);
    if (c == NULL || !peer_allowed(s->o, &ss, c->peer, sizeof c->peer)) {
        if (c != NULL)
            fprintf(stderr, "%s: %s is not in --allow: closed\n", s->o->prog, c->peer);
        free(c);
        close(fd);
        return;
    }
    c->s = s;
    c->fd = fd;
    int one = 1; /* request and answer lines: send each at once */
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    pthread_mutex_lock(&s->lock);
    if (s->active >= s->o->max_conn) { /* connections just closed may still be winding up: 200 ms */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts); /* pthread_cond_timedwait's clock; a bound only */
        ts.tv_nsec += 200 * 1000000L;
        ts.tv_sec += ts.tv_nsec / 1000000000L;
        ts.tv_nsec %= 1000000000L;
        while (s->active >= s->o->max_conn && pthread_cond_timedwait(&s->idle, &s->lock, &ts) == 0) {
        }
    }
    int busy = s->active >= s->o->max_conn;
    if (!busy)
        s->active++;
    pthread_mutex_unlock(&s->lock);
    pthread_t t;
    if (busy || pthread_create(&t, NULL, conn_main, c) != 0) {
        if (!busy) {
            pthread_mutex_lock(&s->lock);
            s->active--;
            pthread_mutex_unlock(&s->lock);
        }
        refuse_busy(fd, s->o->max_conn);
        free(c);
    }
}

static int listen_socket(const struct netsvc_opts *o, char *err, size_t errlen)
{
    char host[256];
    const char *colon = strrchr(o->listen, ':');
    size_t hl = (size_t)(colon - o->listen);
    if (hl >= sizeof host) {
        snprintf(err, errlen, "--listen: host too long");
        return -1;
    }
    memcpy(host, o->listen, hl);
    host[hl] = 0;
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        memmove(host, host + 1, hl - 2);
        host[hl - 2] = 0;
    }
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(host, colon + 1, &hints, &ai);
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", o->listen, gai_strerror(rc));
        return -1;
    }
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol), one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", o->listen, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char port[16] = "?";
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
        snprintf(port, sizeof port, "%u",
                 ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                               : ((struct sockaddr_in6 *)&ss)->sin6_port));
    fprintf(stderr, "%s: listening on %.*s:%s\n", o->prog, (int)hl, o->listen, port);
    return fd;
}

int netsvc_run(const struct netsvc_opts *o, netsvc_handler h, void *arg, char *err, size_t errlen)
{
    struct netsvc s = {.o = o, .h = h, .arg = arg, .stop = {-1, -1}};
    json_object_seed(0); /* jansson's hash seed, once, before any thread builds an object */
    signal(SIGPIPE, SIG_IGN);
    if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0 || pipe2(s.stop, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    s.done = calloc((size_t)o->max_conn + 1, sizeof *s.done);
    int lfd = s.done ? listen_socket(o, err, errlen) : -1;
    if (lfd < 0) {
        if (s.done == NULL)
            snprintf(err, errlen, "out of memory");
        free(s.done);
        return -1;
    }
    pthread_mutex_init(&s.lock, NULL);
    pthread_cond_init(&s.idle, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    fflush(stderr);
    for (;;) {
        struct pollfd p[2] = {{.fd = lfd, .events = POLLIN}, {.fd = sig_pipe[0], .events = POLLIN}};
        int r = poll(p, 2, -1);
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0 && p[1].revents != 0)
            break;
        reap(&s);
        if (r > 0 && p[0].revents != 0)
            accept_one(&s, lfd);
    }
    close(lfd);
    fprintf(stderr, "%s: stopping: finishing the requests in flight\n", o->prog);
    close(s.stop[1]); /* every connection's next wait sees it */
    int64_t deadline = netsvc_now_ms() + o->idle_ms;
    pthread_mutex_lock(&s.lock);
    while (s.active > 0 && netsvc_now_ms() < deadline) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts); /* pthread_cond_timedwait's clock; a bound, not a verdict */
        ts.tv_sec += 1;
        pthread_cond_timedwait(&s.idle, &s.lock, &ts);
    }
    int left = s.active;
    pthread_mutex_unlock(&s.lock);
    if (left > 0) {
        fprintf(stderr, "%s: %d connections still busy after %d ms: leaving them\n", o->prog, left, o->idle_ms);
        return 0; /* the threads still hold s: never destroy it under them */
    }
    reap(&s);
    free(s.done);
    close(s.stop[0]);
    pthread_mutex_destroy(&s.lock);
    pthread_cond_destroy(&s.idle);
    return 0;
}
