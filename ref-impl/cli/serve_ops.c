/*
 * serve_ops.c: the answers of stirmls-interop/1 for the reference implementation.
 * Each kind is verified by the same library calls the CLI verbs use.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "serve.h"

static json_t *hello(void)
{
    return json_pack("{s:s,s:s,s:s,s:[s,s,s,s],s:[],s:[]}", "name", "stirmls-reference", "version",
                     STIRMLS_VERSION, "protocol", SERVE_PROTOCOL, "ops", "hello", "verify", "generate",
                     "shutdown", "kinds", "credential_types");
}

int serve_dispatch(const char *op, json_t *params, struct serve_answer *ans)
{
    (void)params;
    if (strcmp(op, "hello") == 0) {
        ans->result = hello();
        return 1;
    }
    if (strcmp(op, "shutdown") == 0) {
        ans->result = json_object();
        return 0;
    }
    ans->error_code = "unimplemented";
    snprintf(ans->error_message, sizeof ans->error_message, "op '%s' is not implemented", op);
    return 1;
}
