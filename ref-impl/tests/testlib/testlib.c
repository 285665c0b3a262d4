/* testlib.c: see testlib.h. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "stirmls/codec.h"
#include "testlib.h"

uint8_t *tl_hex(const char *hex, size_t *len)
{
    uint8_t *out = NULL;
    size_t n = 0;
    ck_assert_msg(stirmls_hex_decode(hex, strlen(hex), &out, &n) == STIRMLS_R_OK, "bad hex %s", hex);
    if (len)
        *len = n;
    return out;
}

const char *tl_repo_path(const char *rel)
{
    static char buf[4096];
    const char *root = getenv("STIRMLS_ROOT");
    snprintf(buf, sizeof buf, "%s/%s", root ? root : ".", rel);
    return buf;
}

const char *tl_mlswg_path(const char *name)
{
    static char buf[4096];
    const char *root = getenv("STIRMLS_ROOT");
    snprintf(buf, sizeof buf, "%s/ref-impl/tests/data/mlswg/%s", root ? root : ".", name);
    return buf;
}

char *tl_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *p = malloc(cap + 1);
    size_t got;
    while (p && (got = fread(p + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            char *q = realloc(p, cap + 1);
            if (!q) {
                free(p);
                p = NULL;
            }
            p = q;
        }
    }
    fclose(f);
    if (p) {
        p[n] = 0;
        if (len)
            *len = n;
    }
    return p;
}

static char *slurp_fd(int fd)
{
    size_t cap = 4096, n = 0;
    char *p = malloc(cap + 1);
    ssize_t got;
    while (p && (got = read(fd, p + n, cap - n)) > 0) {
        n += (size_t)got;
        if (n == cap) {
            cap *= 2;
            p = realloc(p, cap + 1);
        }
    }
    if (p)
        p[n] = 0;
    return p;
}

int tl_run(const char *const *argv, char **out, char **err)
{
    char outtmp[] = "/tmp/stirmls-out-XXXXXX", errtmp[] = "/tmp/stirmls-err-XXXXXX";
    int ofd = mkstemp(outtmp), efd = mkstemp(errtmp);
    ck_assert(ofd >= 0 && efd >= 0);
    pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(ofd, 1);
        dup2(efd, 2);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    lseek(ofd, 0, SEEK_SET);
    lseek(efd, 0, SEEK_SET);
    char *o = slurp_fd(ofd), *e = slurp_fd(efd);
    close(ofd);
    close(efd);
    unlink(outtmp);
    unlink(errtmp);
    if (out)
        *out = o;
    else
        free(o);
    if (err)
        *err = e;
    else
        free(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int tl_run_cli(const char *const *args, char **out, char **err)
{
    const char *cli = getenv("STIRMLS_CLI");
    ck_assert_msg(cli != NULL, "STIRMLS_CLI not set (run the tests through make)");
    size_t n = 0;
    while (args[n])
        n++;
    const char **argv = calloc(n + 2, sizeof *argv);
    ck_assert_ptr_nonnull(argv);
    argv[0] = cli;
    for (size_t i = 0; i < n; i++)
        argv[i + 1] = args[i];
    int rc = tl_run(argv, out, err);
    free(argv);
    return rc;
}

char *tl_tmpdir(void)
{
    char tmpl[] = "/tmp/stirmls-test-XXXXXX";
    char *d = mkdtemp(tmpl);
    ck_assert(d != NULL);
    return strdup(d);
}

void tl_rmdir(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", dir);
}

int tl_have(const char *prog)
{
    if (prog[0] == '/')
        return access(prog, X_OK) == 0;
    const char *path = getenv("PATH");
    if (path == NULL)
        return 0;
    char *copy = strdup(path), *save = NULL;
    int found = 0;
    for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
        char buf[4096];
        snprintf(buf, sizeof buf, "%s/%s", dir, prog);
        found = access(buf, X_OK) == 0;
    }
    free(copy);
    return found;
}
