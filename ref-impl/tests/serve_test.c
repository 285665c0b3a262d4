/* serve_test.c: the framing of `stirmls serve` (stirmls-interop/1): hello, bad requests, the
 * 1 MiB line bound, shutdown. The per-kind answers: serve_ops_test.c. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testlib/serve_client.h"
#include "testlib/testlib.h"

START_TEST(hello_and_shutdown)
{
    const char in[] = "{\"id\":1,\"op\":\"hello\"}\n{\"id\":2,\"op\":\"shutdown\"}\n{\"id\":3,\"op\":\"hello\"}\n";
    json_t *out = tl_serve(in, sizeof in - 1);
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
    json_t *out = tl_serve(in, (size_t)n);
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
    json_t *out = tl_serve(in, big + 1 + (size_t)tail);
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
