/* util.c: clocks, strings, escaping and files for the harness. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const verdict_names[] = {
#define X(n) #n,
    HX_VERDICTS(X)
#undef X
};

const char *hx_verdict_name(hx_verdict v)
{
    return (unsigned)v < HX_VERDICT_COUNT ? verdict_names[v] : "?";
}

int hx_verdict_parse(const char *s)
{
    for (int i = 0; s && i < HX_VERDICT_COUNT; i++)
        if (strcmp(s, verdict_names[i]) == 0)
            return i;
    return -1;
}

bool hx_verdict_expected(hx_verdict v, bool strict_reasons)
{
    switch (v) {
    case HX_PASS: case HX_XFAIL: case HX_UNSUPPORTED: case HX_SKIP:
        return true;
    case HX_PASS_OTHER_REASON:
        return !strict_reasons;
    default:
        return false;
    }
}

int64_t hx_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *hx_strdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        abort();
    return d;
}

char *hx_printf(const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!s)
        abort();
    vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

/* Length of a valid UTF-8 sequence at p (no overlongs, no surrogates), 0 if invalid. */
size_t hx_utf8_seq(const unsigned char *p, size_t n)
{
    if (p[0] < 0x80)
        return p[0] ? 1 : 0;
    size_t len = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
    if (len == 0 || p[0] > 0xF4 || n < len)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if (len == 3 && ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0)))
        return 0;
    if (len == 4 && ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90)))
        return 0;
    return len;
}

char *hx_utf8_clean(const char *s, size_t len, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = len < max ? len : max;
    char *out = malloc(n * 4 + 8), *o = out;
    if (!out)
        abort();
    for (size_t i = 0; i < n;) {
        size_t run = i;
        while (run < n && p[run] && p[run] < 0x80)
            run++;
        if (run > i) { /* plain ASCII in one copy */
            memcpy(o, p + i, run - i);
            o += run - i;
            i = run;
            continue;
        }
        size_t k = hx_utf8_seq(p + i, n - i);
        if (k == 0) {
            o += sprintf(o, "\\x%02X", p[i]);
            i++;
        } else {
            memcpy(o, p + i, k);
            o += k;
            i += k;
        }
    }
    if (len > max)
        o += sprintf(o, "...");
    *o = '\0';
    return out;
}

char *hx_ctl_escape(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    char *out = malloc(strlen((const char *)p) * 4 + 1), *o = out;
    if (!out)
        abort();
    for (; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            o += sprintf(o, "\\x%02X", *p);
        else
            *o++ = (char)*p;
    }
    *o = '\0';
    return out;
}

char *hx_xml_escape(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    char *out = malloc(strlen((const char *)p) * 6 + 1), *o = out;
    if (!out)
        abort();
    for (; *p; p++) {
        switch (*p) {
        case '&': o += sprintf(o, "&amp;"); break;
        case '<': o += sprintf(o, "&lt;"); break;
        case '>': o += sprintf(o, "&gt;"); break;
        case '"': o += sprintf(o, "&quot;"); break;
        case '\'': o += sprintf(o, "&#39;"); break;
        default:
            if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7F)
                o += sprintf(o, "\\x%02X", *p);
            else
                *o++ = (char)*p;
        }
    }
    *o = '\0';
    return out;
}

int hx_mkdir_p(const char *path)
{
    char *tmp = hx_strdup(path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
            free(tmp);
            return -1;
        }
        *p = '/';
    }
    int rc = (mkdir(tmp, 0777) != 0 && errno != EEXIST) ? -1 : 0;
    free(tmp);
    return rc;
}

char *hx_read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (n == cap) {
            if (cap >= max)
                break;
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb)
                abort();
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0)
            break;
        n += r;
    }
    bool bad = ferror(f) || n > max;
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int hx_write_file_atomic(const char *path, const char *data, size_t len)
{
    char *tmp = hx_printf("%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    int rc = -1;
    if (f) {
        bool ok = fwrite(data, 1, len, f) == len;
        ok = (fclose(f) == 0) && ok;
        if (ok && rename(tmp, path) == 0)
            rc = 0;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

char *hx_path_join(const char *a, const char *b)
{
    size_t la = strlen(a);
    return hx_printf("%s%s%s", a, (la && a[la - 1] == '/') ? "" : "/", b);
}

char *hx_self_dir(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return hx_strdup(".");
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = '\0';
    return hx_strdup(buf);
}

bool hx_glob_match(const char *pattern, const char *s)
{
    return fnmatch(pattern, s, 0) == 0;
}

char *hx_file_tail(const char *path, int lines)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f)
        return NULL;
    char buf[4096];
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    long from = size > (long)sizeof buf ? size - (long)sizeof buf : 0;
    size_t n = (size > 0 && fseek(f, from, SEEK_SET) == 0) ? fread(buf, 1, sizeof buf, f) : 0;
    fclose(f);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
        n--;
    if (n == 0)
        return NULL;
    size_t start = n;
    for (int k = 0; start > 0 && k < lines; k++) { /* back to the start of the k-th last line */
        while (start > 0 && buf[start - 1] != '\n')
            start--;
        if (k + 1 < lines)
            while (start > 0 && buf[start - 1] == '\n')
                start--;
    }
    return hx_utf8_clean(buf + start, n - start, sizeof buf);
}
