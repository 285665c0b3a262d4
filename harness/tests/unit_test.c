/* unit_test.c: harness modules in isolation (linked from the harness objects, not main.o). */
#include "harness.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    const char *name, *line;
    hx_call_status want;
} resp_row;

static const resp_row resp_rows[] = {
    {"result", "{\"id\":7,\"result\":{\"verdict\":\"accept\"}}", HX_CALL_RESULT},
    {"error", "{\"id\":7,\"error\":{\"code\":\"unimplemented\",\"message\":\"x\"}}", HX_CALL_ERROR},
    {"not_json", "hello", HX_CALL_PROTOCOL},
    {"not_object", "[1]", HX_CALL_PROTOCOL},
    {"wrong_id", "{\"id\":8,\"result\":{}}", HX_CALL_PROTOCOL},
    {"string_id", "{\"id\":\"7\",\"result\":{}}", HX_CALL_PROTOCOL},
    {"both", "{\"id\":7,\"result\":{},\"error\":{\"code\":\"internal\"}}", HX_CALL_PROTOCOL},
    {"neither", "{\"id\":7}", HX_CALL_PROTOCOL},
    {"result_not_object", "{\"id\":7,\"result\":1}", HX_CALL_PROTOCOL},
    {"unknown_error_code", "{\"id\":7,\"error\":{\"code\":\"oops\"}}", HX_CALL_PROTOCOL},
    {"duplicate_member", "{\"id\":7,\"id\":7,\"result\":{}}", HX_CALL_PROTOCOL},
    {"invalid_utf8", "{\"id\":7,\"result\":{\"native\":\"\xff\"}}", HX_CALL_PROTOCOL},
    /* RFC 8259 allows any code point escaped, U+0000 included: a native text quoting a NUL is a
     * valid response (finding X9) */
    {"escaped_nul_in_string", "{\"id\":7,\"result\":{\"verdict\":\"reject\",\"native\":\"a\\u0000b\"}}",
     HX_CALL_RESULT},
};

START_TEST(parse_response)
{
    const resp_row *r = &resp_rows[_i];
    json_t *doc = NULL, *payload = NULL;
    char *why = NULL;
    hx_call_status st = hx_proto_parse_response(r->line, strlen(r->line), 7, &doc, &payload, &why);
    ck_assert_msg(st == r->want, "%s: status %d want %d", r->name, st, r->want);
    ck_assert_msg((st == HX_CALL_PROTOCOL) == (why != NULL), "%s: why", r->name);
    json_decref(doc);
    free(why);
}
END_TEST

typedef struct {
    const char *name, *in, *utf8, *ctl, *xml;
} esc_row;

static const esc_row esc_rows[] = {
    {"plain", "abc", "abc", "abc", "abc"},
    {"esc", "\x1b[31m", "\x1b[31m", "\\x1B[31m", "\\x1B[31m"},
    {"markup", "<script>&'\"", "<script>&'\"", "<script>&'\"", "&lt;script&gt;&amp;&#39;&quot;"},
    {"bad_utf8", "a\xff" "b", "a\\xFFb", "a\xff" "b", "a\xff" "b"},
    {"overlong", "\xc0\xaf", "\\xC0\\xAF", "\xc0\xaf", "\xc0\xaf"},
    {"surrogate", "\xed\xa0\x80", "\\xED\\xA0\\x80", "\xed\xa0\x80", "\xed\xa0\x80"},
    {"good_utf8", "\xc3\xa9", "\xc3\xa9", "\xc3\xa9", "\xc3\xa9"},
};

START_TEST(escaping)
{
    const esc_row *r = &esc_rows[_i];
    char *u = hx_utf8_clean(r->in, strlen(r->in), 1000), *c = hx_ctl_escape(r->in);
    char *x = hx_xml_escape(r->in);
    ck_assert_msg(strcmp(u, r->utf8) == 0, "%s: utf8 %s", r->name, u);
    ck_assert_msg(strcmp(c, r->ctl) == 0, "%s: ctl %s", r->name, c);
    ck_assert_msg(strcmp(x, r->xml) == 0, "%s: xml %s", r->name, x);
    free(u), free(c), free(x);
}
END_TEST

typedef struct {
    const char *name, *arg;
    int ok;
    const char *argv0, *host, *port;
} spec_row;

static const spec_row spec_rows[] = {
    {"command", "ref=build/stirmls serve", 1, "build/stirmls", NULL, NULL},
    {"tcp", "x=tcp://127.0.0.1:4000", 1, NULL, "127.0.0.1", "4000"},
    {"tcp_v6", "x=tcp://[::1]:4000", 1, NULL, "::1", "4000"},
    {"no_name", "=cmd", 0, NULL, NULL, NULL},
    {"no_command", "x=", 0, NULL, NULL, NULL},
    {"bad_name", "a/b=cmd", 0, NULL, NULL, NULL},
    {"tcp_no_port", "x=tcp://host", 0, NULL, NULL, NULL},
    {"blank_command", "x=   ", 0, NULL, NULL, NULL},
};

START_TEST(impl_spec)
{
    const spec_row *r = &spec_rows[_i];
    hx_impl_spec s;
    char *err = NULL;
    int rc = hx_impl_spec_parse(r->arg, &s, &err);
    ck_assert_msg((rc == 0) == r->ok, "%s: rc %d", r->name, rc);
    if (rc == 0 && r->argv0)
        ck_assert_str_eq(s.argv[0], r->argv0);
    if (rc == 0 && r->host) {
        ck_assert_str_eq(s.tcp_host, r->host);
        ck_assert_str_eq(s.tcp_port, r->port);
    }
    ck_assert_msg(rc == 0 || err, "%s: no error text", r->name);
    hx_impl_spec_cleanup(&s);
    free(err);
}
END_TEST

/* tcp://H:P?token=FILE: the file's content without its newline, kept for the hello; a missing
 * file or another query is an error. */
START_TEST(impl_spec_token)
{
    hx_impl_spec s;
    char *err = NULL;
    const char *data = getenv("HX_DATA") ? getenv("HX_DATA") : "harness/tests/data";
    char *good = hx_printf("x=tcp://127.0.0.1:4000?token=%s/netsvc.token", data);
    ck_assert_int_eq(hx_impl_spec_parse(good, &s, &err), 0);
    free(good);
    ck_assert_str_eq(s.tcp_host, "127.0.0.1");
    ck_assert_str_eq(s.tcp_port, "4000");
    ck_assert_str_eq(s.token, "harness-unit-test-token");
    hx_impl_spec_cleanup(&s);
    static const char *const bad[] = {"x=tcp://127.0.0.1:4000?token=harness/tests/data/no-such-file",
                                      "x=tcp://127.0.0.1:4000?tokens=harness/tests/data/netsvc.token",
                                      "x=tcp://127.0.0.1?token=harness/tests/data/netsvc.token"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(hx_impl_spec_parse(bad[i], &s, &err) == -1 && err != NULL, "%s accepted", bad[i]);
        hx_impl_spec_cleanup(&s);
        free(err);
        err = NULL;
    }
}
END_TEST

typedef struct {
    const char *name, *yaml;
    int ok;
    size_t nskip, nxfail;
} exp_row;

/* The last two: found by fuzzing (expectations_fuzz): a second `skip` list overwrote and leaked
 * the first, and when the first was longer its entries were written past the second's end. */
static const exp_row exp_rows[] = {
    {"empty", "", 1, 0, 0},
    {"lists", "skip: [{case: a/*, reason: r}]\nxfail: [{case: b, reason: r, expect_reason: X}]\n", 1, 1, 1},
    {"unknown_key", "skipp: []\n", 0, 0, 0},
    {"no_reason", "skip: [{case: a}]\n", 0, 0, 0},
    {"bad_policy", "policy: {f: maybe}\n", 0, 0, 0},
    {"skip_twice", "skip: []\nskip: []\n", 0, 0, 0},
    {"skip_twice_longer_first",
     "skip: [{case: a, reason: r}, {case: b, reason: r}]\nskip: [{case: c, reason: r}]\n", 0, 0, 0},
};

START_TEST(expectations_load)
{
    const exp_row *r = &exp_rows[_i];
    char path[] = "/tmp/hx-exp-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, r->yaml, strlen(r->yaml)), (ssize_t)strlen(r->yaml));
    close(fd);
    hx_expectations e;
    char *err = NULL;
    int rc = hx_expectations_load(&e, "x", path, &err);
    unlink(path);
    ck_assert_msg((rc == 0) == r->ok, "%s: rc %d (%s)", r->name, rc, err ? err : "");
    ck_assert_msg(rc == 0 || (err && strncmp(err, path, strlen(path)) == 0), "%s: error text", r->name);
    if (rc == 0)
        ck_assert_msg(e.nskip == r->nskip && e.nxfail == r->nxfail, "%s: counts", r->name);
    hx_expectations_cleanup(&e);
    free(err);
}
END_TEST

/* The writer must produce json_dumps's bytes for every flag combination the harness uses. */
typedef struct {
    const char *name, *json;
} jw_row;

static const jw_row jw_rows[] = {
    {"empty_object", "{}"},
    {"empty_array", "[]"},
    {"scalars", "[1,-2,true,false,null,\"\",9223372036854775807]"},
    {"sorted_keys", "{\"b\":1,\"a\":{\"d\":[],\"c\":{}},\"ab\":[1,[2,[]],{}]}"},
    {"escapes", "[\"q\\\" b\\\\ s/ \\b\\f\\n\\r\\t \\u0001\\u001f \\u007f\"]"},
    {"html", "{\"<k>\":\"</script><b>&amp;\"}"},
    {"non_ascii", "[\"\\u00e9 \\u20ac \\ud83d\\ude00 \\uffff\"]"},
    {"nested", "{\"x\":[{\"a\":[1,{\"b\":[]}]},\"s\"],\"y\":{\"z\":{\"w\":null}}}"},
    {"real", "[1.5,0.1]"},
    {"backslashes", "{\"a\\\\\":[\"\\\\\",\"\\\\\\\"\",\"x\\\\\\\\\"],\"b\":\"}]\"}"},
};

START_TEST(json_writer)
{
    const jw_row *r = &jw_rows[_i];
    json_t *v = json_loads(r->json, 0, NULL);
    ck_assert_ptr_nonnull(v);
    static const int combos[][2] = {
        {0, JSON_COMPACT | JSON_SORT_KEYS},
        {HX_JW_INDENT1, JSON_INDENT(1) | JSON_SORT_KEYS},
        {HX_JW_ASCII, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII},
        {HX_JW_INDENT1 | HX_JW_ASCII, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_ENSURE_ASCII},
    };
    for (size_t k = 0; k < sizeof combos / sizeof combos[0]; k++) {
        char *want = json_dumps(v, combos[k][1]);
        size_t n = 0;
        char *got = hx_jw_dumps(v, combos[k][0], &n);
        ck_assert_str_eq(got, want);
        ck_assert_uint_eq(n, strlen(want));
        free(got);
        free(want);
    }
    /* hx_jw_text re-formats the compact text into each format; members split it */
    size_t clen = 0;
    char *compact = hx_jw_dumps(v, 0, &clen);
    static const int formats[] = {0, HX_JW_INDENT1, HX_JW_ASCII, HX_JW_INDENT1 | HX_JW_ASCII,
                                  HX_JW_ASCII | HX_JW_HTML};
    for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
        char *want = hx_jw_dumps(v, formats[k], NULL);
        hx_jbuf b = {0};
        ck_assert_int_eq(hx_jw_text(&b, compact, clen, formats[k], 0), 0);
        ck_assert_str_eq(b.p, want);
        hx_jbuf_free(&b);
        free(want);
    }
    hx_member m[16];
    size_t nm = 0;
    ck_assert_int_eq(hx_json_members(compact, clen, m, 16, &nm), json_is_object(v) ? 0 : -1);
    ck_assert_uint_eq(nm, json_is_object(v) ? json_object_size(v) : 0);
    for (size_t k = 0; k < nm; k++) {
        json_t *x = json_loadb(m[k].val, m[k].vlen, JSON_DECODE_ANY, NULL);
        ck_assert_ptr_nonnull(x);
        json_decref(x);
    }
    ck_assert_uint_eq(hx_json_skip(compact, clen, 0), clen);
    free(compact);
    /* HX_JW_HTML: the ASCII text with < > & as \u003c \u003e \u0026 */
    char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    char *want = malloc(strlen(text) * 6 + 1), *o = want;
    for (const char *p = text; *p; p++)
        o += (*p == '<' || *p == '>' || *p == '&') ? sprintf(o, "\\u%04x", (unsigned)*p)
                                                   : sprintf(o, "%c", *p);
    char *got = hx_jw_dumps(v, HX_JW_ASCII | HX_JW_HTML, NULL);
    ck_assert_str_eq(got, want);
    free(got);
    free(want);
    free(text);
    json_decref(v);
}
END_TEST

/* hx_json_read: jansson's value, or NULL; never a value where json_loadb fails. */
static const char *const read_rows[] = {
    "{\"a\":[1,-2,0,-0,true,false,null,\"x\"],\"b\":{}}",
    "[\"\\u00e9\\ud83d\\ude00\\n\\/\\\"\", \"\xc3\xa9\xf0\x9f\x98\x80\"]",
    "{\"a\":1,\"a\":2}",          /* duplicate */
    "[1.5]", "[1e3]", "[123456789012345678901]", /* reals, range */
    "[01]", "[-]", "[+1]", "[1,]", "[,1]", "{\"a\"}", "{\"a\":}", "{,}", "[tru]", "[nul]",
    "[\"\\u0000\"]", "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]",
    "[\"\\x\"]", "[\"\\u12g4\"]", "[\"a\tb\"]", "[\"\xff\"]", "[\"\xc0\xaf\"]",
    "[\"\xed\xa0\x80\"]", "[\"unterminated]", "{\"k\":[1,2}", "[1 2]", "[\x7f]",
    "  {\"w\" :\t[ 1 , 2 ]\r\n}  ",
    "nullMA", "truex", /* a literal followed by letters is one bad word to jansson (hxjson_fuzz) */
};

START_TEST(json_read)
{
    const char *t = read_rows[_i];
    size_t n = strlen(t), end = 0;
    json_error_t jerr;
    json_t *want = json_loadb(t, n, JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK, &jerr);
    json_t *got = hx_json_read(t, n, &end);
    if (got) {
        ck_assert_ptr_nonnull(want);
        ck_assert(json_equal(got, want));
        ck_assert_uint_eq(end, (size_t)jerr.position);
    }
    json_decref(got);
    json_decref(want);
}
END_TEST

Suite *unit_suite(void);
Suite *unit_suite(void)
{
    Suite *s = suite_create("harness-unit");
    TCase *tc = tcase_create("modules");
    tcase_add_loop_test(tc, parse_response, 0, (int)(sizeof resp_rows / sizeof resp_rows[0]));
    tcase_add_loop_test(tc, escaping, 0, (int)(sizeof esc_rows / sizeof esc_rows[0]));
    tcase_add_loop_test(tc, json_writer, 0, (int)(sizeof jw_rows / sizeof jw_rows[0]));
    tcase_add_loop_test(tc, json_read, 0, (int)(sizeof read_rows / sizeof read_rows[0]));
    tcase_add_loop_test(tc, impl_spec, 0, (int)(sizeof spec_rows / sizeof spec_rows[0]));
    tcase_add_test(tc, impl_spec_token);
    tcase_add_loop_test(tc, expectations_load, 0, (int)(sizeof exp_rows / sizeof exp_rows[0]));
    suite_add_tcase(s, tc);
    return s;
}
