/*
 * impl_proc.c: an implementation run as a child process (argv list, never a shell). Requests go
 * to its stdin, responses come from its stdout, its stderr is appended to a file for the report.
 * The child leads its own process group so a stop kills everything it started.
 */
#define _GNU_SOURCE /* pipe2 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Close every descriptor from 3 up: one close_range call where the kernel has it (a loop over
 * the whole descriptor table costs milliseconds per start, a visible share of a short run). */
static void close_from_3(void)
{
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3u, ~0u, 0u) == 0)
        return;
#endif
    long maxfd = sysconf(_SC_OPEN_MAX);
    for (long fd = 3; fd < (maxfd > 0 && maxfd < 65536 ? maxfd : 4096); fd++)
        close((int)fd);
}

static void child(int in_r, int out_w, int err_fd, char **argv)
{
    setpgid(0, 0);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (dup2(in_r, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_fd, 2) < 0)
        _exit(127);
    close_from_3();
    execvp(argv[0], argv);
    dprintf(2, "stirmls-harness: cannot execute %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

int hx_impl_proc_start(hx_impl *im, char **err)
{
    int in[2], out[2];
    int err_fd = open(im->stderr_path ? im->stderr_path : "/dev/null",
                      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (err_fd < 0) {
        *err = hx_printf("cannot open %s", im->stderr_path);
        return -1;
    }
    if (pipe2(in, O_CLOEXEC) != 0) {
        close(err_fd);
        *err = hx_strdup("pipe failed");
        return -1;
    }
    if (pipe2(out, O_CLOEXEC) != 0) {
        close(in[0]), close(in[1]), close(err_fd);
        *err = hx_strdup("pipe failed");
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0)
        child(in[0], out[1], err_fd, im->spec->argv);
    close(in[0]);
    close(out[1]);
    close(err_fd);
    if (pid < 0) {
        close(in[1]), close(out[0]);
        *err = hx_strdup("fork failed");
        return -1;
    }
    setpgid(pid, pid); /* also from the parent, so a kill before exec still reaches the group */
    im->pid = pid;
    im->fd_in = in[1];
    im->fd_out = out[0];
    fcntl(im->fd_in, F_SETFL, fcntl(im->fd_in, F_GETFL) | O_NONBLOCK);
    return 0;
}

static char *describe_status(int st)
{
    if (WIFEXITED(st))
        return hx_printf("exited with status %d", WEXITSTATUS(st));
    if (WIFSIGNALED(st))
        return hx_printf("killed by signal %d", WTERMSIG(st));
    return hx_strdup("ended");
}

void hx_impl_proc_stop(hx_impl *im, bool kill_now)
{
    if (im->fd_in >= 0)
        close(im->fd_in);
    if (im->fd_out >= 0)
        close(im->fd_out);
    im->fd_in = im->fd_out = -1;
    if (im->pid <= 0)
        return;
    int st = 0;
    pid_t r = 0;
    if (!kill_now) { /* give a polite exit (after shutdown or EOF on stdin) half a second,
                        polling from 0.1 ms up to 10 ms: a prompt exit is seen at once */
        useconds_t step = 100, waited = 0;
        while (waited < 500000 && (r = waitpid(im->pid, &st, WNOHANG)) == 0) {
            usleep(step);
            waited += step;
            step = step < 10000 ? step * 2 : 10000;
        }
    } else {
        r = waitpid(im->pid, &st, WNOHANG);
    }
    if (r == 0) {
        kill(-im->pid, SIGKILL);
        kill(im->pid, SIGKILL);
        r = waitpid(im->pid, &st, 0);
        free(im->exit_note);
        im->exit_note = hx_strdup("killed by the harness");
    } else if (r == im->pid) {
        kill(-im->pid, SIGKILL); /* anything it left behind */
        free(im->exit_note);
        im->exit_note = describe_status(st);
    }
    im->pid = -1;
}
