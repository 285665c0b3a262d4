/*
 * capture.c: --capture runs tcpdump on the loopback interface for the TCP ports the run uses
 * (tcp:// implementations, and the --x5u-serve repository's port) and writes <out>/capture.pcap.
 * Started from an argv list, no shell. Stdio implementations use no port; with none in use the
 * capture holds no packets.
 */
#include "harness.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *port_filter(const hx_run_config *cfg)
{
    char *f = NULL;
    for (size_t i = 0; i < cfg->nimpls; i++) {
        if (!cfg->impls[i].tcp_port)
            continue;
        char *next = f ? hx_printf("%s or tcp port %s", f, cfg->impls[i].tcp_port)
                       : hx_printf("tcp port %s", cfg->impls[i].tcp_port);
        free(f);
        f = next;
    }
    if (cfg->x5u_port > 0) {
        char *next = f ? hx_printf("%s or tcp port %d", f, cfg->x5u_port)
                       : hx_printf("tcp port %d", cfg->x5u_port);
        free(f);
        f = next;
    }
    return f ? f : hx_strdup("tcp port 0");
}

pid_t hx_capture_start(const hx_run_config *cfg, char **err)
{
    char *path = hx_path_join(cfg->out_dir, "capture.pcap");
    char *filter = port_filter(cfg);
    int errp[2];
    if (pipe(errp) != 0) {
        free(path), free(filter);
        *err = hx_strdup("--capture: pipe failed");
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
        }
        dup2(errp[1], 2);
        close(errp[0]);
        close(errp[1]);
        signal(SIGINT, SIG_DFL); /* a shell may have left these ignored */
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        /* immediate mode: packets reach the file as they pass, not in 1 s blocks */
        char *argv[] = {"tcpdump", "-i", "lo", "--immediate-mode", "-U", "-w", path, filter, NULL};
        execvp(argv[0], argv);
        _exit(127);
    }
    free(path);
    free(filter);
    close(errp[1]);
    if (pid < 0) {
        close(errp[0]);
        *err = hx_strdup("--capture: fork failed");
        return -1;
    }
    /* tcpdump says "listening on lo" once the capture is in place: wait for it (5 s at most) */
    hx_linebuf lb = {0};
    int64_t deadline = hx_now_ms() + 5000;
    bool ready = false;
    char *line = NULL;
    size_t len;
    while (!ready && hx_read_line(errp[0], &lb, deadline, &line, &len) == HX_IO_OK) {
        ready = strstr(line, "listening on") != NULL;
        free(line);
    }
    hx_linebuf_reset(&lb);
    close(errp[0]); /* tcpdump's last words go to a closed pipe: it ignores the EPIPE */
    if (!ready) {
        hx_capture_stop(pid);
        *err = hx_strdup("--capture: tcpdump did not start (installed? allowed to capture on lo?)");
        return -1;
    }
    return pid;
}

void hx_capture_stop(pid_t pid)
{
    int st;
    usleep(200000); /* the last packets reach the kernel buffer */
    kill(pid, SIGTERM);
    for (int i = 0; i < 100 && waitpid(pid, &st, WNOHANG) == 0; i++)
        usleep(20000);
    if (waitpid(pid, &st, WNOHANG) == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
    }
}
