/* codec_test.c: strict base64url, the JSON wrapper (duplicates, exact integers, deterministic
 * form incl. RFC 8225 examples and code-point ordering) and canonical telephone numbers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"

/* ---- base64url -------------------------------------------------------------------------- */

struct b64_case {
    const char *name, *in, *hex; /* hex of the decoded bytes when accepted */
    stirmls_reason want;
    size_t offset; /* expected failure offset, or STIRMLS_NO_OFFSET to skip */
};

static const struct b64_case b64_cases[] = {
    {"empty", "", "", STIRMLS_R_OK, 0},
    {"one byte", "Zg", "66", STIRMLS_R_OK, 0},
    {"two bytes", "Zm8", "666f", STIRMLS_R_OK, 0},
    {"three bytes", "Zm9v", "666f6f", STIRMLS_R_OK, 0},
    {"url-safe alphabet", "-_8", "fbff", STIRMLS_R_OK, 0},
    {"padding one", "Zm8=", NULL, STIRMLS_R_B64URL_PADDING, 3},
    {"padding two", "Zg==", NULL, STIRMLS_R_B64URL_PADDING, 2},
    {"plus", "+_8", NULL, STIRMLS_R_B64URL_INVALID, 0},
    {"slash", "-/8", NULL, STIRMLS_R_B64URL_INVALID, 1},
    {"space", "Zm 9v", NULL, STIRMLS_R_B64URL_INVALID, 2},
    {"newline", "Zm9v\n", NULL, STIRMLS_R_B64URL_INVALID, 4},
    {"non-ascii", "Zm\xc3\xa9", NULL, STIRMLS_R_B64URL_INVALID, 2},
    {"NUL byte", "Zm\0v", NULL, STIRMLS_R_B64URL_INVALID, 2},
    {"length 1 mod 4", "Zm9vY", NULL, STIRMLS_R_B64URL_INVALID, 4},
    {"trailing bits (1 byte)", "Zh", NULL, STIRMLS_R_B64URL_INVALID, 1},
    {"trailing bits (2 bytes)", "Zm9", NULL, STIRMLS_R_B64URL_INVALID, 2},
};

START_TEST(b64url_decode_table)
{
    const struct b64_case *c = &b64_cases[_i];
    size_t len = strcmp(c->name, "NUL byte") == 0 ? 4 : strlen(c->in);
    stirmls_buf b;
    stirmls_detail d;
    stirmls_buf_init(&b);
    stirmls_detail_init(&d);
    stirmls_reason rc = stirmls_b64url_decode(c->in, len, 0, &b, &d);
    ck_assert_msg(rc == c->want, "%s: got %s", c->name, stirmls_reason_name(rc));
    if (rc == STIRMLS_R_OK) {
        char hex[64];
        stirmls_hex_encode(b.ptr, b.len, hex);
        ck_assert_str_eq(hex, c->hex);
        stirmls_buf enc;
        stirmls_buf_init(&enc);
        stirmls_b64url_encode(b.ptr, b.len, &enc);
        ck_assert_uint_eq(enc.len, len);
        ck_assert_uint_eq(stirmls_b64url_encoded_len(b.len), len);
        ck_assert(len == 0 || memcmp(enc.ptr, c->in, len) == 0);
        stirmls_buf_cleanup(&enc);
    } else {
        ck_assert_uint_eq(d.offset, c->offset);
        ck_assert_uint_eq(b.len, 0);
    }
    stirmls_buf_cleanup(&b);
}
END_TEST

START_TEST(b64url_round_trip_all_lengths)
{
    uint8_t in[64];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i * 37 + 250);
    for (size_t n = 0; n <= sizeof in; n++) {
        stirmls_buf e, dec;
        stirmls_buf_init(&e);
        stirmls_buf_init(&dec);
        stirmls_b64url_encode(in, n, &e);
        ck_assert_int_eq(stirmls_b64url_decode((const char *)e.ptr, e.len, 0, &dec, NULL), STIRMLS_R_OK);
        ck_assert_uint_eq(dec.len, n);
        ck_assert(n == 0 || memcmp(dec.ptr, in, n) == 0);
        stirmls_buf_cleanup(&e);
        stirmls_buf_cleanup(&dec);
    }
}
END_TEST

/* ---- JSON -------------------------------------------------------------------------------- */

struct json_case {
    const char *name, *in;
    const char *canon; /* deterministic form when it parses */
    stirmls_reason want;
};

static const struct json_case json_cases[] = {
    {"RFC 8225 header", "{ \"typ\":\"passport\",\n \"alg\":\"ES256\", \"x5u\":\"https://cert.example.org/passport.pem\" }",
     "{\"alg\":\"ES256\",\"typ\":\"passport\",\"x5u\":\"https://cert.example.org/passport.pem\"}", STIRMLS_R_OK},
    {"RFC 8225 claims", "{\"orig\":{\"tn\":\"12155551212\"},\"iat\":1443208345,\"dest\":{\"tn\":[\"12125551213\"]}}",
     "{\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1443208345,\"orig\":{\"tn\":\"12155551212\"}}", STIRMLS_R_OK},
    {"header with ppt", "{\"x5u\":\"https://x.example/a\",\"typ\":\"passport\",\"ppt\":\"shaken\",\"alg\":\"ES256\"}",
     "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"https://x.example/a\"}", STIRMLS_R_OK},
    {"nested objects in arrays", "{\"b\":[{\"z\":1,\"a\":{\"y\":2,\"x\":[true,false,null]}}],\"a\":\"x\",\"A\":null}",
     "{\"A\":null,\"a\":\"x\",\"b\":[{\"a\":{\"x\":[true,false,null],\"y\":2},\"z\":1}]}", STIRMLS_R_OK},
    /* code-point order: U+FFFD sorts before U+1F600 (UTF-16 order, as in JCS, would not) */
    {"code point not UTF-16 order", "{\"\xf0\x9f\x98\x80\":1,\"\xef\xbf\xbd\":2,\"~\":3}",
     "{\"~\":3,\"\xef\xbf\xbd\":2,\"\xf0\x9f\x98\x80\":1}", STIRMLS_R_OK},
    {"escapes", "{\"s\":\"a\\/b\\u0041\\n\\u001f\\\"\"}", "{\"s\":\"a/bA\\n\\u001f\\\"\"}", STIRMLS_R_OK},
    {"int64 max exact", "{\"n\":9223372036854775807}", "{\"n\":9223372036854775807}", STIRMLS_R_OK},
    {"int64 min exact", "[-9223372036854775808]", "[-9223372036854775808]", STIRMLS_R_OK},
    {"duplicate member", "{\"a\":1,\"a\":2}", NULL, STIRMLS_R_JSON_DUPLICATE_MEMBER},
    {"nested duplicate", "{\"o\":{\"tn\":\"1\",\"tn\":\"2\"}}", NULL, STIRMLS_R_JSON_DUPLICATE_MEMBER},
    {"too big integer", "{\"n\":9223372036854775808}", NULL, STIRMLS_R_JSON_INVALID},
    {"trailing garbage", "{} x", NULL, STIRMLS_R_JSON_INVALID},
    {"truncated", "{\"a\":", NULL, STIRMLS_R_JSON_INVALID},
    {"NUL in string", "{\"a\":\"\\u0000\"}", NULL, STIRMLS_R_JSON_INVALID},
    {"bad UTF-8", "{\"a\":\"\xff\"}", NULL, STIRMLS_R_JSON_INVALID},
    {"empty", "", NULL, STIRMLS_R_JSON_INVALID},
};

START_TEST(json_parse_and_canonical_table)
{
    const struct json_case *c = &json_cases[_i];
    stirmls_json *j = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason rc = stirmls_json_parse(c->in, strlen(c->in), &j, &d);
    ck_assert_msg(rc == c->want, "%s: got %s (%s)", c->name, stirmls_reason_name(rc), d.text);
    if (rc != STIRMLS_R_OK)
        return;
    stirmls_buf b;
    stirmls_buf_init(&b);
    ck_assert_int_eq(stirmls_json_serialize(j, &b), STIRMLS_R_OK);
    stirmls_buf_put_u8(&b, 0);
    ck_assert_str_eq((const char *)b.ptr, c->canon);
    /* the canonical form is accepted by the strict check; the input only when identical */
    ck_assert_int_eq(stirmls_json_check_deterministic(c->canon, strlen(c->canon), NULL), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_json_check_deterministic(c->in, strlen(c->in), NULL),
                     strcmp(c->in, c->canon) == 0 ? STIRMLS_R_OK : STIRMLS_R_JSON_NONCANONICAL);
    stirmls_buf_cleanup(&b);
    stirmls_json_free(j);
}
END_TEST

START_TEST(json_noncanonical_offset)
{
    stirmls_detail d;
    stirmls_detail_init(&d);
    const char *t = "{\"a\":1, \"b\":2}";
    ck_assert_int_eq(stirmls_json_check_deterministic(t, strlen(t), &d), STIRMLS_R_JSON_NONCANONICAL);
    ck_assert_uint_eq(d.offset, 7);
}
END_TEST

/* Every strict prefix of a JSON text fails with JSON_INVALID; one trailing byte too. */
START_TEST(json_truncation_sweep)
{
    const char *t = "{\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1443208345,\"orig\":{\"tn\":\"12155551212\"}}";
    size_t n = strlen(t);
    for (size_t i = 0; i < n; i++) {
        stirmls_json *j = NULL;
        stirmls_reason rc = stirmls_json_parse(t, i, &j, NULL);
        ck_assert_msg(rc == STIRMLS_R_JSON_INVALID, "prefix %zu: %s", i, stirmls_reason_name(rc));
    }
    char buf[256];
    snprintf(buf, sizeof buf, "%s}", t);
    stirmls_json *j = NULL;
    ck_assert_int_eq(stirmls_json_parse(buf, strlen(buf), &j, NULL), STIRMLS_R_JSON_INVALID);
}
END_TEST

/* Every prefix of a base64url text either decodes to the matching prefix of the bytes (when its
 * length is possible and its unused bits are zero) or fails with B64URL_INVALID. */
START_TEST(b64url_truncation_sweep)
{
    uint8_t in[32];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(0xA5 ^ (i * 29));
    stirmls_buf e;
    stirmls_buf_init(&e);
    stirmls_b64url_encode(in, sizeof in, &e);
    for (size_t i = 0; i < e.len; i++) {
        stirmls_buf dec;
        stirmls_buf_init(&dec);
        stirmls_reason rc = stirmls_b64url_decode((const char *)e.ptr, i, 0, &dec, NULL);
        if (rc == STIRMLS_R_OK) {
            ck_assert_uint_eq(dec.len, i * 6 / 8);
            ck_assert(dec.len == 0 || memcmp(dec.ptr, in, dec.len) == 0);
        } else {
            ck_assert_int_eq(rc, STIRMLS_R_B64URL_INVALID);
        }
        stirmls_buf_cleanup(&dec);
    }
    stirmls_buf_cleanup(&e);
}
END_TEST

/* ---- telephone numbers ------------------------------------------------------------------- */

struct tn_case {
    const char *name, *in, *out;
    stirmls_reason want;
};

static const struct tn_case tn_cases[] = {
    {"tel URI with separators", "tel:+1-215-555-1212", "12155551212", STIRMLS_R_OK},
    {"TEL upper-case scheme", "TEL:+12155551212", "12155551212", STIRMLS_R_OK},
    {"dots parens spaces", "+1 (215) 555.1212", "12155551212", STIRMLS_R_OK},
    {"already canonical", "12155551212", "12155551212", STIRMLS_R_OK},
    {"star and hash", "*67#", "*67#", STIRMLS_R_OK},
    {"15 digits", "123456789012345", "123456789012345", STIRMLS_R_OK},
    {"16 digits", "1234567890123456", NULL, STIRMLS_R_PPT_TN_NONCANONICAL},
    {"empty", "", NULL, STIRMLS_R_PPT_TN_NONCANONICAL},
    {"only separators", "tel:+--", NULL, STIRMLS_R_PPT_TN_NONCANONICAL},
    {"letters", "tel:+1215555ABCD", NULL, STIRMLS_R_PPT_TN_NONCANONICAL},
    {"tel parameters", "tel:5551212;phone-context=example.com", NULL, STIRMLS_R_PPT_TN_NONCANONICAL},
    {"plus in the middle", "1+2", NULL, STIRMLS_R_PPT_TN_NONCANONICAL},
    {"double plus", "++1", NULL, STIRMLS_R_PPT_TN_NONCANONICAL},
};

START_TEST(tn_canonicalize_table)
{
    const struct tn_case *c = &tn_cases[_i];
    char out[STIRMLS_TN_MAX + 1];
    stirmls_reason rc = stirmls_tn_canonicalize(c->in, strlen(c->in), out, NULL);
    ck_assert_msg(rc == c->want, "%s: got %s", c->name, stirmls_reason_name(rc));
    if (rc == STIRMLS_R_OK) {
        ck_assert_str_eq(out, c->out);
        ck_assert(stirmls_tn_is_canonical(out, strlen(out)));
    }
    ck_assert_int_eq(stirmls_tn_is_canonical(c->in, strlen(c->in)),
                     rc == STIRMLS_R_OK && strcmp(c->in, c->out) == 0);
}
END_TEST

Suite *codec_suite(void);
Suite *codec_suite(void)
{
    Suite *s = suite_create("codec");
    TCase *tc = tcase_create("b64url");
    tcase_add_loop_test(tc, b64url_decode_table, 0, sizeof b64_cases / sizeof b64_cases[0]);
    tcase_add_test(tc, b64url_round_trip_all_lengths);
    tcase_add_test(tc, b64url_truncation_sweep);
    suite_add_tcase(s, tc);
    tc = tcase_create("json");
    tcase_add_loop_test(tc, json_parse_and_canonical_table, 0, sizeof json_cases / sizeof json_cases[0]);
    tcase_add_test(tc, json_noncanonical_offset);
    tcase_add_test(tc, json_truncation_sweep);
    suite_add_tcase(s, tc);
    tc = tcase_create("tn");
    tcase_add_loop_test(tc, tn_canonicalize_table, 0, sizeof tn_cases / sizeof tn_cases[0]);
    suite_add_tcase(s, tc);
    return s;
}
