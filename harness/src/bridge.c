/*
 * bridge.c: `stirmls-harness bridge --listen HOST:PORT [--allow CIDR]... [--token FILE]
 * [--idle S] [--max-conn N] -- COMMAND...`: any stdio adapter as a stirmls-interop/1 TCP service
 * (docs/protocol.md, "Services on a network"). The connection handling, limits, token and stop
 * are netsvc.h's, as for `stirmls serve --listen`; each connection gets an adapter process of its
 * own (started at its first request, in its own process group, through impl_proc.c as the
 * harness starts adapters), killed when the connection ends for any reason. Request lines are
 * relayed as received and answers as the adapter writes them; a shutdown closes the connection
 * after the adapter's answer and lets the adapter exit on its own (half a second, then killed).
 */
#include "harness.h"
#include "../../ref-impl/cli/netsvc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long an adapter may take over an answer (its start included): the harness's exchange
 * timeout (10 s) plus 5 s, or --idle when that is longer. */
#define BRIDGE_ANSWER_MS 15000

static const char usage_bridge[] =
    "usage: stirmls-harness bridge --listen HOST:PORT [OPTIONS] -- COMMAND [ARG...]\n"
    "Puts a stdio adapter on the network: each TCP connection gets its own COMMAND process\n"
    "(run without a shell, in its own process group, stderr shared with the bridge), which\n"
    "sees the connection's request lines on stdin; its answer lines go back to the connection.\n"
    "The adapter is killed when its connection closes (at the idle deadline too) or when an\n"
    "answer is not complete within 15 s (or --idle, if longer) of its request, its start\n"
    "included; a shutdown request closes that connection only.\n"
    "SIGTERM or SIGINT stops the bridge after the requests in flight.\n";

static bool is_shutdown(const char *line, size_t len)
{
    json_t *req = json_loadb(line, len, 0, NULL);
    const char *op = json_string_value(json_object_get(req, "op"));
    bool yes = op != NULL && strcmp(op, "shutdown") == 0;
    json_decref(req);
    return yes;
}

/* One connection: relay until it ends, then stop the adapter. */
static void bridge_conn(struct netsvc_conn *c, void *arg)
{
    const hx_impl_spec *spec = arg;
    hx_impl im;
    hx_impl_init(&im, spec, "/dev/stderr");
    bool polite = false;
    const char *line;
    size_t len;
    while (!polite && netsvc_read(c, &line, &len) == NETSVC_LINE) {
        if (len == 0)
            continue;
        char *err = NULL;
        if (!hx_impl_running(&im) && hx_impl_proc_start(&im, &err) != 0) {
            fprintf(stderr, "stirmls-harness bridge: %s: cannot start the adapter: %s\n", netsvc_peer(c), err);
            netsvc_error_line(c, NULL, "internal", "the bridge cannot start its adapter");
            free(err);
            break;
        }
        int wait = netsvc_idle_ms(c) > BRIDGE_ANSWER_MS ? netsvc_idle_ms(c) : BRIDGE_ANSWER_MS;
        int64_t deadline = netsvc_now_ms() + wait;
        char *req = malloc(len + 1), *resp = NULL;
        size_t rlen = 0;
        if (req == NULL)
            break;
        memcpy(req, line, len);
        req[len] = '\n';
        hx_io io = hx_write_all(im.fd_in, req, len + 1, deadline);
        free(req);
        if (io == HX_IO_OK)
            io = hx_read_line(im.fd_out, &im.lb, deadline, &resp, &rlen);
        if (io != HX_IO_OK) { /* crashed, silent or a line over 1 MiB: the client sees the close */
            fprintf(stderr, "stirmls-harness bridge: %s: the adapter %s: connection closed\n", netsvc_peer(c),
                    io == HX_IO_TIMEOUT ? "did not answer in time" : io == HX_IO_TOOLONG ? "wrote a line over 1 MiB"
                                                                                    : "closed its output");
            free(resp);
            break;
        }
        polite = is_shutdown(line, len);
        bool ok = netsvc_write_line(c, resp, rlen);
        free(resp);
        if (!ok)
            break;
    }
    if (polite)
        hx_impl_proc_stop(&im, false);
    hx_impl_cleanup(&im); /* kills the adapter's process group if it still runs */
}

int hx_bridge_main(int argc, char **argv)
{
    struct netsvc_opts o;
    char err[320];
    int i = 1, rc = 0;
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("%s%s", usage_bridge, netsvc_options_help);
        return 0;
    }
    netsvc_opts_init(&o, "stirmls-harness bridge");
    for (; i < argc && strcmp(argv[i], "--") != 0 && rc == 0; i++) {
        int took = netsvc_option(&o, argc, argv, &i, err, sizeof err);
        if (took <= 0) {
            char *safe = hx_ctl_escape(took < 0 ? err : argv[i]);
            fprintf(stderr, "stirmls-harness: bridge: %s%s (try bridge --help)\n", took < 0 ? "" : "unexpected argument ", safe);
            free(safe);
            rc = 2;
        }
    }
    if (rc == 0 && (o.listen == NULL || i + 1 >= argc)) {
        fprintf(stderr, "stirmls-harness: bridge wants --listen HOST:PORT and -- COMMAND (try bridge --help)\n");
        rc = 2;
    }
    if (rc == 0) {
        hx_impl_spec spec = {.name = "bridge", .argv = argv + i + 1};
        if (netsvc_run(&o, bridge_conn, &spec, err, sizeof err) != 0) {
            fprintf(stderr, "stirmls-harness: bridge: %s\n", err);
            rc = 2;
        }
    }
    netsvc_opts_cleanup(&o);
    return rc;
}
