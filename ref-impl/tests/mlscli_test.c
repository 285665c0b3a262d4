/* mlscli_test.c: the CLI contract of `keypackage` and `credential` (JSON out; exit 0 / 1 / 2). */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/cli_json.h"
#include "testlib/testlib.h"

static char *dir;
static char key_pem[512], chain_pem[512], kp_bin[512], kp_hex[512], basic_bin[512], pp_txt[512];

static void setup(void)
{
    dir = tl_tmpdir();
    snprintf(key_pem, sizeof key_pem, "%s/key.pem", dir);
    snprintf(chain_pem, sizeof chain_pem, "%s/chain.pem", dir);
    snprintf(kp_bin, sizeof kp_bin, "%s/kp.bin", dir);
    snprintf(kp_hex, sizeof kp_hex, "%s/kp.hex", dir);
    snprintf(basic_bin, sizeof basic_bin, "%s/basic.bin", dir);
    snprintf(pp_txt, sizeof pp_txt, "%s/ppt.txt", dir);
    stirmls_key *k = NULL;
    static const uint8_t seed[] = "mlscli";
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, "carol", &k), STIRMLS_R_OK);
    char *pem = stirmls_key_private_pem(k);
    tl_write_file(key_pem, pem, strlen(pem));
    free(pem);
    stirmls_key_free(k);
    static const char chain[] = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"
                                "-----BEGIN CERTIFICATE-----\nMAEA\n-----END CERTIFICATE-----\n";
    tl_write_file(chain_pem, chain, sizeof chain - 1);
    tl_write_file(pp_txt, "aGVhZA.Ym9keQ.c2ln\n", 19);
}

static void teardown(void)
{
    tl_rmdir(dir);
    free(dir);
}

static const char *str(json_t *j, const char *k)
{
    const char *s = json_string_value(json_object_get(j, k));
    return s ? s : "(null)";
}

START_TEST(create_then_verify_and_inspect)
{
    const char *create[] = {"keypackage", "create", "--credential-type", "certificate",
                            "--signature-key-pem", key_pem, "--chain", chain_pem, "--not-before",
                            "1767225600", "--not-after", "1769817600", "--out", kp_bin, NULL};
    json_t *j = tl_cli_json(create, 0);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "bytes")) > 200, 1);
    char ref[65];
    snprintf(ref, sizeof ref, "%s", str(j, "key_package_ref"));
    json_decref(j);
    /* deterministic: the same command gives the same bytes */
    size_t n1, n2;
    char *a = tl_read(kp_bin, &n1);
    j = tl_cli_json(create, 0);
    json_decref(j);
    char *b = tl_read(kp_bin, &n2);
    ck_assert(n1 == n2 && memcmp(a, b, n1) == 0);
    free(a), free(b);
    /* every MLS check passes; the Approach 1 validator then finds that the fixture's certificate
     * bytes ("3000") are no certificate */
    const char *verify[] = {"keypackage", "verify", "--in", kp_bin, "--at", "1767300000", NULL};
    j = tl_cli_json(verify, 1);
    ck_assert_str_eq(str(j, "reason"), "CERT_PARSE");
    ck_assert_str_eq(str(j, "credential_type"), "stir_certificate");
    ck_assert_str_eq(str(j, "key_package_ref"), ref);
    ck_assert_str_eq(str(j, "format"), "mls_message");
    ck_assert(json_is_array(json_object_get(j, "identities")));
    json_decref(j);
    const char *expired[] = {"keypackage", "verify", "--in", kp_bin, "--at", "1769817601", NULL};
    j = tl_cli_json(expired, 1);
    ck_assert_str_eq(str(j, "reason"), "MLS_LIFETIME_EXPIRED");
    json_decref(j);
    const char *shorter[] = {"keypackage", "verify", "--in", kp_bin, "--at", "1767300000",
                             "--max-lifetime", "86400", NULL};
    j = tl_cli_json(shorter, 1);
    ck_assert_str_eq(str(j, "reason"), "MLS_LIFETIME_TOO_LONG");
    json_decref(j);
    const char *inspect[] = {"keypackage", "inspect", "--in", kp_bin, NULL};
    j = tl_cli_json(inspect, 0);
    json_t *certs = json_object_get(json_object_get(json_object_get(j, "leaf_node"), "credential"),
                                    "certificates");
    ck_assert_uint_eq(json_array_size(certs), 2);
    ck_assert_str_eq(json_string_value(json_array_get(certs, 0)), "3000");
    ck_assert_str_eq(json_string_value(json_array_get(certs, 1)), "300100");
    json_decref(j);
}
END_TEST

START_TEST(basic_passport_hex_and_bare)
{
    const char *basic[] = {"keypackage", "create", "--credential-type", "basic", "--identity",
                           "carol", "--signature-key-pem", key_pem, "--not-before", "100",
                           "--not-after", "200", "--bare", "--out", basic_bin, NULL};
    json_decref(tl_cli_json(basic, 0));
    const char *vb[] = {"keypackage", "verify", "--in", basic_bin, "--at", "150", NULL};
    json_t *j = tl_cli_json(vb, 1);
    ck_assert_str_eq(str(j, "reason"), "CRED_BASIC_NO_TN");
    ck_assert_str_eq(str(j, "format"), "key_package");
    json_decref(j);
    const char *pass[] = {"keypackage", "create", "--credential-type", "passport", "--passport",
                          pp_txt, "--signature-key-pem", key_pem, "--not-before", "100",
                          "--not-after", "200", "--hex", "--out", kp_hex, NULL};
    json_decref(tl_cli_json(pass, 0));
    const char *ins[] = {"keypackage", "inspect", "--in", kp_hex, "--hex", NULL};
    j = tl_cli_json(ins, 0);
    json_t *cred = json_object_get(json_object_get(j, "leaf_node"), "credential");
    ck_assert_str_eq(str(cred, "passport"), "aGVhZA.Ym9keQ.c2ln");
    ck_assert_str_eq(str(cred, "credential_type"), "stir_passport");
    json_decref(j);
    /* other codepoints: the KeyPackage's 0xF052 is then an unknown type */
    const char *other[] = {"keypackage", "verify", "--in", kp_hex, "--hex", "--at", "150",
                           "--stir-passport-type", "0xF0A2", NULL};
    j = tl_cli_json(other, 1);
    ck_assert_str_eq(str(j, "reason"), "CRED_TYPE_UNKNOWN");
    json_decref(j);
}
END_TEST

START_TEST(credential_verify)
{
    char path[600], key[140];
    snprintf(path, sizeof path, "%s/cred.hex", dir);
    tl_write_file(path, "f052" "03616263" "00", 14);
    stirmls_key *k = NULL;
    static const uint8_t seed[] = "mlscli";
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, "carol", &k), STIRMLS_R_OK);
    uint8_t pt[65];
    stirmls_key_point(k, pt);
    stirmls_key_free(k);
    stirmls_hex_encode(pt, 65, key);
    const char *v[] = {"credential", "verify", "--in", path, "--hex", "--signature-key", key,
                       "--at", "1", NULL};
    json_t *j = tl_cli_json(v, 1);
    ck_assert_str_eq(str(j, "reason"), "PPT_MALFORMED"); /* "abc" is no compact JWS */
    ck_assert_str_eq(str(j, "credential_type"), "stir_passport");
    json_decref(j);
    key[66] = 0; /* 33 bytes: a compressed-length key */
    j = tl_cli_json(v, 1);
    ck_assert_str_eq(str(j, "reason"), "MLS_KEY_FORMAT");
    json_decref(j);
}
END_TEST

struct usage_case {
    const char *name;
    const char *args[12];
};

static const struct usage_case usage_cases[] = {
    {"no subcommand", {"keypackage", NULL}},
    {"unknown subcommand", {"keypackage", "frobnicate", NULL}},
    {"verify without --at", {"keypackage", "verify", "--in", "/nonexistent", NULL}},
    {"verify missing file", {"keypackage", "verify", "--in", "/nonexistent", "--at", "1", NULL}},
    {"bad --at", {"keypackage", "verify", "--in", "/nonexistent", "--at", "x", NULL}},
    {"GREASE codepoint", {"keypackage", "verify", "--in", "/x", "--at", "1",
                          "--stir-certificate-type", "0x2A2A", NULL}},
    {"same codepoints", {"keypackage", "verify", "--in", "/x", "--at", "1",
                         "--stir-certificate-type", "0xF052", NULL}},
    {"unknown option", {"keypackage", "inspect", "--in", "/x", "--bogus", NULL}},
    {"create without key", {"keypackage", "create", "--credential-type", "basic", NULL}},
    {"credential without key", {"credential", "verify", "--in", "/x", "--at", "1", NULL}},
};

START_TEST(usage_errors)
{
    json_t *j = tl_cli_json(usage_cases[_i].args, 2);
    ck_assert_ptr_null(j);
}
END_TEST

START_TEST(help_for_each_verb)
{
    const char *a[] = {"keypackage", "--help", NULL};
    const char *b[] = {"credential", "--help", NULL};
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tl_run_cli(a, &out, &err), 0);
    ck_assert(strstr(out, "keypackage create") != NULL);
    free(out), free(err);
    ck_assert_int_eq(tl_run_cli(b, &out, &err), 0);
    ck_assert(strstr(out, "credential verify") != NULL);
    free(out), free(err);
}
END_TEST

Suite *mlscli_suite(void);
Suite *mlscli_suite(void)
{
    Suite *s = suite_create("mlscli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, create_then_verify_and_inspect);
    tcase_add_test(tc, basic_passport_hex_and_bare);
    tcase_add_test(tc, credential_verify);
    tcase_add_loop_test(tc, usage_errors, 0, (int)(sizeof usage_cases / sizeof usage_cases[0]));
    tcase_add_test(tc, help_for_each_verb);
    suite_add_tcase(s, tc);
    return s;
}
