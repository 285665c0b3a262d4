/* serve_client.c: see serve_client.h. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "serve_client.h"

json_t *tl_serve(const char *input, size_t len)
{
    return tl_serve_args("", input, len);
}

json_t *tl_serve_args(const char *args, const char *input, size_t len)
{
    char inpath[] = "/tmp/stirmls-serve-in-XXXXXX";
    int fd = mkstemp(inpath);
    ck_assert(fd >= 0);
    ck_assert(write(fd, input, len) == (ssize_t)len);
    close(fd);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' serve %s < '%s'", getenv("STIRMLS_CLI"), args, inpath);
    FILE *p = popen(cmd, "r");
    ck_assert(p != NULL);
    json_t *lines = json_array();
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, p) > 0) {
        json_error_t e;
        json_t *v = json_loads(line, JSON_REJECT_DUPLICATES, &e);
        ck_assert_msg(v != NULL, "serve wrote a non-JSON line: %.200s", line);
        json_array_append_new(lines, v);
    }
    free(line);
    ck_assert_int_eq(pclose(p), 0);
    unlink(inpath);
    return lines;
}
