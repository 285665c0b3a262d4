/* chaincache_serve_test.c: `stirmls serve` shares one chain-validation cache across verify
 * requests; `--no-cache` turns it off. The same request lines (accepts, then the same chains at
 * and past their bounds, under other anchors, trusted SPCs and reference TNs) sent to one process
 * of each must get identical answers, and the expected verdicts. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "stirmls.h"
#include "testlib/testlib.h"

#define NB STIRMLS_PKI_NOT_BEFORE
#define NA STIRMLS_PKI_NOT_AFTER
#define AT (NB + 86400u)

struct req {
    const char *leaf;   /* chain: this entry's PEM chain (leaf first, root excluded) */
    const char *anchor; /* trust anchor entry */
    uint64_t at;
    const char *tn, *spc;
    const char *want; /* reason, "" = accept */
};

static const struct req reqs[] = {
    {"range-ee", "root", AT, NULL, NULL, ""},
    {"range-ee", "root", AT, NULL, NULL, ""},
    {"range-ee", "root", NA, NULL, NULL, ""},
    {"range-ee", "root", NA + 1, NULL, NULL, "CERT_EXPIRED"},
    {"range-ee", "root", NB - 1, NULL, NULL, "CERT_NOT_YET_VALID"},
    {"range-ee", "root", AT, "12155550150", NULL, ""},
    {"range-ee", "root", AT, "12155550200", NULL, "TN_NOT_COVERED"},
    {"range-ee", "sti-ca", AT, NULL, NULL, ""},
    {"range-ee", "deleg-ca", AT, NULL, NULL, "CERT_UNTRUSTED"},
    {"spc-ee", "root", AT, "12155550123", "709J", ""},
    {"spc-ee", "root", AT, "12155550123", NULL, "SPC_NOT_TRUSTED"},
    {"spc-ee", "root", AT, "12155550123", "709J", ""},
    {"deleg-one", "root", AT, "12155550123", NULL, ""},
    {"deleg-one", "root", NA + 1, "12155550123", NULL, "CERT_EXPIRED"},
};

#define NREQ (sizeof reqs / sizeof reqs[0])

/* The request lines, one per row, and a shutdown. Owned. */
static char *requests(void)
{
    stirmls_pki pki;
    stirmls_pki_opts po;
    stirmls_pki_opts_init(&po, (const uint8_t *)"chaincache-serve", 16);
    ck_assert_int_eq(stirmls_pki_generate(&po, &pki, NULL), STIRMLS_R_OK);
    stirmls_buf b;
    stirmls_buf_init(&b);
    for (size_t i = 0; i < NREQ; i++) {
        const struct req *r = &reqs[i];
        char *chain = stirmls_pki_chain_pem(&pki, r->leaf);
        char *anchor = stirmls_cert_pem(stirmls_pki_find(&pki, r->anchor)->cert);
        ck_assert(chain != NULL && anchor != NULL);
        json_t *input = json_pack("{s:[s]}", "chain", chain), *policy = json_object();
        if (r->tn)
            json_object_set_new(input, "tn", json_string(r->tn));
        if (r->spc)
            json_object_set_new(policy, "trust_spc", json_pack("[s]", r->spc));
        json_t *q = json_pack("{s:I,s:s,s:{s:s,s:I,s:[s],s:o,s:o}}", "id", (json_int_t)i, "op", "verify", "params",
                              "kind", "cert_chain", "at", (json_int_t)r->at, "trust_anchors", anchor, "input",
                              input, "policy", policy);
        ck_assert(q != NULL);
        char *line = json_dumps(q, JSON_COMPACT);
        stirmls_buf_put_str(&b, line);
        stirmls_buf_put_u8(&b, '\n');
        free(line), free(chain), free(anchor);
        json_decref(q);
    }
    stirmls_buf_put_str(&b, "{\"id\":999,\"op\":\"shutdown\"}\n");
    stirmls_pki_cleanup(&pki);
    ck_assert_int_eq(stirmls_buf_status(&b), STIRMLS_R_OK);
    size_t n;
    return (char *)stirmls_buf_take(&b, &n);
}

/* Run `stirmls serve ARGS` over input; its response lines as a JSON array (owned). */
static json_t *serve(const char *args, const char *input)
{
    char inpath[] = "/tmp/stirmls-chaincache-XXXXXX";
    int fd = mkstemp(inpath);
    ck_assert(fd >= 0);
    ck_assert(write(fd, input, strlen(input)) == (ssize_t)strlen(input));
    close(fd);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' serve %s < '%s'", getenv("STIRMLS_CLI"), args, inpath);
    FILE *p = popen(cmd, "r");
    ck_assert(p != NULL);
    json_t *lines = json_array();
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, p) > 0) {
        json_t *v = json_loads(line, 0, NULL);
        ck_assert_msg(v != NULL, "serve wrote a non-JSON line: %.200s", line);
        json_array_append_new(lines, v);
    }
    free(line);
    ck_assert_int_eq(pclose(p), 0);
    unlink(inpath);
    return lines;
}

START_TEST(cached_and_uncached_answer_alike)
{
    char *in = requests();
    json_t *cached = serve("", in), *uncached = serve("--no-cache", in);
    ck_assert_int_eq(json_array_size(cached), NREQ + 1);
    ck_assert_int_eq(json_array_size(uncached), NREQ + 1);
    for (size_t i = 0; i < NREQ; i++) {
        json_t *a = json_array_get(cached, i), *b = json_array_get(uncached, i);
        char *sa = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS), *sb = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
        ck_assert_msg(json_equal(a, b), "row %zu: %s vs %s", i, sa, sb);
        const char *reason = json_string_value(json_object_get(json_object_get(a, "result"), "reason"));
        ck_assert_msg(reason != NULL && strcmp(reason, reqs[i].want) == 0, "row %zu: %s", i, sa);
        free(sa), free(sb);
    }
    json_decref(cached), json_decref(uncached);
    free(in);
}
END_TEST

START_TEST(help_and_options)
{
    char *out = NULL, *err = NULL;
    const char *help[] = {"serve", "--help", NULL};
    ck_assert_int_eq(tl_run_cli(help, &out, &err), 0);
    ck_assert(strstr(out, "--no-cache") != NULL);
    free(out), free(err);
    static const char *const bad[][4] = {
        {"serve", "--no-cache", "--bogus", NULL},
        {"serve", "--no-cache", "--listen", NULL},
        {"serve", "--listen", "nohostport", "--no-cache"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *argv[5] = {bad[i][0], bad[i][1], bad[i][2], bad[i][3], NULL};
        ck_assert_int_eq(tl_run_cli(argv, &out, &err), 2);
        ck_assert_str_eq(out, "");
        ck_assert(strchr(err, '\n') == strrchr(err, '\n')); /* one line */
        free(out), free(err);
    }
}
END_TEST

Suite *chaincache_serve_suite(void);
Suite *chaincache_serve_suite(void)
{
    Suite *s = suite_create("chaincache_serve");
    TCase *tc = tcase_create("serve");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, cached_and_uncached_answer_alike);
    tcase_add_test(tc, help_and_options);
    suite_add_tcase(s, tc);
    return s;
}
