/* hxtest.c: helpers for the harness tests. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "hxtest.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *env(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v ? v : fallback;
}

const char *hxt_harness(void)
{
    return env("HX_HARNESS", "build/stirmls-harness");
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    snprintf(s, n, "%s/%s", a, b);
    return s;
}

char *hxt_fake(void)
{
    return join(env("HX_FAKE_DIR", "build/harness/tests"), "fake-impl");
}

char *hxt_vectors(void)
{
    return join(env("HX_DATA", "harness/tests/data"), "vectors");
}

char *hxt_tmpdir(void)
{
    char tmpl[] = "/tmp/hxtest.XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

void hxt_rmdir(const char *dir)
{
    if (dir)
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int hxt_run(char *const *argv, const char *dir)
{
    char *out = join(dir, "stdout.txt"), *err = join(dir, "stderr.txt");
    pid_t pid = fork();
    if (pid == 0) {
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        int fi = open("/dev/null", O_RDONLY);
        if (fo < 0 || fe < 0 || fi < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0 || dup2(fi, 0) < 0)
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    free(out);
    free(err);
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

char *hxt_slurp(const char *dir, const char *name, size_t *len)
{
    char *path = join(dir, name);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, r;
    char *buf = malloc(cap + 1);
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

char *hxt_verdicts(const char *outdir)
{
    char *text = hxt_slurp(outdir, "report.json", NULL);
    json_t *rep = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (!rep)
        return strdup("<no report.json>");
    size_t i, cap = 64, n = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    json_t *r;
    json_array_foreach(json_object_get(rep, "results"), i, r) {
        const char *c = json_string_value(json_object_get(r, "case"));
        const char *v = json_string_value(json_object_get(r, "verdict"));
        size_t need = strlen(c) + strlen(v) + 3;
        while (n + need >= cap)
            out = realloc(out, cap *= 2);
        n += (size_t)sprintf(out + n, "%s%s=%s", n ? " " : "", c, v);
    }
    json_decref(rep);
    return out;
}

void hxt_split(char **argv, int *n, int max, char *s)
{
    for (char *save = NULL, *t = strtok_r(s, " ", &save); t && *n < max - 1; t = strtok_r(NULL, " ", &save))
        argv[(*n)++] = t;
    argv[*n] = NULL;
}

int hxt_fake_run(const char *dir, const char *run, const char *name, const char *mode, const char *vec,
                 const char *extra)
{
    char *fake = hxt_fake(), impl[2048], out[1024], more[512];
    snprintf(impl, sizeof impl, "%s=%s --vectors %s %s", name, fake, vec, mode);
    snprintf(out, sizeof out, "%s/%s", dir, run);
    snprintf(more, sizeof more, "%s", extra);
    char *argv[24] = {(char *)hxt_harness(), "run", "--impl", impl, "--vectors", (char *)vec, "--out", out};
    int n = 8;
    hxt_split(argv, &n, 22, more);
    int st = hxt_run(argv, dir);
    if (st != 0 && st != 1)
        fprintf(stderr, "hxtest: run %s (%s %s) exited %d\n", run, name, mode, st);
    free(fake);
    return st;
}
