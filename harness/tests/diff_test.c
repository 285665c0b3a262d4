/*
 * diff_test.c: `stirmls-harness diff` over runs of the fakes: every change class (regressed,
 * fixed, changed verdict or reason, whether expected or not, added, removed), the generate matrix
 * cells, the exit status, the Markdown form and the usage errors. The runs are made once (an
 * unchecked fixture) and every row diffs two of them.
 */
#include "hxtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *runs_dir; /* the fixture's runs: DIR/<name>/report.json */

/* name, fake mode, extra options */
static const char *const runs[][3] = {
    {"good", "good", ""},
    {"wrong", "reject-wrong", ""},
    {"wrong-strict", "reject-wrong", "--strict-reasons"},
    {"accept", "accept-all", ""},
    {"chain-only", "good", "--filter chain/*"},
};

static void make_runs(void)
{
    runs_dir = hxt_tmpdir();
    char *vec = hxt_vectors();
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
        hxt_fake_run(runs_dir, runs[i][0], "f", runs[i][1], vec, runs[i][2]);
    free(vec);
}

static void drop_runs(void)
{
    hxt_rmdir(runs_dir);
    free(runs_dir);
}

typedef struct {
    const char *name, *args; /* @R/NAME stands for the run NAME */
    int exit;
    const char *has[4];      /* lines stdout must hold */
    const char *lacks;       /* text stdout must not hold */
    const char *stderr_has;
} diff_row;

#define USAGE "diff wants [--markdown] OLD_RUN NEW_RUN"

static const diff_row rows[] = {
    {"same_run", "@R/good @R/good", 0,
     {"0 regressed, 0 fixed, 0 changed, 0 added, 0 removed\n"}, "regressed ", NULL},
    {"regressed", "@R/good @R/wrong", 1,
     {"7 regressed, 0 fixed, 5 changed, 0 added, 0 removed\n",
      "regressed f chain/valid: PASS (accept) -> FAIL (reject WRONG_REASON)\n",
      "regressed f passport/generate-basic <- f: PASS (accept) -> FAIL (reject WRONG_REASON)\n",
      "changed   f chain/expired: PASS (reject CERT_EXPIRED) -> PASS_OTHER_REASON (reject WRONG_REASON)\n"},
     "fixed ", NULL},
    {"fixed", "@R/wrong/report.json @R/good", 0,
     {"0 regressed, 7 fixed, 5 changed",
      "fixed     f chain/valid: FAIL (reject WRONG_REASON) -> PASS (accept)\n",
      "changed   f passport/lenient: PASS (reject WRONG_REASON) -> PASS (accept)\n"},
     "regressed ", NULL},
    /* with --strict-reasons PASS_OTHER_REASON is unexpected: a wrong reason becoming an acceptance
     * stays unexpected (changed), a wrong reason on an accept case becomes PASS (fixed) */
    {"changed_unexpected", "@R/wrong-strict @R/accept", 0,
     {"changed   f chain/expired: PASS_OTHER_REASON (reject WRONG_REASON) -> FAIL (accept)\n",
      "fixed     f chain/valid: FAIL (reject WRONG_REASON) -> PASS (accept)\n"},
     "regressed ", NULL},
    {"strict_regressed", "@R/wrong @R/wrong-strict", 1,
     {"regressed f chain/expired: PASS_OTHER_REASON (reject WRONG_REASON) -> PASS_OTHER_REASON (reject WRONG_REASON)\n"},
     "changed ", NULL},
    {"removed", "@R/good @R/chain-only", 0,
     {"0 regressed, 0 fixed, 0 changed, 0 added, 9 removed\n",
      "removed   f passport/ok: PASS (accept) -> -\n"},
     "chain/valid", NULL},
    {"added", "@R/chain-only @R/wrong", 1,
     {"2 regressed, 0 fixed, 1 changed, 9 added, 0 removed\n", "regressed f chain/valid:",
      "added     f passport/ok: - -> FAIL (reject WRONG_REASON)\n"},
     NULL, NULL},
    {"markdown", "--markdown @R/good @R/wrong", 1,
     {"## stirmls-harness diff\n", "**7 regressed**, **0 fixed**, **5 changed**",
      "### regressed\n\n| implementation | case | before | after |\n|---|---|---|---|\n",
      "| f | key\\_package/ok | PASS (accept) | FAIL (reject WRONG\\_REASON) |\n"},
     "### fixed", NULL},
    {"one_run", "@R/good", 2, {NULL}, NULL, USAGE},
    {"three_runs", "@R/good @R/good @R/good", 2, {NULL}, NULL, USAGE},
    {"unknown_option", "--frob @R/good @R/good", 2, {NULL}, NULL, USAGE},
    {"missing_run", "@R/good @R/nonexistent", 2, {NULL}, NULL,
     "nonexistent: not a readable stirmls-report/1 report"},
    {"not_a_report", "@R/good @R/good/summary.md", 2, {NULL}, NULL,
     "summary.md: not a readable stirmls-report/1 report"},
};

START_TEST(diff_rows)
{
    const diff_row *r = &rows[_i];
    char *tmp = hxt_tmpdir(), args[4096], *argv[16] = {(char *)hxt_harness(), "diff"};
    int n = 2;
    /* @R -> the runs directory */
    const char *s = r->args;
    size_t o = 0;
    while (*s && o + strlen(runs_dir) + 2 < sizeof args) {
        if (s[0] == '@' && s[1] == 'R') {
            o += (size_t)snprintf(args + o, sizeof args - o, "%s", runs_dir);
            s += 2;
        } else
            args[o++] = *s++;
    }
    args[o] = '\0';
    hxt_split(argv, &n, 14, args);
    int st = hxt_run(argv, tmp);
    char *out = hxt_slurp(tmp, "stdout.txt", NULL), *err = hxt_slurp(tmp, "stderr.txt", NULL);
    ck_assert_msg(st == r->exit, "%s: exit %d, want %d\n%s%s", r->name, st, r->exit, out, err);
    for (size_t k = 0; k < 4 && r->has[k]; k++)
        ck_assert_msg(strstr(out, r->has[k]), "%s: stdout lacks '%s':\n%s", r->name, r->has[k], out);
    if (r->lacks)
        ck_assert_msg(!strstr(out, r->lacks), "%s: stdout holds '%s':\n%s", r->name, r->lacks, out);
    if (r->stderr_has)
        ck_assert_msg(strstr(err, r->stderr_has), "%s: stderr lacks '%s':\n%s", r->name, r->stderr_has, err);
    if (r->exit == 2)
        ck_assert_msg(out[0] == '\0', "%s: a usage error printed a diff:\n%s", r->name, out);
    free(out);
    free(err);
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

Suite *diff_suite(void);
Suite *diff_suite(void)
{
    Suite *s = suite_create("harness-diff");
    TCase *tc = tcase_create("diff");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, make_runs, drop_runs);
    tcase_add_loop_test(tc, diff_rows, 0, (int)(sizeof rows / sizeof rows[0]));
    suite_add_tcase(s, tc);
    return s;
}
