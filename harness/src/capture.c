/*
 * capture.c: --capture runs tcpdump on the loopback interface for the TCP ports the run uses
 * (tcp:// implementations) and writes <out>/capture.pcap. Started from an argv list, no shell.
 * Stdio implementations use no port; with none in use the capture holds no packets.
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
    return f ? f : hx_strdup("tcp port 0");
}

pid_t hx_capture_start(const hx_run_config *cfg, char **err)
{
    char *path = hx_path_join(cfg->out_dir, "capture.pcap");
    char *filter = port_filter(cfg);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
        }
        char *argv[] = {"tcpdump", "-i", "lo", "-U", "-w", path, filter, NULL};
        execvp(argv[0], argv);
        _exit(127);
    }
    free(path);
    free(filter);
    if (pid < 0) {
        *err = hx_strdup("--capture: fork failed");
        return -1;
    }
    usleep(500000); /* let tcpdump open the interface before the first connection */
    int st;
    if (waitpid(pid, &st, WNOHANG) == pid) {
        *err = hx_strdup("--capture: tcpdump did not start (installed? allowed to capture?)");
        return -1;
    }
    return pid;
}

void hx_capture_stop(pid_t pid)
{
    int st;
    usleep(200000); /* the last packets */
    kill(pid, SIGINT);
    for (int i = 0; i < 100 && waitpid(pid, &st, WNOHANG) == 0; i++)
        usleep(20000);
    if (waitpid(pid, &st, WNOHANG) == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
    }
}
