/*
 * jsonw.c: a JSON writer that produces exactly the bytes json_dumps would (sorted keys, compact or
 * JSON_INDENT(1), optionally JSON_ENSURE_ASCII), straight into a growable buffer that may drain to
 * a file as it fills, so a report can be written element by element. One pass per string with a
 * lookup table instead of jansson's callback per character; reals (none in the reports) go
 * through json_dumps itself. HX_JW_HTML also writes '<', '>' and '&' as \u003c, \u003e, \u0026.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HX_JBUF_FLUSH (64u * 1024u)

void hx_jbuf_reserve(hx_jbuf *b, size_t more)
{
    if (b->len + more + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p)
        abort();
    b->p = p;
    b->cap = cap;
}

void hx_jbuf_put(hx_jbuf *b, const char *s, size_t n)
{
    hx_jbuf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void hx_jbuf_puts(hx_jbuf *b, const char *s)
{
    hx_jbuf_put(b, s, strlen(s));
}

int hx_jbuf_drain(hx_jbuf *b, bool all)
{
    if (!b->f || b->len == 0 || (!all && b->len < HX_JBUF_FLUSH))
        return b->err ? -1 : 0;
    if (fwrite(b->p, 1, b->len, b->f) != b->len)
        b->err = true;
    b->len = 0;
    b->p[0] = '\0';
    return b->err ? -1 : 0;
}

void hx_jbuf_free(hx_jbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* 1 when byte c needs escaping under flags (ASCII and HTML bits index the table) */
static unsigned char esc_tab[4][256];
static pthread_once_t esc_once = PTHREAD_ONCE_INIT;

static void esc_init(void)
{
    for (int f = 0; f < 4; f++)
        for (int c = 0; c < 256; c++)
            esc_tab[f][c] = c < 0x20 || c == '"' || c == '\\' ||
                            ((f & 2) && (c == '<' || c == '>' || c == '&')) || ((f & 1) && c >= 0x80);
}

static const unsigned char *esc_table(int flags)
{
    pthread_once(&esc_once, esc_init);
    return esc_tab[((flags & HX_JW_ASCII) ? 1 : 0) | ((flags & HX_JW_HTML) ? 2 : 0)];
}

static void put_u(hx_jbuf *b, unsigned v, bool lower)
{
    static const char up[] = "0123456789ABCDEF", lo[] = "0123456789abcdef";
    const char *d = lower ? lo : up;
    char s[6] = {'\\', 'u', d[(v >> 12) & 15], d[(v >> 8) & 15], d[(v >> 4) & 15], d[v & 15]};
    hx_jbuf_put(b, s, 6);
}

static size_t utf8_decode(const unsigned char *p, size_t n, unsigned *cp);

/* The UTF-8 sequence at p as \uXXXX (a surrogate pair above the BMP); its length. */
static size_t put_utf8(hx_jbuf *b, const unsigned char *p, size_t n)
{
    unsigned cp;
    size_t len = utf8_decode(p, n, &cp);
    if (cp < 0x10000) {
        put_u(b, cp, false);
    } else {
        cp -= 0x10000;
        put_u(b, 0xD800 | ((cp & 0xFFC00) >> 10), false);
        put_u(b, 0xDC00 | (cp & 0x3FF), false);
    }
    return len;
}

/* A UTF-8 sequence at p (jansson only holds valid UTF-8): its code point and length. */
static size_t utf8_decode(const unsigned char *p, size_t n, unsigned *cp)
{
    size_t len = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : 2;
    if (len > n)
        len = n;
    unsigned v = p[0] & (len == 4 ? 0x07 : len == 3 ? 0x0F : 0x1F);
    for (size_t i = 1; i < len; i++)
        v = (v << 6) | (p[i] & 0x3F);
    *cp = v;
    return len;
}

void hx_jw_string(hx_jbuf *b, const char *s, size_t n, int flags)
{
    const unsigned char *p = (const unsigned char *)s, *esc = esc_table(flags);
    hx_jbuf_reserve(b, n + 2);
    b->p[b->len++] = '"';
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && !esc[p[run]])
            run++;
        if (run > i)
            hx_jbuf_put(b, s + i, run - i);
        if (run >= n)
            break;
        i = run;
        unsigned char c = p[i];
        const char *short_esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b"
                              : c == '\f' ? "\\f" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                              : c == '\t' ? "\\t" : NULL;
        if (short_esc) {
            hx_jbuf_put(b, short_esc, 2);
            i++;
        } else if (c < 0x80) {
            put_u(b, c, (flags & HX_JW_HTML) && (c == '<' || c == '>' || c == '&'));
            i++;
        } else {
            i += put_utf8(b, p + i, n - i);
        }
    }
    hx_jbuf_put(b, "\"", 1);
}

void hx_jw_indent(hx_jbuf *b, int flags, size_t depth)
{
    if (!(flags & HX_JW_INDENT1))
        return;
    hx_jbuf_reserve(b, depth + 1);
    b->p[b->len++] = '\n';
    memset(b->p + b->len, ' ', depth);
    b->len += depth;
    b->p[b->len] = '\0';
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void put_object(hx_jbuf *b, const json_t *v, int flags, size_t depth)
{
    size_t n = json_object_size(v);
    if (n == 0) {
        hx_jbuf_put(b, "{}", 2);
        return;
    }
    const char *small[32];
    const char **keys = n <= 32 ? small : malloc(n * sizeof *keys);
    if (!keys)
        abort();
    size_t k = 0;
    const char *key;
    json_t *x;
    json_object_foreach((json_t *)v, key, x)
        keys[k++] = key;
    qsort(keys, n, sizeof *keys, key_cmp);
    hx_jbuf_put(b, "{", 1);
    for (size_t i = 0; i < n; i++) {
        hx_jw_indent(b, flags, depth + 1);
        hx_jw_string(b, keys[i], strlen(keys[i]), flags);
        hx_jbuf_put(b, ": ", (flags & HX_JW_INDENT1) ? 2 : 1);
        hx_jw_value(b, json_object_get(v, keys[i]), flags, depth + 1);
        if (i + 1 < n)
            hx_jbuf_put(b, ",", 1);
    }
    hx_jw_indent(b, flags, depth);
    hx_jbuf_put(b, "}", 1);
    if (keys != small)
        free(keys);
}

static void put_array(hx_jbuf *b, const json_t *v, int flags, size_t depth)
{
    size_t n = json_array_size(v);
    if (n == 0) {
        hx_jbuf_put(b, "[]", 2);
        return;
    }
    hx_jbuf_put(b, "[", 1);
    for (size_t i = 0; i < n; i++) {
        hx_jw_indent(b, flags, depth + 1);
        hx_jw_value(b, json_array_get(v, i), flags, depth + 1);
        if (i + 1 < n)
            hx_jbuf_put(b, ",", 1);
    }
    hx_jw_indent(b, flags, depth);
    hx_jbuf_put(b, "]", 1);
}

void hx_jw_value(hx_jbuf *b, const json_t *v, int flags, size_t depth)
{
    char num[32];
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_OBJECT:
        put_object(b, v, flags, depth);
        break;
    case JSON_ARRAY:
        put_array(b, v, flags, depth);
        break;
    case JSON_STRING:
        hx_jw_string(b, json_string_value(v), json_string_length(v), flags);
        break;
    case JSON_INTEGER:
        hx_jbuf_put(b, num, (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
                                             json_integer_value(v)));
        break;
    case JSON_REAL: {
        char *t = json_dumps(v, JSON_ENCODE_ANY);
        hx_jbuf_puts(b, t ? t : "null");
        free(t);
        break;
    }
    case JSON_TRUE:
        hx_jbuf_put(b, "true", 4);
        break;
    case JSON_FALSE:
        hx_jbuf_put(b, "false", 5);
        break;
    default:
        hx_jbuf_put(b, "null", 4);
    }
    hx_jbuf_drain(b, false);
}

char *hx_jw_dumps(const json_t *v, int flags, size_t *len)
{
    hx_jbuf b = {0};
    hx_jw_value(&b, v, flags, 0);
    if (len)
        *len = b.len;
    return b.p;
}

/* ---- JSON text already written by this writer (compact, not ASCII): scan and re-format ------ */

static size_t skip_ws(const char *t, size_t n, size_t i)
{
    while (i < n && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t'))
        i++;
    return i;
}

/* End of the string starting at t[i] == '"' (index after the closing quote), 0 if unterminated. */
static size_t skip_string(const char *t, size_t n, size_t i)
{
    size_t start = i;
    for (i++; i < n;) {
        const char *q = memchr(t + i, '"', n - i);
        if (!q)
            return 0;
        size_t k = (size_t)(q - t), bs = 0;
        while (k - bs > start + 1 && t[k - bs - 1] == '\\')
            bs++;
        if (bs % 2 == 0) /* not escaped */
            return k + 1;
        i = k + 1;
    }
    return 0;
}

/* End of the value starting at t[i], 0 if malformed (shape only: strings and nesting). */
static size_t skip_value(const char *t, size_t n, size_t i)
{
    if (i >= n)
        return 0;
    if (t[i] == '"')
        return skip_string(t, n, i);
    if (t[i] != '{' && t[i] != '[') {
        while (i < n && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' && t[i] != '\n')
            i++;
        return i;
    }
    size_t depth = 0;
    for (; i < n; i++) {
        if (t[i] == '"') {
            if (!(i = skip_string(t, n, i)))
                return 0;
            i--;
        } else if (t[i] == '{' || t[i] == '[') {
            depth++;
        } else if ((t[i] == '}' || t[i] == ']') && --depth == 0) {
            return i + 1;
        }
    }
    return 0;
}

size_t hx_json_skip(const char *t, size_t n, size_t i)
{
    return skip_value(t, n, skip_ws(t, n, i));
}

size_t hx_json_ws(const char *t, size_t n, size_t i)
{
    return skip_ws(t, n, i);
}

int hx_json_members(const char *t, size_t n, hx_member *m, size_t max, size_t *count)
{
    size_t i = skip_ws(t, n, 0), k = 0;
    *count = 0;
    if (i >= n || t[i] != '{')
        return -1;
    i = skip_ws(t, n, i + 1);
    if (i < n && t[i] == '}')
        return 0;
    for (;;) {
        if (k == max || i >= n || t[i] != '"')
            return -1;
        size_t ke = skip_string(t, n, i);
        if (!ke)
            return -1;
        m[k].key = t + i + 1;
        m[k].klen = ke - i - 2;
        i = skip_ws(t, n, ke);
        if (i >= n || t[i] != ':')
            return -1;
        i = skip_ws(t, n, i + 1);
        size_t ve = skip_value(t, n, i);
        if (!ve)
            return -1;
        m[k].val = t + i;
        m[k].vlen = ve - i;
        k++;
        i = skip_ws(t, n, ve);
        if (i < n && t[i] == ',') {
            i = skip_ws(t, n, i + 1);
            continue;
        }
        if (i < n && t[i] == '}') {
            *count = k;
            return 0;
        }
        return -1;
    }
}

bool hx_member_is(const hx_member *m, const char *key)
{
    return strlen(key) == m->klen && memcmp(m->key, key, m->klen) == 0;
}

/* A string token (quotes included) re-escaped for flags: escapes stay as they are, raw bytes
 * get HX_JW_ASCII / HX_JW_HTML treatment (the forms json_dumps would have chosen). */
static void reformat_string(hx_jbuf *b, const char *t, size_t n, int flags)
{
    if (!(flags & (HX_JW_ASCII | HX_JW_HTML))) {
        hx_jbuf_put(b, t, n);
        return;
    }
    const unsigned char *p = (const unsigned char *)t, *esc = esc_table(flags);
    if (n < 2) {
        hx_jbuf_put(b, t, n);
        return;
    }
    hx_jbuf_put(b, t, 1); /* the quotes as they are, the text between them re-escaped */
    size_t i = 1;
    n--;
    while (i < n) {
        size_t run = i;
        while (run < n && !esc[p[run]])
            run++;
        if (run > i)
            hx_jbuf_put(b, t + i, run - i);
        if (run >= n)
            break;
        i = run;
        if (p[i] < 0x20 || p[i] == '"') { /* not in this writer's text: kept as it is */
            hx_jbuf_put(b, t + i, 1);
            i++;
        } else if (p[i] == '\\') {
            size_t len = (i + 1 < n && p[i + 1] == 'u') ? 6 : 2;
            if (len > n - i)
                len = n - i;
            hx_jbuf_put(b, t + i, len);
            i += len;
        } else if (p[i] < 0x80) {
            put_u(b, p[i], true);
            i++;
        } else if (!(flags & HX_JW_ASCII)) {
            hx_jbuf_put(b, t + i, 1);
            i++;
        } else {
            i += put_utf8(b, p + i, n - i);
        }
    }
    hx_jbuf_put(b, t + n, 1);
}

/* Re-formats one value of compact text; returns the index after it (0 if malformed). */
static size_t reformat(hx_jbuf *b, const char *t, size_t n, size_t i, int flags, size_t depth)
{
    i = skip_ws(t, n, i);
    if (i >= n)
        return 0;
    char open = t[i];
    if (open == '"') {
        size_t e = skip_string(t, n, i);
        if (e)
            reformat_string(b, t + i, e - i, flags);
        return e;
    }
    if (open != '{' && open != '[') {
        size_t e = skip_value(t, n, i);
        hx_jbuf_put(b, t + i, e - i);
        return e;
    }
    char close = open == '{' ? '}' : ']';
    i = skip_ws(t, n, i + 1);
    if (i < n && t[i] == close) {
        char e[2] = {open, close};
        hx_jbuf_put(b, e, 2);
        return i + 1;
    }
    hx_jbuf_put(b, &open, 1);
    for (;;) {
        hx_jw_indent(b, flags, depth + 1);
        if (open == '{') {
            if (i >= n || t[i] != '"' || !(i = reformat(b, t, n, i, flags, depth + 1)))
                return 0;
            i = skip_ws(t, n, i);
            if (i >= n || t[i] != ':')
                return 0;
            hx_jbuf_put(b, ": ", (flags & HX_JW_INDENT1) ? 2 : 1);
            i++;
        }
        if (!(i = reformat(b, t, n, i, flags, depth + 1)))
            return 0;
        i = skip_ws(t, n, i);
        if (i < n && t[i] == ',') {
            hx_jbuf_put(b, ",", 1);
            i = skip_ws(t, n, i + 1);
            continue;
        }
        if (i < n && t[i] == close) {
            hx_jw_indent(b, flags, depth);
            hx_jbuf_put(b, &close, 1);
            return i + 1;
        }
        return 0;
    }
}

int hx_jw_text(hx_jbuf *b, const char *t, size_t n, int flags, size_t depth)
{
    size_t mark = b->len;
    if (reformat(b, t, n, 0, flags, depth) == 0) {
        b->len = mark; /* malformed: nothing written */
        if (b->p)
            b->p[mark] = '\0';
        return -1;
    }
    return 0;
}
