/*
 * netsvc.h: stirmls-interop/1 as a TCP service for an interop event (docs/protocol.md, "Services
 * on a network"): `stirmls serve --listen` and `stirmls-harness bridge` both run on it (the
 * harness compiles this file too: it needs libc, pthreads and jansson, never libstirmls).
 *
 * One thread per connection, at most max_conn at once (one more gets one error line and is
 * closed); every request line must arrive whole within idle_ms of the previous answer (or of the
 * connect), else the connection is closed; a line over 1 MiB gets a bad_request error line and
 * the connection is closed; peers outside the --allow list are closed at accept; with a token,
 * the first request must be a hello carrying it in params.token. SIGTERM or SIGINT stops
 * accepting, lets each connection finish the request in flight, and netsvc_run returns.
 */
#ifndef STIRMLS_NETSVC_H
#define STIRMLS_NETSVC_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define NETSVC_MAX_LINE ((size_t)1 << 20)   /* a request line, newline excluded */
#define NETSVC_MAX_ALLOW 32                 /* --allow entries */
#define NETSVC_MAX_TOKEN 4096               /* bytes of a token file */
#define NETSVC_IDLE_DEFAULT_MS 15000        /* the harness's exchange timeout (10 s) plus 5 s */
#define NETSVC_MAX_CONN_DEFAULT 64

struct netsvc_cidr {
    int family; /* AF_INET or AF_INET6 */
    uint8_t addr[16];
    unsigned bits;
};

struct netsvc_opts {
    const char *prog;   /* for messages: "stirmls serve", "stirmls-harness bridge" */
    const char *listen; /* HOST:PORT or [V6]:PORT; NULL: not given */
    struct netsvc_cidr allow[NETSVC_MAX_ALLOW];
    size_t nallow;      /* 0: every peer */
    char *token;        /* owned; NULL: no token */
    size_t token_len;
    int idle_ms, max_conn;
};

void netsvc_opts_init(struct netsvc_opts *o, const char *prog);
void netsvc_opts_cleanup(struct netsvc_opts *o);
/* One option at argv[*i]: --listen HOST:PORT, --allow CIDR, --token FILE, --idle SECONDS,
 * --max-conn N. 1: taken (*i moved to its value); 0: not one of these; -1: bad (message in err). */
int netsvc_option(struct netsvc_opts *o, int argc, char **argv, int *i, char *err, size_t errlen);
/* The help text of those options (lines starting with two spaces). */
extern const char netsvc_options_help[];

struct netsvc_conn; /* one connection, owned by netsvc_run */
typedef void (*netsvc_handler)(struct netsvc_conn *c, void *arg);

/* Listen on o->listen and run h on a thread of its own for each connection until SIGTERM or
 * SIGINT (then wait, at most idle_ms more, for the connections to finish). 0 after a clean stop,
 * -1 when it cannot listen (message in err). Prints "PROG: listening on HOST:PORT" (the bound
 * port) on stderr once ready. */
int netsvc_run(const struct netsvc_opts *o, netsvc_handler h, void *arg, char *err, size_t errlen);

enum { NETSVC_TOOLONG = -1, NETSVC_CLOSED = 0, NETSVC_LINE = 1 };
/* The next request line, newline dropped, NUL-terminated, valid until the next call: NETSVC_LINE.
 * NETSVC_TOOLONG: the line was over 1 MiB, the error line is sent: close. NETSVC_CLOSED: EOF,
 * the idle deadline, a stop, a read error or a failed token check (its error line sent): close. */
int netsvc_read(struct netsvc_conn *c, const char **line, size_t *len);
/* Write s and a newline before the idle deadline. 1 written, 0 failed (close). */
int netsvc_write_line(struct netsvc_conn *c, const char *s, size_t len);
/* Send {"id":ID|null,"error":{"code":CODE,"message":MSG}}. */
void netsvc_error_line(struct netsvc_conn *c, json_t *id, const char *code, const char *msg);
int netsvc_idle_ms(const struct netsvc_conn *c);
/* The stop file descriptor: readable once the service is stopping (poll it with other waits). */
int netsvc_stop_fd(const struct netsvc_conn *c);
/* The peer, "ADDR:PORT", for messages. */
const char *netsvc_peer(const struct netsvc_conn *c);
/* Milliseconds of CLOCK_MONOTONIC (deadlines only). */
int64_t netsvc_now_ms(void);

#endif
