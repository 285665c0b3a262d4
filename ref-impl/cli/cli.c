/* cli.c: file input, JSON output and exit-code helpers for the CLI verbs. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

int cli_usage(const char *fmt, ...)
{
    va_list ap;
    fputs("stirmls: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_EXIT_USAGE;
}

int cli_read_file(const char *path, uint8_t **buf, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        cli_usage("cannot open %s: %s", path, strerror(errno));
        return 0;
    }
    size_t cap = 4096, n = 0;
    uint8_t *p = malloc(cap + 1);
    int ok = p != NULL;
    while (ok) {
        if (n == cap) {
            if (cap >= CLI_MAX_INPUT) {
                cli_usage("%s is larger than %zu bytes", path, CLI_MAX_INPUT);
                ok = 0;
                break;
            }
            cap *= 2;
            uint8_t *q = realloc(p, cap + 1);
            if (q == NULL) {
                ok = 0;
                break;
            }
            p = q;
        }
        size_t got = fread(p + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                cli_usage("cannot read %s: %s", path, strerror(errno));
                ok = 0;
            }
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    if (ok && n > CLI_MAX_INPUT) {
        cli_usage("%s is larger than %zu bytes", path, CLI_MAX_INPUT);
        ok = 0;
    }
    if (ok && n == 0) {
        cli_usage("%s is empty", path);
        ok = 0;
    }
    if (!ok) {
        free(p);
        return 0;
    }
    p[n] = 0;
    *buf = p;
    *len = n;
    return 1;
}

int cli_parse_u64(const char *s, uint64_t *out)
{
    if (s == NULL || *s < '0' || *s > '9')
        return 0;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

int cli_emit(json_t *obj)
{
    if (obj == NULL)
        return 0;
    char *s = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    json_decref(obj);
    if (s == NULL)
        return 0;
    int ok = puts(s) >= 0 && fflush(stdout) == 0;
    free(s);
    return ok;
}

int cli_write_output(const char *path, const void *data, size_t len)
{
    if (path == NULL || strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            cli_usage("cannot write to stdout");
            return 0;
        }
        return 1;
    }
    size_t tlen = strlen(path) + 16;
    char *tmp = malloc(tlen);
    if (tmp == NULL)
        return 0;
    snprintf(tmp, tlen, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    int ok = f != NULL && fwrite(data, 1, len, f) == len;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    if (ok && rename(tmp, path) != 0)
        ok = 0;
    if (!ok) {
        cli_usage("cannot write %s: %s", path, strerror(errno));
        remove(tmp);
    }
    free(tmp);
    return ok;
}

json_t *cli_verdict_json(const stirmls_detail *d)
{
    int accept = d->reason == STIRMLS_R_OK;
    const char *name = stirmls_reason_name(d->reason);
    json_t *o = json_object();
    json_object_set_new(o, "verdict", json_string(accept ? "accept" : "reject"));
    json_object_set_new(o, "reason", json_string(accept ? "" : name ? name : "INTERNAL"));
    json_object_set_new(o, "detail", json_string(d->text));
    if (d->offset != STIRMLS_NO_OFFSET)
        json_object_set_new(o, "offset", json_integer((json_int_t)d->offset));
    if (d->cert_index >= 0)
        json_object_set_new(o, "certificate", json_integer(d->cert_index));
    return o;
}

int cli_verdict_exit(stirmls_reason r)
{
    if (r == STIRMLS_R_OK)
        return CLI_EXIT_ACCEPT;
    if (r == STIRMLS_R_INTERNAL || r == STIRMLS_R_USAGE)
        return CLI_EXIT_USAGE;
    return CLI_EXIT_REJECT;
}
