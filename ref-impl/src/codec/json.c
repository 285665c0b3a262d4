/* json.c: the only jansson user of the library: strict parsing and deterministic output. */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls/json.h"
#include "stirmls/mutant.h"

#define AS_J(j) ((json_t *)(j))
#define AS_S(j) ((stirmls_json *)(j))

/* jansson reports some allocation failures as syntax errors ("string or '}' expected") or with
 * no text at all. Its allocations go through this hook, which notes a failure, so a parse that
 * failed because memory ran out is INTERNAL, not JSON_INVALID (found by the allocation-failure
 * sweep, tests/allocfail_test.c). The hook is plain malloc/free otherwise. */
static _Thread_local int json_oom;

static void *json_malloc_noting(size_t n)
{
    void *p = malloc(n);
    if (p == NULL)
        json_oom = 1;
    return p;
}

static void json_free(void *p)
{
    free(p);
}

static void json_install_alloc(void)
{
    json_set_alloc_funcs(json_malloc_noting, json_free);
}

/* Start a jansson call whose allocation failures must be seen. */
static void json_begin(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, json_install_alloc);
    json_oom = 0;
}

stirmls_reason stirmls_json_parse(const void *text, size_t len, stirmls_json **out,
                                  stirmls_detail *d)
{
    json_error_t err;
    json_begin();
#if STIRMLS_MUTANT_ID == 20 /* mutant 20: accept duplicate JSON members */
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY, &err);
#else
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
#endif
    if (j != NULL && json_oom) {
        /* jansson's lexer ignores a failed append to a token's text (lex_save), so a value can
         * come back altered: anything parsed while an allocation failed is discarded */
        json_decref(j);
        return stirmls_fail(d, STIRMLS_R_INTERNAL, "JSON: out of memory");
    }
    if (j == NULL) {
        int oom = json_oom || json_error_code(&err) == json_error_out_of_memory || err.text[0] == 0;
        stirmls_reason r = oom ? STIRMLS_R_INTERNAL
                               : json_error_code(&err) == json_error_duplicate_key
                                     ? STIRMLS_R_JSON_DUPLICATE_MEMBER
                                     : STIRMLS_R_JSON_INVALID;
        return stirmls_fail_at(d, r, (size_t)err.position, "JSON: %s", err.text);
    }
    *out = AS_S(j);
    return STIRMLS_R_OK;
}

void stirmls_json_free(stirmls_json *j)
{
    json_decref(AS_J(j));
}

stirmls_json_type stirmls_json_typeof(const stirmls_json *j)
{
    switch (json_typeof(AS_J(j))) {
    case JSON_OBJECT:
        return STIRMLS_JSON_OBJECT;
    case JSON_ARRAY:
        return STIRMLS_JSON_ARRAY;
    case JSON_STRING:
        return STIRMLS_JSON_STRING;
    case JSON_INTEGER:
        return STIRMLS_JSON_INTEGER;
    case JSON_REAL:
        return STIRMLS_JSON_REAL;
    case JSON_TRUE:
        return STIRMLS_JSON_TRUE;
    case JSON_FALSE:
        return STIRMLS_JSON_FALSE;
    default:
        return STIRMLS_JSON_NULL;
    }
}

stirmls_json *stirmls_json_get(const stirmls_json *j, const char *name)
{
    return j != NULL && json_is_object(AS_J(j)) ? AS_S(json_object_get(AS_J(j), name)) : NULL;
}

size_t stirmls_json_size(const stirmls_json *j)
{
    if (j == NULL)
        return 0;
    if (json_is_array(AS_J(j)))
        return json_array_size(AS_J(j));
    return json_is_object(AS_J(j)) ? json_object_size(AS_J(j)) : 0;
}

stirmls_json *stirmls_json_at(const stirmls_json *j, size_t i)
{
    return j != NULL && json_is_array(AS_J(j)) ? AS_S(json_array_get(AS_J(j), i)) : NULL;
}

const char *stirmls_json_string(const stirmls_json *j, size_t *len)
{
    if (j == NULL || !json_is_string(AS_J(j)))
        return NULL;
    if (len != NULL)
        *len = json_string_length(AS_J(j));
    return json_string_value(AS_J(j));
}

int stirmls_json_int(const stirmls_json *j, int64_t *out)
{
    if (j == NULL || !json_is_integer(AS_J(j)))
        return 0;
    *out = (int64_t)json_integer_value(AS_J(j));
    return 1;
}

void *stirmls_json_iter(const stirmls_json *obj)
{
    return obj != NULL ? json_object_iter(AS_J(obj)) : NULL;
}

void *stirmls_json_iter_next(const stirmls_json *obj, void *it)
{
    return json_object_iter_next(AS_J(obj), it);
}

const char *stirmls_json_iter_key(void *it)
{
    return json_object_iter_key(it);
}

stirmls_json *stirmls_json_iter_value(void *it)
{
    return AS_S(json_object_iter_value(it));
}

stirmls_json *stirmls_json_new_object(void)
{
    json_begin();
    return AS_S(json_object());
}

stirmls_reason stirmls_json_set_string(stirmls_json *obj, const char *name, const char *value)
{
    json_begin();
    json_t *s = json_string(value);
    if (s == NULL)
        return json_oom ? STIRMLS_R_INTERNAL : STIRMLS_R_USAGE; /* else: not UTF-8 */
    return json_object_set_new(AS_J(obj), name, s) == 0 ? STIRMLS_R_OK : STIRMLS_R_INTERNAL;
}

/* ---- deterministic serialization (written here, not jansson's dumper, so the escaping and the
 * member order are exactly the documented ones) ---------------------------------------------- */

static void put_string(stirmls_buf *out, const char *s, size_t len)
{
    static const char hexd[] = "0123456789abcdef";
    stirmls_buf_put_u8(out, '"');
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)s[i];
        const char *esc = c == '"'    ? "\\\""
                          : c == '\\' ? "\\\\"
                          : c == '\b' ? "\\b"
                          : c == '\f' ? "\\f"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                          : c == '\t' ? "\\t"
                                      : NULL;
        if (esc != NULL) {
            stirmls_buf_put_str(out, esc);
        } else if (c < 0x20) {
            char u[6] = {'\\', 'u', '0', '0', hexd[c >> 4], hexd[c & 15]};
            stirmls_buf_put(out, u, 6);
        } else {
            stirmls_buf_put_u8(out, c);
        }
    }
    stirmls_buf_put_u8(out, '"');
}

static int key_cmp(const void *a, const void *b)
{
    /* keys cannot contain NUL (the parser rejects it), so strcmp is byte order = code-point order */
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static stirmls_reason put_value(const json_t *j, stirmls_buf *out, int depth);

static stirmls_reason put_object(const json_t *j, stirmls_buf *out, int depth)
{
    size_t n = json_object_size(j), i = 0;
    const char **keys = calloc(n ? n : 1, sizeof *keys);
    if (keys == NULL)
        return STIRMLS_R_INTERNAL;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)j, k, v) keys[i++] = k;
    qsort(keys, n, sizeof *keys, key_cmp);
    stirmls_reason rc = STIRMLS_R_OK;
    stirmls_buf_put_u8(out, '{');
    for (i = 0; i < n && rc == STIRMLS_R_OK; i++) {
        if (i > 0)
            stirmls_buf_put_u8(out, ',');
        put_string(out, keys[i], strlen(keys[i]));
        stirmls_buf_put_u8(out, ':');
        rc = put_value(json_object_get(j, keys[i]), out, depth + 1);
    }
    stirmls_buf_put_u8(out, '}');
    free(keys);
    return rc;
}

static stirmls_reason put_value(const json_t *j, stirmls_buf *out, int depth)
{
    char num[64];
    if (depth > 64)
        return STIRMLS_R_LENGTH_LIMIT;
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        return put_object(j, out, depth);
    case JSON_ARRAY:
        stirmls_buf_put_u8(out, '[');
        for (size_t i = 0; i < json_array_size(j); i++) {
            if (i > 0)
                stirmls_buf_put_u8(out, ',');
            stirmls_reason rc = put_value(json_array_get(j, i), out, depth + 1);
            if (rc != STIRMLS_R_OK)
                return rc;
        }
        stirmls_buf_put_u8(out, ']');
        return STIRMLS_R_OK;
    case JSON_STRING:
        put_string(out, json_string_value(j), json_string_length(j));
        return STIRMLS_R_OK;
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
        stirmls_buf_put_str(out, num);
        return STIRMLS_R_OK;
    case JSON_REAL:
        /* no PASSporT claim is a real; this form (shortest %.17g) is documented, not canonical.
         * -0 is written "0" (as RFC 8785 does): "-0" would re-parse as the integer 0 and
         * serialize differently (found by fuzz/json_fuzz.c) */
        snprintf(num, sizeof num, "%.17g", json_real_value(j) == 0.0 ? 0.0 : json_real_value(j));
        stirmls_buf_put_str(out, num);
        return STIRMLS_R_OK;
    case JSON_TRUE:
        stirmls_buf_put_str(out, "true");
        return STIRMLS_R_OK;
    case JSON_FALSE:
        stirmls_buf_put_str(out, "false");
        return STIRMLS_R_OK;
    default:
        stirmls_buf_put_str(out, "null");
        return STIRMLS_R_OK;
    }
}

stirmls_reason stirmls_json_serialize(const stirmls_json *j, stirmls_buf *out)
{
    stirmls_reason rc = put_value(AS_J(j), out, 0);
    return rc != STIRMLS_R_OK ? rc : stirmls_buf_status(out);
}

stirmls_reason stirmls_json_check_deterministic(const void *text, size_t len, stirmls_detail *d)
{
    stirmls_json *j = NULL;
    stirmls_reason rc = stirmls_json_parse(text, len, &j, d);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_json_check_serialized(j, text, len, d);
    stirmls_json_free(j);
    return rc;
}

stirmls_reason stirmls_json_check_serialized(const stirmls_json *j, const void *text, size_t len,
                                             stirmls_detail *d)
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_reason rc = stirmls_json_serialize(j, &b);
    if (rc == STIRMLS_R_OK && (b.len != len || memcmp(b.ptr, text, len) != 0)) {
        size_t i = 0;
        while (i < len && i < b.len && b.ptr[i] == ((const uint8_t *)text)[i])
            i++;
        rc = stirmls_fail_at(d, STIRMLS_R_JSON_NONCANONICAL, i,
                             "JSON is not in deterministic form (first difference at byte %zu)", i);
    }
    stirmls_buf_cleanup(&b);
    return rc;
}
