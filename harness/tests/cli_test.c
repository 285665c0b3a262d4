/*
 * cli_test.c: the harness as a command and its reports: usage errors, --list, hostile text in
 * the reports (XSS, terminal escapes), TCP mode, stale expectation entries, report contents,
 * and kill/resume through results.jsonl.
 */
#include "hxtest.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    const char *name, *args;
    int exit;
    const char *stdout_has, *stderr_has;
} usage_row;

static const usage_row usage_rows[] = {
    {"help", "--help", 0, "usage: stirmls-harness run", NULL},
    {"run_help", "run --help", 0, "--strict-reasons", NULL},
    {"version", "--version", 0, "stirmls-interop/1", NULL},
    {"no_command", "", 2, NULL, "missing command"},
    {"unknown_command", "frobnicate", 2, NULL, "unknown command"},
    {"unknown_option", "run --frob", 2, NULL, "unknown option"},
    {"scenarios_invalid", "run --impl a=x --scenarios /nonexistent-scenarios --out /tmp/stirmls-harness-scn --list", 2, NULL, "did not compile"},
    {"bad_impl", "run --impl noequals", 2, NULL, "NAME=COMMAND"},
    {"dup_impl", "run --impl a=x --impl a=y --vectors @V", 2, NULL, "given twice"},
    {"bad_jobs", "run --jobs 0", 2, NULL, "--jobs"},
    {"bad_timeout", "run --timeout -1", 2, NULL, "--timeout"},
    {"exp_unknown_impl", "run --impl a=x --expectations b=f.yaml --vectors @V", 2, NULL, "--impl name"},
    {"exp_missing_file", "run --impl a=x --expectations a=/nonexistent.yaml --vectors @V", 2, NULL, "cannot open"},
    {"missing_vectors", "run --impl a=x --vectors /nonexistent --list", 2, NULL, "cannot read"},
    {"list", "run --impl a=x --vectors @V --list --filter passport/* --filter -*generate*", 0,
     "passport/ok\tpassport\taccept\npassport/bad-sig\tpassport\treject PPT_SIG_INVALID\n"
     "passport/lenient\tpassport\teither allow_lenient\n", NULL},
    {"filter_selects_nothing", "run --impl a=x --vectors @V --filter chain", 2, NULL,
     "--filter chain selects no case (case ids are FAMILY/NAME: try chain/*"},
    {"filter_selects_nothing_list", "run --impl a=x --vectors @V --list --filter chain/* --filter nope/*", 2,
     NULL, "--filter nope/* selects no case"},
    {"filters_exclude_everything", "run --impl a=x --vectors @V --filter -*", 2, NULL,
     "the filters select no case of"},
    {"policy_unknown_flag", "run --impl a=x --vectors @V --expectations a=@D/expect-unknown-flag.yaml", 2,
     NULL, "expect-unknown-flag.yaml: policy: unknown flag 'allow_lenent' (the suite's either flags: "
     "allow_lenient)"},
    {"exec_unknown_placeholder", "run --impl a=exec:tool\t--in\t{input} --vectors @V", 2, NULL,
     "--impl a: exec template: unknown or unbalanced placeholder in '{input}'"},
    {"explain_no_id", "explain --vectors @V", 2, NULL, "explain wants a CASE_ID"},
    {"explain_unknown_id", "explain --vectors @V chain/valid chain/nope", 2, NULL, "explain: no case chain/nope in"},
    {"explain", "explain --vectors @V chain/expired", 0,
     "chain/expired\n  verify cert_chain, importance must, tags []\nwhy: leaf expired\nexpected: reject CERT_EXPIRED\n",
     NULL},
    {"resume_alone", "run --resume /tmp --jobs 2", 2, NULL, "--resume DIR takes no other option"},
    {"resume_nothing", "run --resume /nonexistent", 2, NULL, "run.json"},
};

static char *subst(const char *args)
{
    char *vec = hxt_vectors();
    char *out = malloc(strlen(args) + strlen(vec) * 4 + 4096), *o = out;
    for (const char *p = args; *p;) {
        if (p[0] == '@' && p[1] == 'V') {
            o += sprintf(o, "%s", vec);
            p += 2;
        } else if (p[0] == '@' && p[1] == 'D') {
            o += sprintf(o, "%s", getenv("HX_DATA") ? getenv("HX_DATA") : "harness/tests/data");
            p += 2;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    free(vec);
    return out;
}

START_TEST(usage)
{
    const usage_row *r = &usage_rows[_i];
    char *tmp = hxt_tmpdir(), *args = subst(r->args);
    char *argv[32] = {(char *)hxt_harness()};
    int n = 1;
    hxt_split(argv, &n, 32, args);
    int st = hxt_run(argv, tmp);
    char *out = hxt_slurp(tmp, "stdout.txt", NULL), *err = hxt_slurp(tmp, "stderr.txt", NULL);
    ck_assert_msg(st == r->exit, "%s: exit %d want %d (stderr %s)", r->name, st, r->exit, err);
    if (r->stdout_has)
        ck_assert_msg(strstr(out, r->stdout_has), "%s: stdout lacks %s: %s", r->name, r->stdout_has, out);
    if (r->stderr_has)
        ck_assert_msg(strstr(err, r->stderr_has), "%s: stderr lacks %s: %s", r->name, r->stderr_has, err);
    if (r->exit == 2)
        ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "%s: one stderr line: %s", r->name, err);
    free(out), free(err), free(args);
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

/* Runs the harness with each --impl of impls (NULL-terminated) over the test vectors, extra args
 * split on spaces; returns the exit status, out dir under tmp. */
static int run_impls(const char *tmp, const char *const *impls, const char *extra)
{
    char *vec = hxt_vectors();
    char out[1024], more[1024];
    snprintf(out, sizeof out, "%s/out", tmp);
    char *argv[40] = {(char *)hxt_harness(), "run", "--vectors", vec, "--out", out};
    int n = 6;
    for (size_t i = 0; impls[i] && n < 20; i++) {
        argv[n++] = "--impl";
        argv[n++] = (char *)impls[i];
    }
    snprintf(more, sizeof more, "%s", extra ? extra : "");
    hxt_split(argv, &n, 40, more);
    int st = hxt_run(argv, tmp);
    free(vec);
    return st;
}

/* Runs the fake in MODE with extra args; returns the exit status, out dir under tmp. */
static int run_fake(const char *tmp, const char *mode, const char *impl_override, const char *extra)
{
    char *fake = hxt_fake(), *vec = hxt_vectors();
    char impl[4096];
    if (impl_override)
        snprintf(impl, sizeof impl, "%s", impl_override);
    else
        snprintf(impl, sizeof impl, "f=%s --vectors %s %s", fake, vec, mode);
    const char *impls[] = {impl, NULL};
    int st = run_impls(tmp, impls, extra);
    free(fake), free(vec);
    return st;
}

START_TEST(hostile_text_is_escaped)
{
    char *tmp = hxt_tmpdir(), out[1024];
    snprintf(out, sizeof out, "%s/out", tmp);
    ck_assert_int_eq(run_fake(tmp, "xss", NULL, "--filter chain/*"), 1);
    static const char *const files[] = {"index.html", "summary.md", "junit.xml"};
    for (size_t i = 0; i < 3; i++) {
        size_t len = 0;
        char *t = hxt_slurp(out, files[i], &len);
        ck_assert_ptr_nonnull(t);
        if (strcmp(files[i], "summary.md") == 0) /* Markdown: backslash escapes, no HTML entities */
            for (const char *p = t; (p = strpbrk(p, "<>&")); p++)
                ck_assert_msg(p > t && p[-1] == '\\', "summary.md: unescaped %c at %zu", *p, (size_t)(p - t));
        else
            ck_assert_msg(!strstr(t, "<script>alert") && !strstr(t, "<img"), "%s holds raw markup", files[i]);
        ck_assert_msg(!memchr(t, 0x1b, len), "%s holds a raw ESC byte", files[i]);
        free(t);
    }
    size_t len = 0;
    char *md = hxt_slurp(out, "summary.md", &len);
    ck_assert_msg(strstr(md, "\\<img src=x onerror=alert(1)\\>") && !strstr(md, "&lt;") && !strstr(md, "&#"),
                  "summary.md escapes for Markdown, not HTML: %s", md);
    free(md);
    char *html = hxt_slurp(out, "index.html", &len);
    ck_assert_msg(strstr(html, "\\u003cscript\\u003ealert(1)"), "escaped name not embedded");
    ck_assert_msg(!strstr(html, "innerHTML"), "index.html must render with textContent only");
    free(html);
    static const char *const streams[] = {"stdout.txt", "stderr.txt"};
    for (size_t i = 0; i < 2; i++) {
        char *t = hxt_slurp(tmp, streams[i], &len);
        ck_assert_msg(!memchr(t, 0x1b, len), "%s holds a raw ESC byte", streams[i]);
        free(t);
    }
    char *rep = hxt_slurp(out, "report.json", NULL);
    json_t *j = json_loads(rep, 0, NULL);
    const char *name = json_string_value(json_object_get(json_object_get(
        json_array_get(json_object_get(j, "implementations"), 0), "hello"), "name"));
    ck_assert_str_eq(name, "<script>alert(1)</script>\x1b[31mfake"); /* kept verbatim in JSON */
    json_decref(j);
    free(rep);
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

START_TEST(tcp_mode)
{
    char *tmp = hxt_tmpdir(), *fake = hxt_fake(), *vec = hxt_vectors(), portfile[1024];
    snprintf(portfile, sizeof portfile, "%s/port", tmp);
    pid_t pid = fork();
    if (pid == 0) {
        execl(fake, fake, "--vectors", vec, "--listen", portfile, "good", (char *)NULL);
        _exit(127);
    }
    char *port = NULL;
    for (int i = 0; i < 500 && !(port = hxt_slurp(tmp, "port", NULL)); i++)
        usleep(10000); /* waiting for the listener, not timing anything */
    ck_assert_ptr_nonnull(port);
    port[strcspn(port, "\n")] = '\0';
    char impl[128];
    snprintf(impl, sizeof impl, "net=tcp://127.0.0.1:%s", port);
    /* with tcpdump usable (root), the same run also checks --capture */
    bool capture = geteuid() == 0 && access("/usr/bin/tcpdump", X_OK) == 0;
    int st = run_fake(tmp, NULL, impl, capture ? "--filter chain/* --filter credential/* --capture"
                                               : "--filter chain/* --filter credential/*");
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    char out[1024];
    snprintf(out, sizeof out, "%s/out", tmp);
    char *v = hxt_verdicts(out);
    ck_assert_str_eq(v, "chain/valid=PASS chain/expired=PASS chain/tagged=PASS credential/ok=PASS "
                        "credential/mky=PASS");
    ck_assert_int_eq(st, 0);
    if (capture) {
        size_t len = 0;
        char *pcap = hxt_slurp(out, "capture.pcap", &len);
        ck_assert_msg(pcap && len > 24, "capture.pcap holds no packet (%zu bytes)", len);
        free(pcap);
    }
    free(v), free(port), free(fake), free(vec);
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

START_TEST(report_contents)
{
    char *tmp = hxt_tmpdir(), out[1024], yaml[1024], extra[2048];
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(yaml, sizeof yaml, "%s/e.yaml", tmp);
    FILE *f = fopen(yaml, "w");
    fputs("skip:\n  - case: gone/*\n    reason: removed family\nxfail:\n  - case: chain/nope\n"
          "    reason: renamed\n", f);
    fclose(f);
    snprintf(extra, sizeof extra, "--filter chain/* --expectations f=%s", yaml);
    ck_assert_int_eq(run_fake(tmp, "good", NULL, extra), 0);
    char *text = hxt_slurp(out, "report.json", NULL);
    json_t *j = json_loads(text, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(json_string_value(json_object_get(j, "schema")), "stirmls-report/1");
    ck_assert_int_eq(strlen(json_string_value(json_object_get(json_object_get(j, "suite"), "hash"))), 64);
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(j, "openssl")), "OpenSSL"));
    json_t *impl = json_array_get(json_object_get(j, "implementations"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(impl, "hello"), "protocol")),
                     "stirmls-interop/1");
    ck_assert(json_is_true(json_object_get(json_object_get(impl, "hello_last"), "ok")));
    json_t *stale = json_object_get(json_object_get(impl, "expectations"), "stale");
    ck_assert_int_eq(json_array_size(stale), 2);
    ck_assert_str_eq(json_string_value(json_array_get(stale, 0)), "gone/*");
    ck_assert_str_eq(json_string_value(json_array_get(stale, 1)), "chain/nope");
    json_t *r = json_array_get(json_object_get(j, "results"), 1);
    ck_assert_str_eq(json_string_value(json_object_get(r, "case")), "chain/expired");
    ck_assert_str_eq(json_string_value(json_object_get(r, "reason")), "CERT_EXPIRED");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "expected"), "reason")),
                     "CERT_EXPIRED");
    ck_assert_int_ge(json_array_size(json_object_get(r, "transcript")), 2);
    char *md = hxt_slurp(out, "summary.md", NULL);
    ck_assert_ptr_nonnull(strstr(md, "gone/\\*"));
    free(md);
    json_decref(j);
    free(text);
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

/* An adapter with the wrong tag names: every report says so, and junit.xml has a failure. */
START_TEST(judged_nothing_in_every_report)
{
    char *tmp = hxt_tmpdir(), out[1024];
    snprintf(out, sizeof out, "%s/out", tmp);
    ck_assert_int_eq(run_fake(tmp, "doc-tags", NULL, "--filter chain/tagged --filter passport/generate-*"), 1);
    char *text = hxt_slurp(out, "report.json", NULL);
    json_t *j = json_loads(text, 0, NULL);
    json_t *impl = json_array_get(json_object_get(j, "implementations"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(impl, "judged")), 0);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(impl, "unused_tags"), 1)), "needs-x5u");
    ck_assert_int_eq(json_array_size(json_object_get(impl, "warnings")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "unexpected")), 1);
    ck_assert(json_is_false(json_object_get(j, "ok")));
    static const char *const files[] = {"summary.md", "junit.xml", "index.html"};
    static const char *const has[] = {"- f judged no case: all 2 results are UNSUPPORTED or SKIP",
                                      "name=\"(judged no case)\">\n   <failure", "f judged no case"};
    for (size_t i = 0; i < 3; i++) {
        char *t = hxt_slurp(out, files[i], NULL);
        ck_assert_msg(t && strstr(t, has[i]), "%s lacks '%s'", files[i], has[i]);
        ck_assert_msg(strstr(t, "needs-passport"), "%s lacks the unused tag", files[i]);
        free(t);
    }
    char *junit = hxt_slurp(out, "junit.xml", NULL);
    ck_assert_msg(strstr(junit, "tests=\"3\" failures=\"1\""), "junit counts: %s", junit);
    free(junit);
    json_decref(j);
    free(text);
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

/* The note of a case's result in OUT/report.json (owned; "" when absent). */
static char *result_field(const char *out, const char *case_id, const char *impl, const char *field)
{
    char *text = hxt_slurp(out, "report.json", NULL);
    json_t *j = json_loads(text ? text : "", 0, NULL), *r;
    size_t i;
    char *val = NULL;
    json_array_foreach(json_object_get(j, "results"), i, r)
        if (!val && !strcmp(json_string_value(json_object_get(r, "case")), case_id) &&
            (!impl || !strcmp(json_string_value(json_object_get(r, "implementation")), impl)))
            val = strdup(json_string_value(json_object_get(r, field)) ?: "");
    json_decref(j);
    free(text);
    return val ? val : strdup("");
}

static void assert_has(const char *dir, const char *file, const char *want)
{
    char *t = hxt_slurp(dir, file, NULL);
    ck_assert_msg(t && strstr(t, want), "%s/%s lacks '%s':\n%s", dir, file, want, t ? t : "(missing)");
    free(t);
}

/* The reports diagnose without report.json: CRASH quotes the stderr log, a considered xfail entry
 * says why it did not apply, junit.xml says expected and observed, why and spec. */
START_TEST(reports_diagnose)
{
    char *tmp = hxt_tmpdir(), out[1024], yaml[1024], extra[2048];
    snprintf(out, sizeof out, "%s/out", tmp);
    char impl[4096], *fake = hxt_fake(), *vec = hxt_vectors();
    snprintf(impl, sizeof impl, "f=%s --vectors %s --state %s/state crash3", fake, vec, tmp);
    ck_assert_int_eq(run_fake(tmp, NULL, impl, "--filter chain/*"), 1);
    char *note = result_field(out, "chain/expired", NULL, "note"), logdir[1100];
    snprintf(logdir, sizeof logdir, "%s/stderr", out);
    char *log = hxt_slurp(logdir, "f.log", NULL); /* the fake's line; under ASan its report follows */
    ck_assert_msg(log && strstr(log, "fake: crashing on purpose\n"), "f.log: %s", log);
    char *end = log + strlen(log);
    while (end > log && end[-1] == '\n')
        *--end = '\0';
    char *last = strrchr(log, '\n');
    ck_assert_msg(strstr(note, "stderr/f.log ends:\n") && strstr(note, last ? last + 1 : log),
                  "crash note quotes the log's last lines: %s", note);
    free(log);
    free(note);
    assert_has(out, "junit.xml", "stderr/f.log ends:");
    hxt_rmdir(out);

    snprintf(yaml, sizeof yaml, "%s/e.yaml", tmp);
    FILE *f = fopen(yaml, "w");
    fputs("xfail:\n  - case: chain/expired\n    reason: known\n    expect_reason: CERT_EXPIRED\n", f);
    fclose(f);
    snprintf(extra, sizeof extra, "--filter chain/expired --expectations f=%s", yaml);
    ck_assert_int_eq(run_fake(tmp, "accept-all", NULL, extra), 1);
    note = result_field(out, "chain/expired", NULL, "note");
    ck_assert_str_eq(note, "xfail entry 'chain/expired' (known) considered, not applied: it expects reason "
                           "CERT_EXPIRED, the observed reason is none");
    free(note);
    assert_has(out, "junit.xml", "<failure message=\"FAIL: expected reject CERT_EXPIRED, observed accept\">"
                                 "FAIL: expected reject CERT_EXPIRED, observed accept\nwhy: leaf expired\n"
                                 "spec: TEST-01\nnative: \nnote: xfail entry");
    hxt_rmdir(out);

    ck_assert_int_eq(run_fake(tmp, "internal", NULL, "--filter chain/valid"), 1);
    assert_has(out, "junit.xml", "message=\"FAIL: expected accept, observed error internal: fake: boom\"");
    assert_has(out, "summary.md", "| chain/valid | f | FAIL | accept  | error internal | fake: boom |");
    hxt_rmdir(out);

    /* the reject-wrong fake: PASS_OTHER_REASON listed in summary.md; a family table everywhere */
    ck_assert_int_eq(run_fake(tmp, "reject-wrong", NULL, "--filter chain/* --filter credential/*"), 1);
    assert_has(out, "summary.md", "## Passed with another reason (PASS_OTHER_REASON)");
    assert_has(out, "summary.md", "| credential/mky | f | PASS\\_OTHER\\_REASON | reject MKY\\_MISMATCH | "
                                  "reject WRONG\\_REASON | fake: wrong on purpose |  |");
    assert_has(out, "summary.md", "| chain | \u2588\u2588\u2588\u2592\u2592\u2592\u2592\u2592\u2592\u2592 1/3 passed, "
                                  "2 failed |");
    assert_has(tmp, "stdout.txt", "family      f\nchain       ###xxxxxxx 1/3 passed, 2 failed\n"
                                  "credential  #####xxxxx 1/2 passed, 1 failed\n");
    free(fake), free(vec);
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

/* Two implementations: the terminal, summary.md and index.html count each on its own. */
/* Runs the good and the reject-wrong fakes together over the cases FILTER selects, into tmp/out. */
static int run_good_and_wrong(const char *tmp, const char *filter)
{
    char *fake = hxt_fake(), *vec = hxt_vectors(), a[4096], b[4096], extra[512];
    snprintf(a, sizeof a, "good=%s --vectors %s good", fake, vec);
    snprintf(b, sizeof b, "wrong=%s reject-wrong", fake);
    snprintf(extra, sizeof extra, "--filter %s", filter);
    const char *impls[] = {a, b, NULL};
    int st = run_impls(tmp, impls, extra);
    free(fake), free(vec);
    return st;
}

START_TEST(counts_per_implementation)
{
    char *tmp = hxt_tmpdir(), out[1024];
    snprintf(out, sizeof out, "%s/out", tmp);
    ck_assert_int_eq(run_good_and_wrong(tmp, "passport/*"), 1);
    assert_has(tmp, "stdout.txt", "NOT OK: 8 results, 3 unexpected (2 implementations)\n"
                                  "  good: 4 results, 1 unexpected, 4 judged: PASS 3 FAIL 1\n"
                                  "  wrong: 4 results, 2 unexpected, 4 judged: PASS 1 PASS_OTHER_REASON 1 FAIL 2\n"
                                  "family    good                             wrong\n"
                                  "passport  #######xxx 3/4 passed, 1 failed  #####xxxxx 2/4 passed, 2 failed\n");
    assert_has(out, "summary.md", "| good | 4 | 4 | 1 | 3 | 0 | 1 |");
    assert_has(out, "summary.md", "| wrong | 4 | 4 | 2 | 1 | 1 | 2 |");
    /* the generate note names each verifier's verdict and reason */
    char *note = result_field(out, "passport/generate-basic", "good", "note");
    ck_assert_str_eq(note, "artefact not verified as expected (accept): good PASS (observed accept), wrong FAIL "
                           "(observed reject WRONG_REASON: fake: wrong on purpose)");
    free(note);
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

/* --impl NAME=exec:TEMPLATE over the repository's ppt family, driving the reference CLI. */
static int run_exec(const char *tmp, const char *tmpl, const char *filter)
{
    const char *cli = getenv("HX_STIRMLS"), *vec = getenv("HX_REPO_VECTORS");
    char impl[2048], out[1024];
    snprintf(impl, sizeof impl, "cli=exec:%s %s", cli, tmpl);
    snprintf(out, sizeof out, "%s/out", tmp);
    char *argv[] = {(char *)hxt_harness(), "run", "--impl", impl, "--vectors", (char *)vec, "--out", out,
                    "--filter", (char *)filter, NULL};
    return hxt_run(argv, tmp);
}

START_TEST(exec_mode)
{
    if (!getenv("HX_STIRMLS") || !getenv("HX_REPO_VECTORS")) {
        fprintf(stderr, "SKIP: HX_STIRMLS / HX_REPO_VECTORS not set: exec mode not run\n");
        return;
    }
    char *tmp = hxt_tmpdir(), out[1024];
    snprintf(out, sizeof out, "%s/out", tmp);
    const char *full = "passport verify --passport {passport} --chain {chain} --trust {trust} --at {at} "
                       "--signature-key {signature_key} --tn {tn}";
    ck_assert_int_eq(run_exec(tmp, full, "ppt/*"), 0);
    char *v = result_field(out, "ppt/x5u-resolved", NULL, "verdict");
    char *note = result_field(out, "ppt/x5u-resolved", NULL, "note");
    ck_assert_str_eq(v, "UNSUPPORTED");
    ck_assert_str_eq(note, "exec: the template does not pass {x5u_map}, which this case carries");
    free(v), free(note);
    v = result_field(out, "ppt/shaken-attest-d", NULL, "verdict");
    char *reason = result_field(out, "ppt/shaken-attest-d", NULL, "reason");
    ck_assert_str_eq(v, "PASS"); /* exit 1, the reason read from the CLI's JSON line */
    ck_assert_str_eq(reason, "PPT_SHAKEN_ATTEST");
    free(v), free(reason);
    hxt_rmdir(out);
    /* no {at}: the tool would judge at its own clock, so nothing is judged and the run fails */
    ck_assert_int_eq(run_exec(tmp, "passport verify --passport {passport} --chain {chain} --trust {trust} "
                                   "--signature-key {signature_key} --tn {tn}", "ppt/*"), 1);
    assert_has(tmp, "stdout.txt", "cli judged no case");
    hxt_rmdir(out);
    /* exit 2 (a usage error of the tool) is an error, with the tool's stderr quoted */
    ck_assert_int_eq(run_exec(tmp, "passport verify --passport {passport} --at {at} --chain {chain} "
                                   "--trust {trust} --signature-key {signature_key} --tn {tn} --bogus",
                              "ppt/rcd-valid"), 1);
    char *native = result_field(out, "ppt/rcd-valid", NULL, "native");
    ck_assert_msg(strstr(native, "exit status 2; stderr ends: "), "native: %s", native);
    free(native);
    /* no exit before the timeout: TIMEOUT (tail -f never ends); a signal: CRASH */
    static const struct {
        const char *impl, *verdict, *note;
    } ends[] = {{"to=exec:tail -f {chain} {trust} {at} {tn}", "TIMEOUT", "no exit before the timeout"},
                {"cr=exec:sh -c kill$IFS-9$IFS$$ {chain} {trust} {at} {tn}", "CRASH", "killed by signal 9"}};
    for (size_t i = 0; i < 2; i++) {
        hxt_rmdir(out);
        char *argv[] = {(char *)hxt_harness(), "run", "--impl", (char *)ends[i].impl, "--vectors",
                        getenv("HX_REPO_VECTORS"), "--out", out, "--filter", "cert-path/chain-reversed",
                        "--timeout", "0.5", NULL};
        ck_assert_int_eq(hxt_run(argv, tmp), 1);
        char *vv = result_field(out, "cert-path/chain-reversed", NULL, "verdict");
        char *nn = result_field(out, "cert-path/chain-reversed", NULL, "note");
        ck_assert_str_eq(vv, ends[i].verdict);
        ck_assert_msg(strstr(nn, ends[i].note), "%s: note %s", ends[i].verdict, nn);
        free(vv), free(nn);
    }
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

/* index.html carries each certificate decoded, the field the case is about marked. */
START_TEST(certificate_view)
{
    const char *cli = getenv("HX_STIRMLS"), *vec = getenv("HX_REPO_VECTORS");
    if (!cli || !vec) {
        fprintf(stderr, "SKIP: HX_STIRMLS / HX_REPO_VECTORS not set: certificate view not checked\n");
        return;
    }
    char *tmp = hxt_tmpdir(), out[1024], impl[2048];
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(impl, sizeof impl, "ref=%s serve", cli);
    char *argv[] = {(char *)hxt_harness(), "run", "--impl", impl, "--vectors", (char *)vec, "--out", out,
                    "--filter", "expiry/cert-after-not-after", NULL};
    ck_assert_int_eq(hxt_run(argv, tmp), 0);
    char *html = hxt_slurp(out, "index.html", NULL);
    char *data = strstr(html, "id=\"report-data\">") + strlen("id=\"report-data\">");
    *strstr(data, "</script>") = '\0';
    json_t *j = json_loads(data, 0, NULL);
    json_t *certs = json_object_get(json_array_get(json_object_get(j, "cases"), 0), "certificates"), *x;
    ck_assert_int_eq(json_array_size(certs), 4); /* leaf, two CAs, the anchor */
    size_t i;
    char about[256] = "";
    json_array_foreach(certs, i, x)
        if (json_object_get(x, "about")) /* only the expired leaf: the CAs are valid at `at` */
            snprintf(about + strlen(about), sizeof about - strlen(about), "%s:%s ",
                     json_string_value(json_object_get(x, "role")), json_string_value(json_object_get(x, "about")));
    ck_assert_str_eq(about, "chain[0]:not_after ");
    x = json_array_get(certs, 0);
    ck_assert_str_eq(json_string_value(json_object_get(x, "not_after")), "2027-01-01 00:00:00Z");
    ck_assert_str_eq(json_string_value(json_object_get(x, "basic_constraints")), "critical: CA:FALSE");
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(x, "tnauthlist")), "IA5STRING"));
    ck_assert_int_eq(strncmp(json_string_value(json_object_get(x, "tnauthlist")), "one 12155550123\n", 16), 0);
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(x, "tnauthlist")), ":12155550123"));
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(x, "subject")), "CN=Alice"));
    json_decref(j);
    free(html);
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

/* Keeps the first `keep` lines of results.jsonl plus half of the next, as a SIGKILL might. */
static void tear_journal(const char *out, size_t keep)
{
    size_t len = 0;
    char *t = hxt_slurp(out, "results.jsonl", &len), *p = t;
    for (size_t i = 0; i < keep && p; i++)
        p = strchr(p, '\n') + 1;
    char *next = strchr(p, '\n');
    size_t cut = (size_t)(p - t) + (size_t)(next - p) / 2;
    char path[2048];
    snprintf(path, sizeof path, "%s/results.jsonl", out);
    FILE *f = fopen(path, "w");
    fwrite(t, 1, cut, f);
    fclose(f);
    free(t);
    static const char *const files[] = {"report.json", "junit.xml", "summary.md", "index.html"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", out, files[i]);
        unlink(path);
    }
}

START_TEST(kill_and_resume)
{
    char *tmp = hxt_tmpdir(), out[1024];
    snprintf(out, sizeof out, "%s/out", tmp);
    ck_assert_int_eq(run_fake(tmp, "accept-all", NULL, NULL), 1);
    char *full = hxt_verdicts(out);
    tear_journal(out, 5); /* hello record + 4 results, then a torn line */
    char *argv[] = {(char *)hxt_harness(), "run", "--resume", out, NULL};
    ck_assert_int_eq(hxt_run(argv, tmp), 1);
    char *resumed = hxt_verdicts(out);
    ck_assert_str_eq(resumed, full);
    size_t len = 0;
    char *journal = hxt_slurp(out, "results.jsonl", &len);
    size_t results = 0;
    for (char *p = journal; (p = strstr(p, "\"type\":\"result\"")); p++)
        results++;
    ck_assert_int_eq(results, 11); /* nothing run twice, nothing lost */
    /* the reports are a function of the journal: resuming a finished run renders identical bytes */
    static const char *const files[] = {"report.json", "junit.xml", "summary.md", "index.html"};
    char *before[4];
    size_t blen[4];
    for (size_t i = 0; i < 4; i++)
        before[i] = hxt_slurp(out, files[i], &blen[i]);
    ck_assert_int_eq(hxt_run(argv, tmp), 1);
    for (size_t i = 0; i < 4; i++) {
        size_t alen = 0;
        char *after = hxt_slurp(out, files[i], &alen);
        ck_assert_msg(after && alen == blen[i] && memcmp(after, before[i], alen) == 0,
                      "%s differs after a second resume", files[i]);
        free(after);
        free(before[i]);
    }
    free(journal), free(full), free(resumed);
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

/* SIGKILL the harness mid-run (after its first result), then --resume: nothing lost, nothing twice. */
START_TEST(sigkill_and_resume)
{
    char *tmp = hxt_tmpdir(), *fake = hxt_fake(), *vec = hxt_vectors();
    char out[1024], impl[4096];
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(impl, sizeof impl, "f=%s hang", fake);
    char *argv[] = {(char *)hxt_harness(), "run", "--impl", impl, "--vectors", vec, "--out", out,
                    "--timeout", "0.3", "--filter", "chain/*", NULL};
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    char *journal = NULL;
    for (int i = 0; i < 1000; i++) { /* wait for the first finished case (not a timed assertion) */
        journal = hxt_slurp(out, "results.jsonl", NULL);
        if (journal && strstr(journal, "\"type\":\"result\""))
            break;
        free(journal);
        journal = NULL;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    ck_assert_ptr_nonnull(journal);
    free(journal);
    char *resume[] = {(char *)hxt_harness(), "run", "--resume", out, NULL};
    ck_assert_int_eq(hxt_run(resume, tmp), 1);
    char *v = hxt_verdicts(out);
    ck_assert_str_eq(v, "chain/valid=TIMEOUT chain/expired=TIMEOUT chain/tagged=TIMEOUT");
    journal = hxt_slurp(out, "results.jsonl", NULL);
    size_t results = 0;
    for (char *p = journal; (p = strstr(p, "\"type\":\"result\"")); p++)
        results++;
    ck_assert_int_eq(results, 3);
    free(journal), free(v), free(fake), free(vec);
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

/* generate: each producer's artefact goes to every verifier; the matrix records every cell. */
START_TEST(generate_matrix)
{
    char *tmp = hxt_tmpdir(), out[1024];
    snprintf(out, sizeof out, "%s/out", tmp);
    ck_assert_int_eq(run_good_and_wrong(tmp, "passport/generate-*"), 1);
    char *v = hxt_verdicts(out);
    /* both producers FAIL: the wrong verifier rejects their artefacts */
    ck_assert_str_eq(v, "passport/generate-basic=FAIL passport/generate-basic=FAIL");
    char *text = hxt_slurp(out, "report.json", NULL);
    json_t *j = json_loads(text, 0, NULL), *cell;
    size_t i;
    char cells[512] = "";
    json_array_foreach(json_object_get(j, "matrix"), i, cell) {
        size_t n = strlen(cells);
        snprintf(cells + n, sizeof cells - n, "%s%s>%s=%s", n ? " " : "",
                 json_string_value(json_object_get(cell, "producer")),
                 json_string_value(json_object_get(cell, "verifier")),
                 json_string_value(json_object_get(cell, "verdict")));
    }
    ck_assert_str_eq(cells, "good>good=PASS good>wrong=FAIL wrong>good=PASS wrong>wrong=FAIL");
    json_decref(j);
    free(text), free(v);
    hxt_rmdir(tmp);
    free(tmp);
}
END_TEST

Suite *cli_suite(void);
Suite *cli_suite(void)
{
    Suite *s = suite_create("harness-cli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, usage, 0, (int)(sizeof usage_rows / sizeof usage_rows[0]));
    tcase_add_test(tc, hostile_text_is_escaped);
    tcase_add_test(tc, tcp_mode);
    tcase_add_test(tc, report_contents);
    tcase_add_test(tc, judged_nothing_in_every_report);
    tcase_add_test(tc, reports_diagnose);
    tcase_add_test(tc, counts_per_implementation);
    tcase_add_test(tc, exec_mode);
    tcase_add_test(tc, certificate_view);
    tcase_add_test(tc, kill_and_resume);
    tcase_add_test(tc, sigkill_and_resume);
    tcase_add_test(tc, generate_matrix);
    suite_add_tcase(s, tc);
    return s;
}
