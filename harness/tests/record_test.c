/*
 * record_test.c: `run --record DIR` and `record`: the reference and a fake that gets every
 * verdict wrong (reject-wrong, whose own artefact is junk) over the repository's generate cases.
 * The recorded family is byte-stable (recorded twice, by the run option and by the subcommand,
 * and recorded again into the same directory: the same bytes, no duplicate case; one artefact
 * recorded from two runs is one case with both runs' verdicts), it loads as a
 * suite and replays with the verdicts the verifiers gave during the run, and the fake's artefact,
 * which no verifier judged as expected, is recorded with that outcome.
 */
#include "hxtest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;       /* the fixture's directory */
static int run_status;  /* of the recording run */

static const char *repo(void) { return getenv("HX_REPO_VECTORS"); }
static const char *cli(void) { return getenv("HX_STIRMLS"); }

static int harness(const char *args)
{
    char buf[4096], *argv[32] = {(char *)hxt_harness()};
    int n = 1;
    snprintf(buf, sizeof buf, "%s", args);
    hxt_split(argv, &n, 30, buf);
    return hxt_run(argv, dir);
}

static void impls(char *out, size_t n)
{
    char *fake = hxt_fake();
    snprintf(out, n, "--impl stirmls=%s\tserve --impl wrong=%s\treject-wrong", cli(), fake);
    free(fake);
}

static void setup(void)
{
    dir = hxt_tmpdir();
    if (!repo() || !cli())
        return;
    setenv("SOURCE_DATE_EPOCH", "1780272000", 1);
    char im[2048], args[4096];
    impls(im, sizeof im);
    snprintf(args, sizeof args, "run %s --vectors %s --filter generate/* --out %s/run --record %s/rec1", im,
             repo(), dir, dir);
    run_status = harness(args);
}

static void teardown(void)
{
    hxt_rmdir(dir);
    free(dir);
}

static char *slurp2(const char *sub, const char *name)
{
    char d[2048];
    snprintf(d, sizeof d, "%s/%s", dir, sub);
    return hxt_slurp(d, name, NULL);
}


START_TEST(byte_stable)
{
    if (!repo() || !cli())
        return;
    ck_assert_msg(run_status == 1, "the recording run exited %d (the wrong fake fails it: want 1)", run_status);
    char args[4096];
    snprintf(args, sizeof args, "record --vectors %s --out %s/rec2 %s/run", repo(), dir, dir);
    ck_assert_int_eq(harness(args), 0);
    char *a = slurp2("rec1", "recorded.json"), *b = slurp2("rec2", "recorded.json");
    ck_assert_msg(a && b && strcmp(a, b) == 0, "run --record and record differ");
    snprintf(args, sizeof args, "record --vectors %s --out %s/rec1 %s/run %s/run", repo(), dir, dir, dir);
    ck_assert_int_eq(harness(args), 0);
    char *out = hxt_slurp(dir, "stdout.txt", NULL), *c = slurp2("rec1", "recorded.json");
    ck_assert_msg(strstr(out, "recorded: 0 new cases"), "recording again added cases: %s", out);
    ck_assert_msg(strcmp(a, c) == 0, "recording again changed the bytes");
    free(a), free(b), free(c), free(out);
}
END_TEST

START_TEST(outcomes_and_replay)
{
    if (!repo() || !cli())
        return;
    char *text = slurp2("rec1", "recorded.json");
    json_t *fam = json_loads(text, 0, NULL), *c;
    free(text);
    ck_assert_str_eq(json_string_value(json_object_get(fam, "family")), "recorded");
    size_t i, from_wrong = 0, from_ref = 0, ncases = json_array_size(json_object_get(fam, "cases"));
    ck_assert_msg(ncases >= 4, "only %zu recorded cases", ncases);
    json_array_foreach(json_object_get(fam, "cases"), i, c) {
        json_t *o = json_object_get(c, "origin");
        const char *prod = json_string_value(json_object_get(o, "producer"));
        const char *id = json_string_value(json_object_get(c, "id"));
        ck_assert_str_eq(json_string_value(json_object_get(c, "op")), "verify");
        ck_assert_msg(json_object_get(json_object_get(o, "verdicts"), "stirmls") &&
                      json_object_get(json_object_get(o, "verdicts"), "wrong"), "%s: a verifier missing", id);
        ck_assert_str_eq(json_string_value(json_object_get(o, "date")), "2026-06-01");
        ck_assert_msg(json_object_get(o, "hello") && json_is_object(json_object_get(o, "hello")), "%s: no hello", id);
        if (strcmp(prod, "wrong") == 0) { /* junk: no verifier judged it as expected */
            from_wrong++;
            ck_assert_msg(strncmp(id, "recorded/wrong.generate.", 24) == 0, "%s", id);
            ck_assert_msg(json_array_size(json_object_get(o, "as_expected")) == 0, "%s: someone agreed", id);
            ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(o, "verdicts"),
                                                                               "stirmls"), "verdict")), "FAIL");
        } else {
            from_ref++;
            json_t *ae = json_object_get(o, "as_expected");
            ck_assert_msg(json_array_size(ae) == 1 && strcmp(json_string_value(json_array_get(ae, 0)), "stirmls") == 0,
                          "%s: the reference's artefact is judged as expected by the reference only", id);
        }
    }
    ck_assert_msg(from_wrong > 0 && from_ref > 0, "%zu from wrong, %zu from the reference", from_wrong, from_ref);
    /* replay: every verifier gives the verdict it gave during the run */
    char im[2048], args[4096];
    impls(im, sizeof im);
    snprintf(args, sizeof args, "run %s --vectors %s/rec1 --out %s/replay", im, dir, dir);
    int st = harness(args);
    ck_assert_msg(st == 1, "replay exited %d", st);
    char *rt = slurp2("replay", "report.json");
    json_t *rep = json_loads(rt, 0, NULL), *r;
    free(rt);
    size_t n = 0;
    json_array_foreach(json_object_get(rep, "results"), i, r) {
        const char *id = json_string_value(json_object_get(r, "case"));
        const char *im2 = json_string_value(json_object_get(r, "implementation"));
        json_t *k, *orig = NULL;
        size_t j;
        json_array_foreach(json_object_get(fam, "cases"), j, k)
            if (strcmp(json_string_value(json_object_get(k, "id")), id) == 0)
                orig = json_object_get(json_object_get(json_object_get(k, "origin"), "verdicts"), im2);
        ck_assert_msg(orig, "%s: no recorded verdict of %s", id, im2);
        ck_assert_msg(strcmp(json_string_value(json_object_get(orig, "verdict")),
                             json_string_value(json_object_get(r, "verdict"))) == 0 &&
                      json_equal(json_object_get(orig, "observed"), json_object_get(r, "observed")) &&
                      strcmp(json_string_value(json_object_get(orig, "reason")),
                             json_string_value(json_object_get(r, "reason"))) == 0,
                      "%s %s: recorded %s, replayed %s %s", id, im2,
                      json_string_value(json_object_get(orig, "verdict")),
                      json_string_value(json_object_get(r, "verdict")), json_string_value(json_object_get(r, "reason")));
        n++;
    }
    ck_assert_msg(n == 2 * ncases, "%zu replayed results for %zu cases", n, ncases);
    json_decref(rep);
    json_decref(fam);
}
END_TEST

/* The same artefact recorded from two runs is one case with the verdicts of both runs' verifiers
 * (the reference signs deterministically, so its artefacts are the same in both). */
START_TEST(verdicts_merged)
{
    if (!repo() || !cli())
        return;
    char args[4096];
    snprintf(args, sizeof args, "run --impl stirmls=%s\tserve --vectors %s --filter generate/* --out %s/alone "
             "--record %s/rec3", cli(), repo(), dir, dir);
    ck_assert_int_eq(harness(args), 0);
    snprintf(args, sizeof args, "record --vectors %s --out %s/rec3 %s/run", repo(), dir, dir);
    ck_assert_int_eq(harness(args), 0);
    char *a = slurp2("rec3", "recorded.json"), *b = slurp2("rec1", "recorded.json");
    json_t *fa = json_loads(a, 0, NULL), *fb = json_loads(b, 0, NULL), *c;
    size_t i;
    ck_assert_int_eq(json_array_size(json_object_get(fa, "cases")), json_array_size(json_object_get(fb, "cases")));
    json_array_foreach(json_object_get(fa, "cases"), i, c) {
        json_t *o = json_object_get(c, "origin");
        ck_assert_msg(json_object_size(json_object_get(o, "verdicts")) == 2, "%s: %zu verdicts",
                      json_string_value(json_object_get(c, "id")), json_object_size(json_object_get(o, "verdicts")));
        ck_assert_msg(json_equal(o, json_object_get(json_array_get(json_object_get(fb, "cases"), i), "origin")),
                      "%s: the origin differs from the one recorded from the run alone",
                      json_string_value(json_object_get(c, "id")));
    }
    json_decref(fa), json_decref(fb);
    free(a), free(b);
}
END_TEST

/* A group_message artefact travels with its epoch's GroupInfo (check.artifact_with): both go into
 * every verify request and into the recorded case, which replays with the same verdicts. */
START_TEST(artifact_with_group_info)
{
    if (!repo() || !cli())
        return;
    char args[4096];
    snprintf(args, sizeof args, "run --impl stirmls=%s\tserve --vectors %s --filter group/generate-update-m* "
             "--filter group/generate-update-s* --out %s/gm --record %s/rec4", cli(), repo(), dir, dir);
    ck_assert_int_eq(harness(args), 0);
    char *text = slurp2("rec4", "recorded.json");
    json_t *fam = json_loads(text, 0, NULL), *c;
    free(text);
    size_t i;
    ck_assert_int_eq(json_array_size(json_object_get(fam, "cases")), 2);
    json_array_foreach(json_object_get(fam, "cases"), i, c) {
        json_t *in = json_object_get(c, "input");
        const char *gi = json_string_value(json_object_get(in, "group_info"));
        const char *msg = json_string_value(json_object_get(in, "message"));
        ck_assert_str_eq(json_string_value(json_object_get(c, "kind")), "group_message");
        ck_assert_msg(gi && strncmp(gi, "00010004", 8) == 0, "no GroupInfo MLSMessage in %s",
                      json_string_value(json_object_get(c, "id")));
        ck_assert_msg(msg && strncmp(msg, "00010001", 8) == 0, "no PublicMessage in %s",
                      json_string_value(json_object_get(c, "id")));
    }
    json_decref(fam);
    snprintf(args, sizeof args, "run --impl stirmls=%s\tserve --vectors %s/rec4 --out %s/gm-replay", cli(), dir, dir);
    ck_assert_int_eq(harness(args), 0);
    char *out = hxt_slurp(dir, "stdout.txt", NULL);
    ck_assert_msg(strstr(out, "PASS 2"), "replay: %s", out);
    free(out);
}
END_TEST

START_TEST(usage)
{
    ck_assert_int_eq(harness("record --out /nonexistent-x"), 2);
    char *err = hxt_slurp(dir, "stderr.txt", NULL);
    ck_assert_msg(strstr(err, "record wants --out DIR [--vectors DIR] RUN_DIR..."), "%s", err);
    free(err);
    char args[4096];
    snprintf(args, sizeof args, "record --vectors %s --out %s/x %s/nonexistent", repo() ? repo() : "vectors", dir, dir);
    ck_assert_int_eq(harness(args), 2);
    err = hxt_slurp(dir, "stderr.txt", NULL);
    ck_assert_msg(strstr(err, "results.jsonl: cannot read the run's journal"), "%s", err);
    free(err);
}
END_TEST

Suite *record_suite(void);
Suite *record_suite(void)
{
    Suite *s = suite_create("harness-record");
    TCase *tc = tcase_create("record");
    tcase_set_timeout(tc, 240);
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_test(tc, byte_stable);
    tcase_add_test(tc, outcomes_and_replay);
    tcase_add_test(tc, verdicts_merged);
    tcase_add_test(tc, artifact_with_group_info);
    tcase_add_test(tc, usage);
    suite_add_tcase(s, tc);
    return s;
}
