/*
 * jsonr.c: a fast, deliberately narrow JSON reader for the vector files. It builds the same
 * jansson values json_loadb would (JSON_REJECT_DUPLICATES), but declines (returns NULL) whenever
 * anything is outside the plain subset it handles: a real number, an integer out of range, a
 * \u0000 or lone surrogate, invalid UTF-8, a control byte, a duplicate key, deep nesting or any
 * syntax error. The caller then parses with json_loadb, which gives the verdict and the error
 * message, so this reader never accepts what jansson would refuse and never words an error.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#define HX_JSONR_DEPTH 256

typedef struct {
    const unsigned char *p, *end;
    char *buf; /* string scratch, owned */
    size_t cap;
} rd;

static void ws(rd *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

static bool buf_room(rd *r, size_t n)
{
    if (n <= r->cap)
        return true;
    size_t cap = r->cap ? r->cap : 256;
    while (cap < n)
        cap *= 2;
    char *b = realloc(r->buf, cap);
    if (!b)
        return false;
    r->buf = b;
    r->cap = cap;
    return true;
}

static int hex4(const unsigned char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int c = p[i], d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The string at r->p (the opening quote) decoded into r->buf; its length, or -1. */
static long string(rd *r)
{
    r->p++;
    size_t n = 0;
    for (;;) {
        const unsigned char *s = r->p;
        while (s < r->end && *s != '"' && *s != '\\' && *s >= 0x20 && *s < 0x80)
            s++;
        size_t run = (size_t)(s - r->p);
        if (!buf_room(r, n + run + 8))
            return -1;
        memcpy(r->buf + n, r->p, run);
        n += run;
        r->p = s;
        if (s >= r->end || *s < 0x20)
            return -1;
        if (*s == '"') {
            r->p++;
            return (long)n;
        }
        if (*s >= 0x80) {
            size_t k = hx_utf8_seq(s, (size_t)(r->end - s));
            if (!k)
                return -1;
            memcpy(r->buf + n, s, k);
            n += k;
            r->p += k;
            continue;
        }
        if (r->end - s < 2)
            return -1;
        const char *simple = strchr("\"\\/bfnrt", s[1]);
        if (s[1] && simple) {
            static const char out[] = "\"\\/\b\f\n\r\t";
            r->buf[n++] = out[simple - "\"\\/bfnrt"];
            r->p += 2;
            continue;
        }
        if (s[1] != 'u' || r->end - s < 6)
            return -1;
        int cp = hex4(s + 2);
        r->p += 6;
        if (cp <= 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
            return -1; /* \u0000 and lone low surrogates: jansson's business */
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
                return -1;
            int lo = hex4(r->p + 2);
            if (lo < 0xDC00 || lo > 0xDFFF)
                return -1;
            r->p += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        n += put_utf8(r->buf + n, (unsigned)cp);
    }
}

/* An integer in the JSON grammar that fits json_int_t; anything else declines. */
static json_t *number(rd *r)
{
    const unsigned char *s = r->p;
    bool neg = s < r->end && *s == '-';
    if (neg)
        s++;
    if (s >= r->end || *s < '0' || *s > '9' || (*s == '0' && s + 1 < r->end && s[1] >= '0' && s[1] <= '9'))
        return NULL;
    unsigned long long v = 0;
    const unsigned char *d = s;
    while (s < r->end && *s >= '0' && *s <= '9') {
        if (s - d >= 18)
            return NULL; /* possibly out of range: let jansson decide */
        v = v * 10 + (unsigned)(*s - '0');
        s++;
    }
    if (s < r->end && (*s == '.' || *s == 'e' || *s == 'E'))
        return NULL; /* a real */
    r->p = s;
    return json_integer(neg ? -(json_int_t)v : (json_int_t)v);
}

static json_t *value(rd *r, int depth);

static json_t *object(rd *r, int depth)
{
    json_t *o = json_object();
    r->p++;
    ws(r);
    if (r->p < r->end && *r->p == '}') {
        r->p++;
        return o;
    }
    for (;;) {
        if (r->p >= r->end || *r->p != '"')
            break;
        long kl = string(r);
        if (kl < 0 || memchr(r->buf, '\0', (size_t)kl))
            break;
        char *key = strndup(r->buf, (size_t)kl);
        ws(r);
        json_t *v = NULL;
        if (key && r->p < r->end && *r->p == ':') {
            r->p++;
            v = value(r, depth + 1);
        }
        if (!v || json_object_get(o, key)) {
            json_decref(v);
            free(key);
            break;
        }
        json_object_set_new_nocheck(o, key, v);
        free(key);
        ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            ws(r);
            continue;
        }
        if (r->p < r->end && *r->p == '}') {
            r->p++;
            return o;
        }
        break;
    }
    json_decref(o);
    return NULL;
}

static json_t *array(rd *r, int depth)
{
    json_t *a = json_array();
    r->p++;
    ws(r);
    if (r->p < r->end && *r->p == ']') {
        r->p++;
        return a;
    }
    for (;;) {
        json_t *v = value(r, depth + 1);
        if (!v)
            break;
        json_array_append_new(a, v);
        ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == ']') {
            r->p++;
            return a;
        }
        break;
    }
    json_decref(a);
    return NULL;
}

static bool literal(rd *r, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return false;
    /* jansson's lexer takes a whole run of letters as one word: "nullx" is no literal */
    if ((size_t)(r->end - r->p) > n && ((r->p[n] | 0x20) >= 'a' && (r->p[n] | 0x20) <= 'z'))
        return false;
    r->p += n;
    return true;
}

static json_t *value(rd *r, int depth)
{
    ws(r);
    if (r->p >= r->end || depth > HX_JSONR_DEPTH)
        return NULL;
    switch (*r->p) {
    case '{':
        return object(r, depth);
    case '[':
        return array(r, depth);
    case '"': {
        long n = string(r);
        return n < 0 ? NULL : json_stringn_nocheck(r->buf, (size_t)n);
    }
    case 't':
        return literal(r, "true") ? json_true() : NULL;
    case 'f':
        return literal(r, "false") ? json_false() : NULL;
    case 'n':
        return literal(r, "null") ? json_null() : NULL;
    default:
        return number(r);
    }
}

json_t *hx_json_read(const char *t, size_t n, size_t *end)
{
    rd r = {.p = (const unsigned char *)t, .end = (const unsigned char *)t + n};
    json_t *v = value(&r, 0);
    free(r.buf);
    if (v && end)
        *end = (size_t)((const char *)r.p - t);
    return v;
}
