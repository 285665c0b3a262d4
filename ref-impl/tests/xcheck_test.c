/* xcheck_test.c: cross-checks with independent implementations from Debian packages, run when
 * present and skipped with a message when not:
 *   python3-jwcrypto: PASSporTs it signs verify here (strict mode), and ours verify there;
 *   secsipidx:        it verifies a SIP-profile (shaken) PASSporT we sign, we verify one it signs.
 * The helpers are ref-impl/tests/xcheck/jwcrypto_xcheck.py and secsipidx_xcheck.sh. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "stirmls.h"
#include "testlib/passport_fixture.h"
#include "testlib/testlib.h"

#define PY "/usr/bin/python3"
#define SIP_IAT 1700000000
#define SHAKEN_ID "123e4567-e89b-12d3-a456-426655440000"

static int sh(const char *fmt, ...) STIRMLS_PRINTF(1, 2);
static int sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void put_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static char *get_file(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *s = tl_read(path, NULL);
    ck_assert_ptr_nonnull(s);
    char *end = s + strlen(s);
    while (end > s && (end[-1] == '\n' || end[-1] == '\r'))
        *--end = 0;
    return s;
}

/* Write the signer's private and public keys as PEM files. */
static void write_keys(const char *dir)
{
    stirmls_key *k = pf_signer();
    char *priv = stirmls_key_private_pem(k), *pub = stirmls_key_public_pem(k);
    put_file(dir, "key.pem", priv);
    put_file(dir, "pub.pem", pub);
    free(priv), free(pub);
    stirmls_key_free(k);
}

static int have_jwcrypto(void)
{
    if (!tl_have(PY) || sh(PY " %s probe", tl_repo_path("ref-impl/tests/xcheck/jwcrypto_xcheck.py")) != 0) {
        fprintf(stderr, "SKIP: python3-jwcrypto not installed; jwcrypto cross-checks not run\n");
        return 0;
    }
    return 1;
}

static int have_secsipidx(void)
{
    if (!tl_have("secsipidx")) {
        fprintf(stderr, "SKIP: secsipidx not installed; secsipidx cross-checks not run\n");
        return 0;
    }
    return 1;
}

START_TEST(jwcrypto_signs_we_verify)
{
    if (!have_jwcrypto())
        return;
    char *dir = tl_tmpdir(), *claims = pf_fill(PF_C0);
    write_keys(dir);
    put_file(dir, "claims.json", claims);
    ck_assert_int_eq(sh(PY " %s sign %s/key.pem https://cert.example.org/passport.pem %s/claims.json > %s/tok",
                        tl_repo_path("ref-impl/tests/xcheck/jwcrypto_xcheck.py"), dir, dir, dir), 0);
    char *tok = get_file(dir, "tok");
    stirmls_detail d;
    stirmls_detail_init(&d);
    ck_assert_msg(pf_verify(tok, 0, PF_IAT, UINT64_MAX, NULL, &d) == STIRMLS_R_OK, "%s: %s",
                  stirmls_reason_name(d.reason), d.text);
    /* and it is byte-for-byte what we sign (same deterministic JSON, same RFC 6979 nonce is not
     * guaranteed there, so compare only header and claims) */
    stirmls_key *k = pf_signer();
    char *ours = NULL;
    ck_assert_int_eq(stirmls_passport_sign(k, "https://cert.example.org/passport.pem", NULL, claims,
                                           strlen(claims), &ours, NULL), STIRMLS_R_OK);
    ck_assert(strncmp(ours, tok, (size_t)(strrchr(ours, '.') - ours)) == 0);
    stirmls_key_free(k);
    free(ours), free(tok), free(claims);
    tl_rmdir(dir);
    free(dir);
}
END_TEST

/* PPT-16 / OQ-12 with an outside signer: a non-deterministic layout is rejected in strict mode
 * and accepted in lenient mode, because the signature covers the received bytes. */
START_TEST(jwcrypto_loose_layout_strict_vs_lenient)
{
    if (!have_jwcrypto())
        return;
    char *dir = tl_tmpdir(), *claims = pf_fill(PF_C0);
    write_keys(dir);
    put_file(dir, "claims.json", claims);
    ck_assert_int_eq(sh(PY " %s sign-loose %s/key.pem https://cert.example.org/passport.pem %s/claims.json > %s/tok",
                        tl_repo_path("ref-impl/tests/xcheck/jwcrypto_xcheck.py"), dir, dir, dir), 0);
    char *tok = get_file(dir, "tok");
    ck_assert_int_eq(pf_verify(tok, 0, PF_IAT, UINT64_MAX, NULL, NULL), STIRMLS_R_JSON_NONCANONICAL);
    ck_assert_int_eq(pf_verify(tok, PF_LENIENT, PF_IAT, UINT64_MAX, NULL, NULL), STIRMLS_R_OK);
    free(tok), free(claims);
    tl_rmdir(dir);
    free(dir);
}
END_TEST

START_TEST(we_sign_jwcrypto_verifies)
{
    if (!have_jwcrypto())
        return;
    char *dir = tl_tmpdir(), *tok = pf_token(PF_H0, PF_C0);
    write_keys(dir);
    put_file(dir, "tok", tok);
    const char *py = tl_repo_path("ref-impl/tests/xcheck/jwcrypto_xcheck.py");
    ck_assert_int_eq(sh(PY " %s verify %s/pub.pem %s/tok", py, dir, dir), 0);
    /* the checker can say no: flip one signature character */
    char *last = strrchr(tok, '.') + 5;
    *last = *last == 'A' ? 'B' : 'A';
    put_file(dir, "bad", tok);
    ck_assert_int_eq(sh(PY " %s verify %s/pub.pem %s/bad 2>/dev/null", py, dir, dir), 1);
    free(tok);
    tl_rmdir(dir);
    free(dir);
}
END_TEST

START_TEST(secsipidx_verifies_ours)
{
    if (!have_secsipidx())
        return;
    char *dir = tl_tmpdir(), *tok = NULL;
    write_keys(dir);
    const char *claims = "{\"attest\":\"A\",\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":1700000000,"
                         "\"orig\":{\"tn\":\"12155551212\"},\"origid\":\"" SHAKEN_ID "\"}";
    stirmls_key *k = pf_signer();
    ck_assert_int_eq(stirmls_passport_sign(k, "https://127.0.0.1/cert.pem", "shaken", claims,
                                           strlen(claims), &tok, NULL), STIRMLS_R_OK);
    stirmls_key_free(k);
    ck_assert_int_eq(pf_verify(tok, PF_SIP, SIP_IAT, UINT64_MAX, NULL, NULL), STIRMLS_R_OK);
    char full[2048];
    snprintf(full, sizeof full, "%s;info=<https://127.0.0.1/cert.pem>;alg=ES256;ppt=shaken", tok);
    put_file(dir, "identity", full);
    const char *helper = tl_repo_path("ref-impl/tests/xcheck/secsipidx_xcheck.sh");
    ck_assert_int_eq(sh("%s verify %s/pub.pem %s/identity", helper, dir, dir), 0);
    full[strlen(tok) - 3] ^= 1; /* a signature character */
    put_file(dir, "bad", full);
    ck_assert_int_ne(sh("%s verify %s/pub.pem %s/bad 2>/dev/null", helper, dir, dir), 0);
    free(tok);
    tl_rmdir(dir);
    free(dir);
}
END_TEST

START_TEST(we_verify_secsipidx)
{
    if (!have_secsipidx())
        return;
    char *dir = tl_tmpdir();
    write_keys(dir);
    ck_assert_int_eq(sh("%s sign %s/key.pem https://127.0.0.1/cert.pem %d 12155551212 12125551213 > %s/identity",
                        tl_repo_path("ref-impl/tests/xcheck/secsipidx_xcheck.sh"), dir, SIP_IAT, dir), 0);
    char *full = get_file(dir, "identity");
    /* the CLI takes the whole Identity header value in the SIP profile (info must equal x5u) */
    {
        char idf[1024], certf[1024], rootf[1024], *out = NULL, *err = NULL;
        snprintf(idf, sizeof idf, "%s/identity", dir);
        snprintf(certf, sizeof certf, "%s/cert.pem", dir);
        snprintf(rootf, sizeof rootf, "%s/root.pem", dir);
        pf_write_chain(rootf, certf);
        const char *a[] = {"passport", "verify", "--passport", idf, "--chain", certf, "--trust", rootf,
                           "--at", "1700000030", "--profile", "sip", NULL};
        ck_assert_msg(tl_run_cli(a, &out, &err) == 0, "%s %s", out, err);
        ck_assert_ptr_nonnull(strstr(out, "\"attest\":\"A\""));
        free(out), free(err);
    }
    char *semi = strchr(full, ';');
    ck_assert_ptr_nonnull(semi);
    ck_assert_str_eq(semi, ";info=<https://127.0.0.1/cert.pem>;alg=ES256;ppt=shaken");
    *semi = 0; /* the SIP header parameters; the token is what we verify */
    stirmls_detail d;
    stirmls_detail_init(&d);
    ck_assert_msg(pf_verify(full, PF_SIP, SIP_IAT + 10, UINT64_MAX, NULL, &d) == STIRMLS_R_OK, "%s: %s",
                  stirmls_reason_name(d.reason), d.text);
    /* its JSON is in deterministic form too: strict and lenient agree */
    ck_assert_int_eq(pf_verify(full, PF_SIP | PF_LENIENT, SIP_IAT, UINT64_MAX, NULL, NULL), STIRMLS_R_OK);
    ck_assert_int_eq(pf_verify(full, PF_SIP, SIP_IAT + 61, UINT64_MAX, NULL, NULL), STIRMLS_R_PPT_STALE);
    free(full);
    tl_rmdir(dir);
    free(dir);
}
END_TEST

Suite *xcheck_suite(void);
Suite *xcheck_suite(void)
{
    Suite *s = suite_create("xcheck");
    TCase *tc = tcase_create("independent");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, jwcrypto_signs_we_verify);
    tcase_add_test(tc, jwcrypto_loose_layout_strict_vs_lenient);
    tcase_add_test(tc, we_sign_jwcrypto_verifies);
    tcase_add_test(tc, secsipidx_verifies_ours);
    tcase_add_test(tc, we_verify_secsipidx);
    suite_add_tcase(s, tc);
    return s;
}
