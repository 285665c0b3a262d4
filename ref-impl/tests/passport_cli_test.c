/* passport_cli_test.c: the CLI contract of `passport sign|verify` and `mky` (JSON out; exit 0
 * accept, 1 reject, 2 usage). The signer certificate is made by the openssl command line. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/passport_fixture.h"
#include "testlib/testlib.h"

#define MKY_KA "0C:C7:D2:9C:E9:6F:67:B5:69:80:28:A2:8D:9B:0B:34:23:E9:97:CC:E7:52:4D:D9:74:39:DE:FB:6D:94:15:39"
#define VPUB "04448971fc06de011d780cf68fd27e2570322d04079f529c3deb48a2015fdd828162c570264e051b5856e8111171fb0341907173aefa665682c2549af982a31483"

static char *dir;
static char p_key[512], p_cert[512], p_root[512], p_claims[512], p_tok[512], p_empty[512];

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* A signer key with a certificate chain to a root, claims bound to the vector key, and a token. */
static int setup_files(void)
{
    dir = tl_tmpdir();
    snprintf(p_root, sizeof p_root, "%s/root.pem", dir);
    snprintf(p_key, sizeof p_key, "%s/key.pem", dir);
    snprintf(p_cert, sizeof p_cert, "%s/cert.pem", dir);
    snprintf(p_claims, sizeof p_claims, "%s/claims.json", dir);
    snprintf(p_tok, sizeof p_tok, "%s/tok", dir);
    snprintf(p_empty, sizeof p_empty, "%s/empty", dir);
    stirmls_key *k = pf_signer();
    char *pem = stirmls_key_private_pem(k);
    put(p_key, pem);
    free(pem);
    pf_write_chain(p_root, p_cert);
    stirmls_key_free(k);
    put(p_claims, "{\"orig\":{\"tn\":\"12155551212\"},\"iat\":1700000000,\"dest\":{\"tn\":[\"12125551213\"]},"
                  "\"mky\":[{\"alg\":\"sha-256\",\"dig\":\"" MKY_KA "\"}]}\n");
    put(p_empty, "");
    return 1;
}

static json_t *run(const char *const *args, int want_exit)
{
    char *out = NULL, *err = NULL;
    int st = tl_run_cli(args, &out, &err);
    ck_assert_msg(st == want_exit, "%s %s: exit %d (stderr: %s)", args[0], args[1] ? args[1] : "", st, err);
    json_t *j = json_loads(out, 0, NULL);
    if (want_exit == 2) {
        ck_assert_str_eq(out, "");
        ck_assert_ptr_nonnull(strchr(err, '\n'));
        ck_assert_ptr_eq(strchr(err, '\n'), err + strlen(err) - 1); /* exactly one line */
    }
    free(out), free(err);
    return j;
}

static void sign_token(void)
{
    const char *a[] = {"passport", "sign", "--key", p_key, "--x5u", "https://cert.example.org/p.pem",
                       "--claims", p_claims, NULL};
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tl_run_cli(a, &out, &err), 0);
    put(p_tok, out);
    ck_assert_int_eq(out[strlen(out) - 1], '\n');
    free(out), free(err);
}

START_TEST(sign_then_verify)
{
    if (!setup_files())
        return;
    sign_token();
    const char *v[] = {"passport", "verify", "--passport", p_tok, "--chain", p_cert, "--trust", p_root,
                       "--at", "1700000100", "--signature-key", VPUB, NULL};
    json_t *j = run(v, 0);
    ck_assert_str_eq(json_string_value(json_object_get(j, "verdict")), "accept");
    json_t *id = json_array_get(json_object_get(j, "identities"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(id, "type")), "tn");
    ck_assert_str_eq(json_string_value(json_object_get(id, "value")), "12155551212");
    ck_assert(json_is_null(json_object_get(j, "attest")));
    ck_assert_int_eq(json_integer_value(json_object_get(j, "not_after")), 1700000000 + 604800);
    ck_assert_str_eq(json_string_value(json_object_get(j, "assurance")), "tn-authorized");
    json_decref(j);
    /* the last second of --max-age, then one past it */
    const char *edge[] = {"passport", "verify", "--passport", p_tok, "--chain", p_cert, "--trust", p_root,
                          "--at", "1700000060", "--max-age", "60", "--signature-key", VPUB, NULL};
    json_decref(run(edge, 0));
    edge[9] = "1700000061";
    j = run(edge, 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), "PPT_STALE");
    ck_assert_int_eq(json_array_size(json_object_get(j, "identities")), 0);
    json_decref(j);
    /* another MLS key: the mky binding fails */
    const char *other[] = {"passport", "verify", "--passport", p_tok, "--chain", p_cert, "--trust", p_root,
                           "--at", "1700000000", "--signature-key", "04aa", NULL};
    j = run(other, 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), "MKY_MISMATCH");
    json_decref(j);
    /* SIP profile: 60 s window, x5u required (it is there) */
    const char *sip[] = {"passport", "verify", "--passport", p_tok, "--chain", p_cert, "--trust", p_root,
                         "--at", "1700000061", "--profile", "sip", NULL};
    j = run(sip, 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), "PPT_STALE");
    json_decref(j);
    sip[9] = "1700000060";
    json_decref(run(sip, 0));
}
END_TEST

START_TEST(verify_rejects_and_usage)
{
    if (!setup_files())
        return;
    sign_token();
    /* a malformed token is a verdict (exit 1), with its reason */
    char bad[512];
    snprintf(bad, sizeof bad, "%s/bad", dir);
    put(bad, "eyJhbGciOiJub25lIn0=.e30.AA\n");
    const char *v[] = {"passport", "verify", "--passport", bad, "--chain", p_cert, "--trust", p_root,
                       "--at", "1700000000", "--signature-key", VPUB, NULL};
    json_t *j = run(v, 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), "B64URL_PADDING");
    json_decref(j);
    /* usage errors: exit 2, one line on stderr, nothing on stdout */
    const char *nokey[] = {"passport", "verify", "--passport", p_tok, "--chain", p_cert, "--trust", p_root,
                           "--at", "1700000000", NULL};
    run(nokey, 2);
    const char *empty[] = {"passport", "verify", "--passport", p_empty, "--chain", p_cert, "--trust", p_root,
                           "--at", "1700000000", "--signature-key", VPUB, NULL};
    run(empty, 2);
    const char *nochain[] = {"passport", "verify", "--passport", p_tok, "--chain", p_claims, "--trust", p_root,
                             "--at", "1700000000", "--signature-key", VPUB, NULL};
    run(nochain, 2);
    const char *badat[] = {"passport", "verify", "--passport", p_tok, "--chain", p_cert, "--trust", p_root,
                           "--at", "soon", "--signature-key", VPUB, NULL};
    run(badat, 2);
    const char *badppt[] = {"passport", "sign", "--key", p_key, "--x5u", "https://a", "--claims", p_claims,
                            "--ppt", "msg", NULL};
    run(badppt, 2);
    const char *notjson[] = {"passport", "sign", "--key", p_key, "--x5u", "https://a", "--claims", p_key, NULL};
    run(notjson, 2);
    const char *nosub[] = {"passport", NULL};
    run(nosub, 2);
    const char *help[] = {"passport", "verify", "--help", NULL};
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tl_run_cli(help, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "usage:"));
    free(out), free(err);
}
END_TEST

START_TEST(mky_cli_known_answer)
{
    const char *a[] = {"mky", "--signature-key", VPUB, NULL};
    json_t *j = run(a, 0);
    ck_assert_str_eq(json_string_value(json_object_get(j, "alg")), "sha-256");
    ck_assert_str_eq(json_string_value(json_object_get(j, "dig")), MKY_KA);
    json_decref(j);
    const char *bad[] = {"mky", "--signature-key", "xyz", NULL};
    run(bad, 2);
    const char *none[] = {"mky", NULL};
    run(none, 2);
}
END_TEST

START_TEST(strict_lenient_and_rcd)
{
    if (!setup_files())
        return;
    /* a token whose header is not in deterministic form, signed by the same key */
    char *tok = pf_token("{\"typ\":\"passport\", \"alg\":\"ES256\"}", PF_C0);
    put(p_tok, tok);
    free(tok);
    const char *v[] = {"passport", "verify", "--passport", p_tok, "--chain", p_cert, "--trust", p_root,
                       "--at", "1443208345", "--signature-key", "@", "--strict", NULL};
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    char hex[2 * STIRMLS_P256_POINT_LEN + 1];
    stirmls_key *k = pf_mls_key();
    stirmls_key_point(k, pt);
    stirmls_key_free(k);
    stirmls_hex_encode(pt, sizeof pt, hex);
    v[11] = hex;
    json_t *j = run(v, 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reason")), "JSON_NONCANONICAL");
    json_decref(j);
    v[12] = "--lenient";
    json_decref(run(v, 0));
    /* sign --ppt rcd: the rcd claim is surfaced */
    put(p_claims, "{\"orig\":{\"tn\":\"12155551212\"},\"iat\":1700000000,\"dest\":{\"tn\":[\"12125551213\"]},"
                  "\"mky\":[{\"alg\":\"sha-256\",\"dig\":\"" MKY_KA "\"}],\"rcd\":{\"nam\":\"Alice\"}}");
    const char *a[] = {"passport", "sign", "--key", p_key, "--x5u", "https://cert.example.org/p.pem",
                       "--claims", p_claims, "--ppt", "rcd", NULL};
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tl_run_cli(a, &out, &err), 0);
    put(p_tok, out);
    free(out), free(err);
    const char *r[] = {"passport", "verify", "--passport", p_tok, "--chain", p_cert, "--trust", p_root,
                       "--at", "1700000000", "--signature-key", VPUB, NULL};
    j = run(r, 0);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "rcd"), "nam")), "Alice");
    json_decref(j);
}
END_TEST

static void teardown(void)
{
    if (dir != NULL) {
        tl_rmdir(dir);
        free(dir);
        dir = NULL;
    }
}

Suite *passport_cli_suite(void);
Suite *passport_cli_suite(void)
{
    Suite *s = suite_create("passport_cli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, sign_then_verify);
    tcase_add_test(tc, verify_rejects_and_usage);
    tcase_add_test(tc, mky_cli_known_answer);
    tcase_add_test(tc, strict_lenient_and_rcd);
    suite_add_tcase(s, tc);
    return s;
}
