/* serve_robust_test.c: `stirmls serve` answers every request, whatever the types of its params:
 * each member (at any depth) of a few base requests is replaced by values of every JSON type, and
 * every line must get exactly one answer with its id (under ASan in the debug profile). */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testlib/serve_client.h"

static const char *const bases[] = {
    "{\"kind\":\"cert_chain\",\"at\":1767312000,\"trust_anchors\":[],\"input\":{\"chain\":[\"x\"],\"tn\":\"1\"},"
    "\"policy\":{\"trust_spc\":[\"709J\"],\"strict\":false,\"profile\":\"mls\","
    "\"credential_types\":{\"stir_certificate\":61521,\"stir_passport\":61522}}}",
    "{\"kind\":\"passport\",\"at\":1,\"trust_anchors\":[],\"input\":{\"passport\":\"a.b.c\",\"chain\":[],"
    "\"x5u_map\":{\"u\":[\"x\"]},\"signature_key\":\"04\"},\"policy\":{\"profile\":\"sip\",\"max_age\":5,\"skew\":1}}",
    "{\"kind\":\"credential\",\"at\":1,\"trust_anchors\":[],\"input\":{\"credential\":\"f05100\","
    "\"signature_key\":\"04\"},\"policy\":{\"x509_stir_profile\":true}}",
    "{\"kind\":\"key_package\",\"at\":1,\"trust_anchors\":[],\"input\":{\"key_package\":\"00010005\"},"
    "\"policy\":{\"max_lifetime\":1}}",
    "{\"kind\":\"passport\",\"key\":\"x\",\"x5u\":\"u\",\"claims\":{\"iat\":1},\"ppt\":\"shaken\"}",
    "{\"kind\":\"key_package\",\"signature_key_pem\":\"x\",\"credential\":\"f051\",\"not_before\":1,"
    "\"not_after\":2}",
};
static const char *const values[] = {"null", "0", "-1", "\"x\"", "\"\"", "[]", "{}", "true", "1.5",
                                     "9223372036854775807", "-9223372036854775808", "[\"x\"]",
                                     "{\"a\":[1]}", "\"zzzz\"", "\"a\\u0000b\""};
#define NVALUES (sizeof values / sizeof values[0])

/* Every (object, key) below root, in a flat list (borrowed). */
static void members(json_t *o, json_t *slots)
{
    const char *k;
    json_t *v;
    size_t i;
    if (json_is_object(o))
        json_object_foreach(o, k, v) {
            json_array_append_new(slots, json_pack("{s:O,s:s}", "obj", o, "key", k));
            members(v, slots);
        }
    if (json_is_array(o))
        json_array_foreach(o, i, v) members(v, slots);
}

START_TEST(every_member_of_every_type_gets_an_answer)
{
    size_t cap = 1 << 20, len = 0, id = 0;
    char *in = malloc(cap);
    ck_assert(in != NULL);
    for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
        const char *op = b < 4 ? "verify" : "generate";
        json_t *base = json_loads(bases[b], 0, NULL), *slots = json_array(), *s;
        size_t i;
        ck_assert(base != NULL);
        members(base, slots);
        json_array_foreach(slots, i, s) {
            json_t *obj = json_object_get(s, "obj");
            const char *key = json_string_value(json_object_get(s, "key"));
            json_t *keep = json_incref(json_object_get(obj, key));
            for (size_t v = 0; v < NVALUES; v++) {
                json_object_set_new(obj, key, json_loads(values[v], JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL));
                char *p = json_dumps(base, JSON_COMPACT);
                while (len + strlen(p) + 64 > cap)
                    ck_assert((in = realloc(in, cap *= 2)) != NULL);
                len += (size_t)sprintf(in + len, "{\"id\":%zu,\"op\":\"%s\",\"params\":%s}\n", ++id, op, p);
                free(p);
            }
            json_object_set_new(obj, key, keep);
        }
        json_decref(slots), json_decref(base);
    }
    json_t *out = tl_serve(in, len), *a;
    size_t i;
    ck_assert_int_eq(json_array_size(out), id);
    json_array_foreach(out, i, a) {
        ck_assert_int_eq(json_integer_value(json_object_get(a, "id")), (json_int_t)i + 1);
        json_t *err = json_object_get(a, "error"), *res = json_object_get(a, "result");
        ck_assert((err == NULL) != (res == NULL));
        if (err != NULL)
            ck_assert(strcmp(json_string_value(json_object_get(err, "code")), "internal") != 0);
    }
    json_decref(out);
    free(in);
}
END_TEST

Suite *serve_robust_suite(void);
Suite *serve_robust_suite(void)
{
    Suite *s = suite_create("serve_robust");
    TCase *tc = tcase_create("types");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_member_of_every_type_gets_an_answer);
    suite_add_tcase(s, tc);
    return s;
}
