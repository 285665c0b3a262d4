/*
 * impl_tcp.c: an implementation reached over TCP (tcp://HOST:PORT), for implementations that
 * run elsewhere, e.g. at an interop event. The framing is the same NDJSON as over stdio;
 * a restart is a reconnect.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int connect_bounded(const struct addrinfo *ai, int timeout_ms)
{
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0)
        return -1;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
        return fd;
    if (errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    if (poll(&p, 1, timeout_ms) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 ||
        soerr != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int hx_impl_tcp_start(hx_impl *im, char **err)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    int rc = getaddrinfo(im->spec->tcp_host, im->spec->tcp_port, &hints, &res);
    if (rc != 0) {
        *err = hx_printf("cannot resolve %s: %s", im->spec->tcp_host, gai_strerror(rc));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next)
        fd = connect_bounded(ai, 5000);
    freeaddrinfo(res);
    if (fd < 0) {
        *err = hx_printf("cannot connect to %s:%s", im->spec->tcp_host, im->spec->tcp_port);
        return -1;
    }
    im->fd_in = im->fd_out = fd;
    return 0;
}

void hx_impl_tcp_stop(hx_impl *im)
{
    if (im->fd_in >= 0)
        close(im->fd_in);
    im->fd_in = im->fd_out = -1;
}
