/*
 * merge_test.c: `stirmls-harness merge` over runs of the fakes: disjoint implementations, the
 * same implementation in overlapping runs (the later run's result wins, case by case), a run of
 * a subset of the cases, runs of another suite (refused, or each result naming its suite with
 * --allow-mixed-suites), one name for two different hellos (refused unless renamed), and the
 * usage errors. The runs are made once (an unchecked fixture).
 */
#include "hxtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *runs_dir; /* DIR/<run>/ and DIR/other-vectors/ (the test suite without passport.json) */

/* run name, implementation name, fake mode, extra options; "@O" = the other suite's vectors */
static const char *const runs[][4] = {
    {"good", "f", "good", ""},
    {"wrong", "f", "reject-wrong", ""},
    {"wrong-chain", "f", "reject-wrong", "--filter chain/*"},
    {"o-good", "o", "good", ""},
    {"xss", "f", "xss", ""},
    {"other-suite", "f", "good", "@O"},
};

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[8192];
    size_t n;
    while (in && out && (n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    if (in)
        fclose(in);
    if (out)
        fclose(out);
}

static void make_runs(void)
{
    runs_dir = hxt_tmpdir();
    char *vec = hxt_vectors(), other[1024];
    snprintf(other, sizeof other, "%s/other-vectors", runs_dir);
    mkdir(other, 0777);
    static const char *const keep[] = {"chain.json", "credential.json", "key_package.json"};
    for (size_t i = 0; i < 3; i++) {
        char a[2048], b[2048];
        snprintf(a, sizeof a, "%s/%s", vec, keep[i]);
        snprintf(b, sizeof b, "%s/%s", other, keep[i]);
        copy_file(a, b);
    }
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        bool alt = strcmp(runs[i][3], "@O") == 0;
        hxt_fake_run(runs_dir, runs[i][0], runs[i][1], runs[i][2], alt ? other : vec, alt ? "" : runs[i][3]);
    }
    free(vec);
}

static void drop_runs(void)
{
    hxt_rmdir(runs_dir);
    free(runs_dir);
}

#define GOOD "chain/valid=PASS chain/expired=PASS chain/tagged=PASS credential/ok=PASS credential/mky=PASS " \
             "key_package/ok=PASS key_package/lifetime=PASS passport/ok=PASS passport/bad-sig=PASS "        \
             "passport/lenient=PASS passport/generate-basic=PASS"
#define WRONG_CHAIN "chain/valid=FAIL chain/expired=PASS_OTHER_REASON chain/tagged=FAIL"
#define WRONG WRONG_CHAIN " credential/ok=FAIL credential/mky=PASS_OTHER_REASON key_package/ok=FAIL " \
              "key_package/lifetime=PASS_OTHER_REASON passport/ok=FAIL passport/bad-sig=PASS_OTHER_REASON " \
              "passport/lenient=PASS passport/generate-basic=FAIL"

typedef struct {
    const char *name, *args; /* @R/NAME: the run NAME */
    int exit;
    const char *verdicts;    /* the merged report's results (hxt_verdicts), NULL: not checked */
    const char *out_has, *err_has;
    int with_suite;          /* results naming their suite: -1 not checked */
} merge_row;

static const merge_row rows[] = {
    {"disjoint", "@R/good @R/o-good", 0,
     "chain/valid=PASS chain/valid=PASS chain/expired=PASS chain/expired=PASS chain/tagged=PASS chain/tagged=PASS "
     "credential/ok=PASS credential/ok=PASS credential/mky=PASS credential/mky=PASS key_package/ok=PASS "
     "key_package/ok=PASS key_package/lifetime=PASS key_package/lifetime=PASS passport/ok=PASS passport/ok=PASS "
     "passport/bad-sig=PASS passport/bad-sig=PASS passport/lenient=PASS passport/lenient=PASS "
     "passport/generate-basic=PASS passport/generate-basic=PASS",
     "report: @T/out/index.html (2 runs merged)", NULL, 0},
    {"later_run_wins", "@R/good @R/wrong", 1, WRONG, "NOT OK: 11 results, 6 unexpected", NULL, 0},
    {"later_run_wins_reversed", "@R/wrong @R/good", 0, GOOD, "OK: 11 results, 0 unexpected", NULL, 0},
    {"overlap_by_case", "@R/good @R/wrong-chain", 1,
     WRONG_CHAIN " credential/ok=PASS credential/mky=PASS key_package/ok=PASS key_package/lifetime=PASS "
     "passport/ok=PASS passport/bad-sig=PASS passport/lenient=PASS passport/generate-basic=PASS",
     "NOT OK: 11 results, 2 unexpected", NULL, 0},
    {"subset_only", "@R/wrong-chain", 1, WRONG_CHAIN, "(1 runs merged)", NULL, 0},
    {"mismatched_suites", "@R/good @R/other-suite", 2, NULL, NULL,
     "other-suite ran suite ", -1},
    {"mixed_suites_allowed", "--allow-mixed-suites @R/other-suite @R/wrong-chain", 1,
     WRONG_CHAIN " credential/ok=PASS credential/mky=PASS key_package/ok=PASS key_package/lifetime=PASS",
     NULL, NULL, 7},
    {"conflicting_hellos", "@R/good @R/xss", 2, NULL, NULL,
     "says hello as 'fake 1.0', run 2 (@R/xss) as '<script>alert(1)</script>\\x1B[31mfake 1.0'; give one of "
     "them another name (--rename 2:f=NEW)", -1},
    {"renamed", "--rename 2:f=x --rename 1:f=g @R/good @R/xss", 1, NULL, "g: 11 results, 0 unexpected", NULL, 0},
    {"rename_bad_run", "--rename 3:f=x @R/good @R/xss", 2, NULL, NULL,
     "--rename 3:f=x: wants N:OLD=NEW, N the position of a run (1 to 2)", -1},
    {"rename_unknown_impl", "--rename 1:nope=x @R/good", 2, NULL, NULL,
     "--rename 1:nope=x: run 1 (@R/good) has no implementation of that name", -1},
    {"no_run", "", 2, NULL, NULL, "merge wants --out DIR and at least one RUN_DIR", -1},
    {"not_a_run", "@R/good @R/nonexistent", 2, NULL, NULL, "nonexistent: not a readable stirmls-report/1 report", -1},
};

/* s with @R replaced by the runs directory and @T by tmp (owned) */
static char *expand(const char *s, const char *tmp)
{
    size_t cap = strlen(s) * 4 + 4096, o = 0;
    char *out = malloc(cap);
    while (*s) {
        if (s[0] == '@' && (s[1] == 'R' || s[1] == 'T')) {
            o += (size_t)snprintf(out + o, cap - o, "%s", s[1] == 'R' ? runs_dir : tmp);
            s += 2;
        } else
            out[o++] = *s++;
    }
    out[o] = '\0';
    return out;
}

START_TEST(merge_rows)
{
    const merge_row *r = &rows[_i];
    char *tmp = hxt_tmpdir(), *vec = hxt_vectors(), outdir[1024];
    snprintf(outdir, sizeof outdir, "%s/out", tmp);
    char *args = expand(r->args, tmp);
    char *argv[24] = {(char *)hxt_harness(), "merge", "--vectors", vec, "--out", outdir};
    int n = 6;
    hxt_split(argv, &n, 22, args);
    int st = hxt_run(argv, tmp);
    char *out = hxt_slurp(tmp, "stdout.txt", NULL), *err = hxt_slurp(tmp, "stderr.txt", NULL);
    ck_assert_msg(st == r->exit, "%s: exit %d, want %d\n%s%s", r->name, st, r->exit, out, err);
    if (r->verdicts) {
        char *v = hxt_verdicts(outdir);
        ck_assert_msg(strcmp(v, r->verdicts) == 0, "%s: verdicts\n got  %s\n want %s", r->name, v, r->verdicts);
        free(v);
    }
    if (r->out_has) {
        char *want = expand(r->out_has, tmp);
        ck_assert_msg(strstr(out, want), "%s: stdout lacks '%s':\n%s", r->name, want, out);
        free(want);
    }
    if (r->err_has) {
        char *want = expand(r->err_has, tmp);
        ck_assert_msg(strstr(err, want), "%s: stderr lacks '%s':\n%s", r->name, want, err);
        free(want);
    }
    if (r->with_suite >= 0) {
        char *text = hxt_slurp(outdir, "report.json", NULL);
        json_t *rep = text ? json_loads(text, 0, NULL) : NULL, *res;
        size_t i, k = 0;
        json_array_foreach(json_object_get(rep, "results"), i, res)
            k += json_is_string(json_object_get(res, "suite"));
        ck_assert_msg(k == (size_t)r->with_suite, "%s: %zu results name their suite, want %d", r->name, k,
                      r->with_suite);
        ck_assert_msg(json_array_size(json_object_get(rep, "runs")) > 0, "%s: no runs in the report", r->name);
        json_decref(rep);
        free(text);
    }
    free(out), free(err), free(args), free(vec);
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

Suite *merge_suite(void);
Suite *merge_suite(void)
{
    Suite *s = suite_create("harness-merge");
    TCase *tc = tcase_create("merge");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, make_runs, drop_runs);
    tcase_add_loop_test(tc, merge_rows, 0, (int)(sizeof rows / sizeof rows[0]));
    suite_add_tcase(s, tc);
    return s;
}
