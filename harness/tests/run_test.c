/*
 * run_test.c: the harness end to end against fake implementations. Each row names a fake mode,
 * extra harness options and an optional expectation file, and predicts the exit status and the
 * exact verdict of every selected case, in report order.
 */
#include "hxtest.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ALL_PASS \
    "chain/valid=PASS chain/expired=PASS chain/tagged=PASS credential/ok=PASS credential/mky=PASS " \
    "key_package/ok=PASS key_package/lifetime=PASS passport/ok=PASS passport/bad-sig=PASS " \
    "passport/lenient=PASS passport/generate-basic=PASS"

#define UNIMPLEMENTED \
    "chain/valid=UNSUPPORTED chain/expired=UNSUPPORTED chain/tagged=UNSUPPORTED " \
    "credential/ok=UNSUPPORTED credential/mky=UNSUPPORTED key_package/ok=UNSUPPORTED " \
    "key_package/lifetime=UNSUPPORTED passport/ok=SKIP passport/bad-sig=UNSUPPORTED " \
    "passport/lenient=UNSUPPORTED passport/generate-basic=UNSUPPORTED"

typedef struct {
    const char *name, *mode, *args, *yaml;
    int exit;
    const char *verdicts;
} row;

/* What the terminal summary of some rows must say, by row name. */
static const struct {
    const char *row, *stdout_has;
} says[] = {
    {"unimplemented", "f judged no case: all 11 results are UNSUPPORTED or SKIP"},
    {"unimplemented_allowed", "allowed by --allow-unsupported-only"},
    {"documented_tags_judged_nothing",
     "warning: f's hello claims tags no case of the suite carries: [\"needs-passport\",\"needs-x5u\"] "
     "(the suite's tags: needs-generate, needs-x)"},
    {"documented_tags_judged_nothing", "f judged no case: all 2 results"},
    {"documented_tags_warned", "warning: f's hello claims tags"},
};

static const row rows[] = {
    {"good", "good", "", NULL, 0, ALL_PASS},
    {"accept_all", "accept-all", "", NULL, 1,
     "chain/valid=PASS chain/expired=FAIL chain/tagged=PASS credential/ok=PASS credential/mky=FAIL "
     "key_package/ok=PASS key_package/lifetime=FAIL passport/ok=PASS passport/bad-sig=FAIL "
     "passport/lenient=PASS passport/generate-basic=PASS"},
    {"accept_all_policy_reject", "accept-all", "--filter passport/*", "policy:\n  allow_lenient: reject\n", 1,
     "passport/ok=PASS passport/bad-sig=FAIL passport/lenient=FAIL passport/generate-basic=PASS"},
    {"accept_all_policy_accept", "accept-all", "--filter passport/* --filter -*bad-sig",
     "policy:\n  allow_lenient: accept\n", 0,
     "passport/ok=PASS passport/lenient=PASS passport/generate-basic=PASS"},
    {"reject_wrong", "reject-wrong", "", NULL, 1,
     "chain/valid=FAIL chain/expired=PASS_OTHER_REASON chain/tagged=FAIL credential/ok=FAIL "
     "credential/mky=PASS_OTHER_REASON key_package/ok=FAIL key_package/lifetime=PASS_OTHER_REASON "
     "passport/ok=FAIL passport/bad-sig=PASS_OTHER_REASON passport/lenient=PASS "
     "passport/generate-basic=FAIL"},
    {"reject_wrong_rejects_only", "reject-wrong", "--filter chain/expired --filter credential/mky", NULL, 0,
     "chain/expired=PASS_OTHER_REASON credential/mky=PASS_OTHER_REASON"},
    {"reject_wrong_strict", "reject-wrong", "--filter chain/expired --filter credential/mky --strict-reasons",
     NULL, 1, "chain/expired=PASS_OTHER_REASON credential/mky=PASS_OTHER_REASON"},
    {"crash_third", "crash3", "", NULL, 1,
     "chain/valid=PASS chain/expired=CRASH chain/tagged=PASS credential/ok=PASS credential/mky=PASS "
     "key_package/ok=PASS key_package/lifetime=PASS passport/ok=PASS passport/bad-sig=PASS "
     "passport/lenient=PASS passport/generate-basic=PASS"},
    {"hang", "hang", "--filter chain/* --timeout 0.3", NULL, 1,
     "chain/valid=TIMEOUT chain/expired=TIMEOUT chain/tagged=TIMEOUT"},
    {"garbage", "garbage", "--filter chain/*", NULL, 1,
     "chain/valid=PROTOCOL_ERROR chain/expired=PROTOCOL_ERROR chain/tagged=PROTOCOL_ERROR"},
    {"wrong_id", "wrong-id", "--filter chain/valid", NULL, 1, "chain/valid=PROTOCOL_ERROR"},
    {"huge_line", "huge", "--filter chain/valid", NULL, 1, "chain/valid=PROTOCOL_ERROR"},
    /* a run that judged nothing is not green, unless asked for */
    {"unimplemented", "unimplemented", "",
     "skip:\n  - case: passport/ok\n    reason: not for this test\npolicy:\n  allow_lenient: accept\n", 1,
     UNIMPLEMENTED},
    {"unimplemented_allowed", "unimplemented", "--allow-unsupported-only",
     "skip:\n  - case: passport/ok\n    reason: not for this test\npolicy:\n  allow_lenient: accept\n", 0,
     UNIMPLEMENTED},
    {"documented_tags_judged_nothing", "doc-tags", "--filter chain/tagged --filter passport/generate-*", NULL, 1,
     "chain/tagged=UNSUPPORTED passport/generate-basic=UNSUPPORTED"},
    {"documented_tags_warned", "doc-tags", "--filter chain/*", NULL, 0,
     "chain/valid=PASS chain/expired=PASS chain/tagged=UNSUPPORTED"},
    {"limited_kinds_and_tags", "limited", "--filter chain/* --filter credential/*", NULL, 0,
     "chain/valid=PASS chain/expired=PASS chain/tagged=UNSUPPORTED credential/ok=UNSUPPORTED "
     "credential/mky=UNSUPPORTED"},
    {"xpass_fails_the_run", "good", "--filter chain/*",
     "xfail:\n  - case: chain/valid\n    reason: known bug\n", 1,
     "chain/valid=XPASS chain/expired=PASS chain/tagged=PASS"},
    {"xfail", "accept-all", "--filter chain/expired --filter credential/mky",
     "xfail:\n  - case: chain/expired\n    reason: known\n    expect_reason: CERT_EXPIRED\n"
     "  - case: credential/*\n    reason: known\n", 1,
     "chain/expired=FAIL credential/mky=XFAIL"},
    {"xfail_all_expected", "accept-all", "--filter credential/mky",
     "xfail:\n  - case: credential/mky\n    reason: known\n", 0, "credential/mky=XFAIL"},
    {"answers_twice", "twice", "--filter chain/*", NULL, 1,
     "chain/valid=PROTOCOL_ERROR chain/expired=PROTOCOL_ERROR chain/tagged=PROTOCOL_ERROR"},
    {"drip", "drip", "--filter chain/valid --filter chain/expired --timeout 0.5", NULL, 1,
     "chain/valid=TIMEOUT chain/expired=TIMEOUT"},
    {"close_stdout", "close-stdout", "--filter chain/valid --filter chain/expired", NULL, 1,
     "chain/valid=CRASH chain/expired=CRASH"},
    {"die_midline", "die-midline", "--filter chain/valid --filter chain/expired", NULL, 1,
     "chain/valid=CRASH chain/expired=CRASH"},
    {"bad_utf8", "bad-utf8", "--filter chain/valid", NULL, 1, "chain/valid=PROTOCOL_ERROR"},
    {"jobs_two", "good", "--jobs 2", NULL, 0, ALL_PASS},
    {"missing_binary", NULL, "--filter chain/*", NULL, 1,
     "chain/valid=CRASH chain/expired=CRASH chain/tagged=CRASH"},
};

static void run_row(const row *r, const char *tmp, const char *out, int *status)
{
    char *fake = hxt_fake(), *vec = hxt_vectors();
    char impl[4096], exp[4096], extra[1024];
    if (r->mode)
        snprintf(impl, sizeof impl, "f=%s --vectors %s --state %s/state %s", fake, vec, tmp, r->mode);
    else
        snprintf(impl, sizeof impl, "f=%s/does-not-exist", tmp);
    char *argv[64] = {(char *)hxt_harness(), "run", "--impl", impl, "--vectors", vec, "--out",
                      (char *)out, "--timeout", "5"};
    int n = 10;
    snprintf(extra, sizeof extra, "%s", r->args);
    hxt_split(argv, &n, 60, extra);
    if (r->yaml) {
        char path[1024];
        snprintf(path, sizeof path, "%s/exp.yaml", tmp);
        FILE *f = fopen(path, "w");
        fputs(r->yaml, f);
        fclose(f);
        snprintf(exp, sizeof exp, "f=%s", path);
        argv[n++] = "--expectations";
        argv[n++] = exp;
        argv[n] = NULL;
    }
    *status = hxt_run(argv, tmp);
    free(fake);
    free(vec);
}

START_TEST(fake_rows)
{
    const row *r = &rows[_i];
    char *tmp = hxt_tmpdir();
    char out[512];
    snprintf(out, sizeof out, "%s/out", tmp);
    int status = -1;
    run_row(r, tmp, out, &status);
    char *verdicts = hxt_verdicts(out);
    ck_assert_msg(strcmp(verdicts, r->verdicts) == 0, "%s: verdicts\n got  %s\n want %s", r->name,
                  verdicts, r->verdicts);
    ck_assert_msg(status == r->exit, "%s: exit %d, want %d", r->name, status, r->exit);
    for (size_t i = 0; i < sizeof says / sizeof says[0]; i++) {
        if (strcmp(says[i].row, r->name) != 0)
            continue;
        char *so = hxt_slurp(tmp, "stdout.txt", NULL);
        ck_assert_msg(so && strstr(so, says[i].stdout_has), "%s: stdout lacks '%s':\n%s", r->name,
                      says[i].stdout_has, so);
        free(so);
    }
    static const char *const files[] = {"report.json", "junit.xml", "summary.md", "index.html",
                                        "results.jsonl"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *t = hxt_slurp(out, files[i], NULL);
        ck_assert_msg(t && t[0], "%s: %s missing or empty", r->name, files[i]);
        free(t);
    }
    free(verdicts);
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

Suite *run_suite(void);
Suite *run_suite(void)
{
    Suite *s = suite_create("harness-run");
    TCase *tc = tcase_create("fakes");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, fake_rows, 0, (int)(sizeof rows / sizeof rows[0]));
    suite_add_tcase(s, tc);
    return s;
}
