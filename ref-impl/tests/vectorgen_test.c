/* vectorgen_test.c: the scenario compiler's contract. A broken scenario file stops it with one line
 * naming FILE:LINE:COLUMN and the key, and nothing is written; `extract` writes one case as files. */
#include <check.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testlib/testlib.h"

/* Run stirmls-vectorgen (beside the CLI) with a shell-free argv via sh -c of fixed, quoted paths. */
static int vg(const char *args, char **err)
{
    char cli[4096], cmd[8192], errpath[] = "/tmp/stirmls-vg-err-XXXXXX";
    snprintf(cli, sizeof cli, "%s", getenv("STIRMLS_CLI"));
    int fd = mkstemp(errpath);
    ck_assert(fd >= 0);
    snprintf(cmd, sizeof cmd, "'%s/stirmls-vectorgen' %s >/dev/null 2>'%s'", dirname(cli), args, errpath);
    int st = system(cmd);
    *err = tl_read(errpath, NULL);
    remove(errpath);
    return WEXITSTATUS(st);
}

struct broken {
    const char *name;
    const char *file;      /* scenario file to edit */
    const char *from, *to; /* first occurrence replaced */
    const char *want;      /* substring of the one error line */
};

static const struct broken broken[] = {
    {"unknown key", "delegation.yaml", "    chain: [alice-cert, sp-ca, ca]\n", "    chian: [alice-cert, sp-ca, ca]\n",
     "delegation.yaml:17:5: key 'chian': unknown key"},
    {"unknown reason", "mky.yaml", "reject: MKY_MISMATCH}", "reject: MKY_MISMATCHED}", "key 'expect': unknown reason code 'MKY_MISMATCHED'"},
    {"unknown certificate", "spc-vs-tn.yaml", "chain: [spc-ee, ca]", "chain: [spc-eee, ca]", "key 'chain': unknown certificate 'spc-eee'"},
    {"unknown mutator", "malformed.yaml", "[passport_b64_padding]", "[passport_b64_pad]", "key 'mutations': unknown mutator 'passport_b64_pad'"},
    {"id outside family", "ppt.yaml", "id: ppt/typ-jwt", "id: mky/typ-jwt", "key 'id': 'mky/typ-jwt' must be 'ppt/<name>'"},
    {"duplicate id", "ppt.yaml", "id: ppt/typ-jwt", "id: ppt/base-accepted", "key 'id': duplicate case id 'ppt/base-accepted'"},
    {"bad time", "expiry.yaml", "at: 1767225599", "at: yesterday", "key 'at': expected unix seconds or at, at+N, at-N"},
    {"unknown profile", "pki.yaml", "profile: sti-ca", "profile: sti-caa", "key 'profile': unknown profile 'sti-caa'"},
    {"yaml syntax", "keypackage.yaml", "cases:\n", "cases: [\n", "keypackage.yaml:"},
    {"unknown edit field", "mls-bytes.yaml", "{field: wire_format, value: 3}", "{field: wire_fromat, value: 3}",
     "key 'field': expected a field name"},
    {"unquoted edit hex", "mls-bytes.yaml", "body: \"000100\"", "body: 000100", "key 'body': expected a quoted string of hex octets"},
    {"two edit operations", "mls-bytes.yaml", "{field: wire_format, value: 4}", "{field: wire_format, value: 4, hex: \"00\"}",
     "key 'edits': an edit has a field and exactly one operation"},
    {"unknown signature form", "mls-bytes.yaml", "der: long_length}", "der: longer}", "key 'der': expected long_length"},
};

static void copy_scenarios(const char *dir)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cp '%s'/*.yaml '%s'/", tl_repo_path("scenarios"), dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void replace_in(const char *path, const char *from, const char *to)
{
    size_t n;
    char *s = tl_read(path, &n);
    ck_assert_ptr_nonnull(s);
    char *at = strstr(s, from);
    ck_assert_msg(at != NULL, "%s: '%s' not found", path, from);
    FILE *f = fopen(path, "w");
    fwrite(s, 1, (size_t)(at - s), f);
    fputs(to, f);
    fputs(at + strlen(from), f);
    fclose(f);
    free(s);
}

START_TEST(broken_scenarios_name_the_place_and_write_nothing)
{
    const struct broken *b = &broken[_i];
    char *dir = tl_tmpdir(), path[4096], args[8192], out[4200];
    copy_scenarios(dir);
    snprintf(path, sizeof path, "%s/%s", dir, b->file);
    replace_in(path, b->from, b->to);
    snprintf(out, sizeof out, "%s/out", dir);
    mkdir(out, 0755);
    snprintf(args, sizeof args, "--scenarios '%s' --requirements '%s' --out '%s'", dir,
             tl_repo_path("docs/requirements.md"), out);
    char *err = NULL;
    int st = vg(args, &err);
    ck_assert_msg(st == 2, "%s: exit %d", b->name, st);
    ck_assert_msg(strstr(err, b->want) != NULL, "%s: stderr '%s' lacks '%s'", b->name, err, b->want);
    ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "%s: one line, got '%s'", b->name, err);
    char probe[4300];
    snprintf(probe, sizeof probe, "%s/mky.json", out);
    ck_assert_msg(access(probe, F_OK) != 0, "%s: a vector file was written", b->name);
    free(err);
    tl_rmdir(dir);
    free(dir);
}
END_TEST

START_TEST(extract_writes_one_case_as_files)
{
    char *dir = tl_tmpdir(), args[8192], f[4300], scn[4096];
    snprintf(scn, sizeof scn, "%s", tl_repo_path("scenarios")); /* tl_repo_path reuses one buffer */
    snprintf(args, sizeof args, "--scenarios '%s' --requirements '%s' extract mky/match --out '%s/case'",
             scn, tl_repo_path("docs/requirements.md"), dir);
    char *err = NULL;
    ck_assert_int_eq(vg(args, &err), 0);
    free(err);
    static const char *const files[] = {"case.json", "trust.pem", "chain.pem", "passport.txt",
                                        "signature_key.hex", "at.txt", "expect.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(f, sizeof f, "%s/case/%s", dir, files[i]);
        ck_assert_msg(access(f, R_OK) == 0, "%s missing", files[i]);
    }
    snprintf(f, sizeof f, "%s/case/expect.json", dir);
    char *expect = tl_read(f, NULL);
    ck_assert_ptr_nonnull(strstr(expect, "\"accept\""));
    free(expect);
    snprintf(args, sizeof args, "--scenarios '%s' --requirements '%s' extract mky/no-such-case --out '%s/x'",
             scn, tl_repo_path("docs/requirements.md"), dir);
    ck_assert_int_eq(vg(args, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "no case 'mky/no-such-case'"));
    free(err);
    tl_rmdir(dir);
    free(dir);
}
END_TEST

Suite *vectorgen_suite(void);
Suite *vectorgen_suite(void)
{
    Suite *s = suite_create("vectorgen");
    TCase *tc = tcase_create("contract");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, broken_scenarios_name_the_place_and_write_nothing, 0, sizeof broken / sizeof broken[0]);
    tcase_add_test(tc, extract_writes_one_case_as_files);
    suite_add_tcase(s, tc);
    return s;
}
