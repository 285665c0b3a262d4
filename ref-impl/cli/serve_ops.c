/*
 * serve_ops.c: the answers of stirmls-interop/1 for the reference implementation: hello, the op
 * dispatch and the param readers shared by serve_verify.c and serve_generate.c.
 * Each kind is verified by the same library calls the CLI verbs use.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "serve.h"

int serve_error(struct serve_answer *ans, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ans->error_message, sizeof ans->error_message, fmt, ap);
    va_end(ap);
    ans->error_code = code;
    json_decref(ans->result);
    ans->result = NULL;
    return 1;
}

const char *serve_need_str(json_t *o, const char *key, struct serve_answer *ans)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (s == NULL)
        serve_error(ans, "bad_request", "'%s' must be a string", key);
    return s;
}

int serve_opt_str(json_t *o, const char *key, const char **out, struct serve_answer *ans)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (v == NULL || json_is_null(v))
        return 1;
    if (!json_is_string(v))
        return serve_error(ans, "bad_request", "'%s' must be a string", key), 0;
    *out = json_string_value(v);
    return 1;
}

int serve_opt_u64(json_t *o, const char *key, uint64_t *out, struct serve_answer *ans)
{
    json_t *v = json_object_get(o, key);
    if (v == NULL)
        return 1;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return serve_error(ans, "bad_request", "'%s' must be a non-negative integer", key), 0;
    *out = (uint64_t)json_integer_value(v);
    return 1;
}

int serve_need_hex(json_t *o, const char *key, uint8_t **buf, size_t *len, struct serve_answer *ans)
{
    const char *s = serve_need_str(o, key, ans);
    *buf = NULL;
    if (s == NULL)
        return 0;
    /* the JSON length: a \u0000 inside must not cut the string short */
    if (stirmls_hex_decode(s, json_string_length(json_object_get(o, key)), buf, len) != STIRMLS_R_OK)
        return serve_error(ans, "bad_request", "'%s' is not hex", key), 0;
    if (*len == 0) {
        free(*buf);
        *buf = NULL;
        return serve_error(ans, "bad_request", "'%s' is empty", key), 0;
    }
    return 1;
}

/* Every kind of scenarios/ and every tag is claimed: `tags` is omitted (= all). */
static json_t *hello(void)
{
    return json_pack("{s:s,s:s,s:s,s:[s,s],s:[s,s,s,s,s,s],s:[i,i]}", "name",
                     "stirmls-reference", "version", STIRMLS_VERSION, "protocol", SERVE_PROTOCOL, "ops",
                     "verify", "generate", "kinds", "cert_chain", "passport", "credential", "key_package",
                     "group_info", "group_message",
                     "credential_types", STIRMLS_CRED_STIR_CERTIFICATE_DEFAULT,
                     STIRMLS_CRED_STIR_PASSPORT_DEFAULT);
}

int serve_dispatch(const char *op, json_t *params, struct serve_answer *ans)
{
    json_t *empty = NULL;
    int go_on = 1;
    if (params == NULL)
        params = empty = json_object();
    if (strcmp(op, "hello") == 0)
        ans->result = hello();
    else if (strcmp(op, "verify") == 0)
        serve_verify(params, ans);
    else if (strcmp(op, "generate") == 0)
        serve_generate(params, ans);
    else if (strcmp(op, "shutdown") == 0) {
        ans->result = json_object();
        go_on = 0;
    } else
        serve_error(ans, "unimplemented", "op '%.64s' is not implemented", op);
    if (ans->result == NULL && ans->error_code == NULL)
        serve_error(ans, "internal", "out of memory");
    json_decref(empty);
    return go_on;
}
