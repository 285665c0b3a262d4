/* serve_test.c: the framing of `stirmls serve` (stirmls-interop/1): hello, bad requests, the
 * 1 MiB line bound, shutdown. The per-kind answers are tested with their modules. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testlib/testlib.h"

/* Feed `input` to `stirmls serve` and return its stdout lines as a JSON array of objects. */
static json_t *serve(const char *input, size_t len)
{
    char inpath[] = "/tmp/stirmls-serve-in-XXXXXX";
    int fd = mkstemp(inpath);
    ck_assert(fd >= 0);
    ck_assert(write(fd, input, len) == (ssize_t)len);
    close(fd);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' serve < '%s'", getenv("STIRMLS_CLI"), inpath);
    FILE *p = popen(cmd, "r");
    ck_assert(p != NULL);
    json_t *lines = json_array();
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, p) > 0) {
        json_error_t e;
        json_t *v = json_loads(line, JSON_REJECT_DUPLICATES, &e);
        ck_assert_msg(v != NULL, "serve wrote a non-JSON line: %s", line);
        json_array_append_new(lines, v);
    }
    free(line);
    ck_assert_int_eq(pclose(p), 0);
    unlink(inpath);
    return lines;
}

START_TEST(hello_and_shutdown)
{
    const char in[] = "{\"id\":1,\"op\":\"hello\"}\n{\"id\":2,\"op\":\"shutdown\"}\n{\"id\":3,\"op\":\"hello\"}\n";
    json_t *out = serve(in, sizeof in - 1);
    ck_assert_int_eq(json_array_size(out), 2); /* nothing after shutdown */
    json_t *h = json_object_get(json_array_get(out, 0), "result");
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(out, 0), "id")), 1);
    ck_assert_str_eq(json_string_value(json_object_get(h, "protocol")), "stirmls-interop/1");
    ck_assert(json_is_array(json_object_get(h, "ops")));
    ck_assert(json_is_object(json_object_get(json_array_get(out, 1), "result")));
    json_decref(out);
}
END_TEST

struct bad_case {
    const char *name;
    const char *line;
    const char *code;
};

static const struct bad_case bad_cases[] = {
    {"not json", "not json", "bad_request"},
    {"no id", "{\"op\":\"hello\"}", "bad_request"},
    {"string id", "{\"id\":\"1\",\"op\":\"hello\"}", "bad_request"},
    {"no op", "{\"id\":1}", "bad_request"},
    {"params not object", "{\"id\":1,\"op\":\"verify\",\"params\":[]}", "bad_request"},
    {"duplicate member", "{\"id\":1,\"id\":2,\"op\":\"hello\"}", "bad_request"},
    {"unknown op", "{\"id\":1,\"op\":\"frobnicate\"}", "unimplemented"},
};

START_TEST(bad_requests_get_errors_and_the_loop_goes_on)
{
    const struct bad_case *c = &bad_cases[_i];
    char in[512];
    int n = snprintf(in, sizeof in, "%s\n{\"id\":9,\"op\":\"hello\"}\n", c->line);
    json_t *out = serve(in, (size_t)n);
    ck_assert_int_eq(json_array_size(out), 2);
    json_t *err = json_object_get(json_array_get(out, 0), "error");
    ck_assert_msg(err != NULL, "%s: no error", c->name);
    ck_assert_str_eq(json_string_value(json_object_get(err, "code")), c->code);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(out, 1), "id")), 9);
    json_decref(out);
}
END_TEST

START_TEST(line_over_one_mebibyte_is_refused)
{
    size_t big = ((size_t)1 << 20) + 10;
    char *in = malloc(big + 64);
    memset(in, 'x', big);
    in[big] = '\n';
    int tail = snprintf(in + big + 1, 63, "{\"id\":5,\"op\":\"hello\"}\n");
    json_t *out = serve(in, big + 1 + (size_t)tail);
    ck_assert_int_eq(json_array_size(out), 2);
    json_t *err = json_object_get(json_array_get(out, 0), "error");
    ck_assert_str_eq(json_string_value(json_object_get(err, "code")), "bad_request");
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(out, 1), "id")), 5);
    json_decref(out);
    free(in);
}
END_TEST

Suite *serve_suite(void);
Suite *serve_suite(void)
{
    Suite *s = suite_create("serve");
    TCase *tc = tcase_create("framing");
    tcase_add_test(tc, hello_and_shutdown);
    tcase_add_loop_test(tc, bad_requests_get_errors_and_the_loop_goes_on, 0,
                        sizeof bad_cases / sizeof bad_cases[0]);
    tcase_add_test(tc, line_over_one_mebibyte_is_refused);
    suite_add_tcase(s, tc);
    return s;
}
