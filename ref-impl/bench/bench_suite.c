/*
 * bench_suite.c: the conformance suite in-process. Every case of the .json files of a directory goes through
 * serve_dispatch (cli/serve_ops.c), the function `stirmls serve` calls for each request line, with
 * the params the harness would send (harness/src/worker.c verify_params, generate.c cell_params):
 * the difference between a harness run and this loop is the cost of the protocol, the process
 * boundary and the harness itself. Each timed pass starts with the serve ops' caches emptied
 * (trust store, chains, certificates), as a harness run starts a fresh `stirmls serve`.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "serve.h"

struct suite {
    size_t n;
    json_t **cases; /* owned references */
};

static void suite_free(struct suite *s)
{
    for (size_t i = 0; i < s->n; i++)
        json_decref(s->cases[i]);
    free(s->cases);
    memset(s, 0, sizeof *s);
}

static int suite_load(const char *dir, struct suite *s)
{
    char pat[4096];
    glob_t g;
    memset(s, 0, sizeof *s);
    snprintf(pat, sizeof pat, "%s/*.json", dir);
    if (glob(pat, 0, NULL, &g) != 0) {
        fprintf(stderr, "stirmls-bench: no vector files in %s\n", dir);
        return -1;
    }
    for (size_t f = 0; f < g.gl_pathc; f++) {
        json_error_t e;
        json_t *doc = json_load_file(g.gl_pathv[f], 0, &e), *c;
        json_t *cases = json_object_get(doc, "cases");
        size_t i, add = json_array_size(cases);
        json_t **grown = doc ? realloc(s->cases, (s->n + add + 1) * sizeof *grown) : NULL;
        if (grown == NULL) {
            fprintf(stderr, "stirmls-bench: %s: %s\n", g.gl_pathv[f], doc ? "out of memory" : e.text);
            json_decref(doc);
            globfree(&g);
            return -1;
        }
        s->cases = grown;
        json_array_foreach(cases, i, c) s->cases[s->n++] = json_incref(c);
        json_decref(doc);
    }
    globfree(&g);
    return 0;
}

static json_t *or_empty_array(json_t *v)
{
    return v ? json_incref(v) : json_array();
}

static json_t *or_empty_object(json_t *v)
{
    return v ? json_incref(v) : json_object();
}

/* verify params of a verify case, as the harness builds them */
static json_t *verify_params(json_t *c)
{
    return json_pack("{s:O,s:O,s:O,s:o,s:O,s:o}", "case", json_object_get(c, "id"), "kind",
                     json_object_get(c, "kind"), "at", json_object_get(c, "at"), "trust_anchors",
                     or_empty_array(json_object_get(c, "trust_anchors")), "input", json_object_get(c, "input"),
                     "policy", or_empty_object(json_object_get(c, "policy")));
}

/* The verdict of one verify request ("" on an error answer). */
static const char *run_verify(json_t *params, char verdict[8])
{
    struct serve_answer ans;
    memset(&ans, 0, sizeof ans);
    serve_dispatch("verify", params, &ans);
    const char *v = json_string_value(json_object_get(ans.result, "verdict"));
    snprintf(verdict, 8, "%s", v ? v : "");
    json_decref(ans.result);
    return verdict;
}

/* A generate case: the reference produces the artefact, then verifies it with the case's check. */
static const char *run_generate(json_t *c, char verdict[8])
{
    struct serve_answer ans;
    json_t *check = json_object_get(c, "check");
    const char *field = json_string_value(json_object_get(check, "artifact_field"));
    memset(&ans, 0, sizeof ans);
    verdict[0] = 0;
    serve_dispatch("generate", json_object_get(c, "params"), &ans);
    if (ans.error_code != NULL && strcmp(ans.error_code, "unimplemented") == 0) {
        snprintf(verdict, 8, "-"); /* the harness scores it UNSUPPORTED, not a mismatch */
        json_decref(ans.result);
        return verdict;
    }
    json_t *arts = json_object_get(ans.result, "artifact"), *art = json_object_get(arts, field ? field : "");
    if (json_is_string(art)) {
        json_t *input = json_deep_copy(json_object_get(check, "input"));
        if (input == NULL)
            input = json_object();
        json_object_set(input, field, art);
        size_t k;
        json_t *w; /* check.artifact_with: more fields of the same artefact (a message's GroupInfo) */
        json_array_foreach(json_object_get(check, "artifact_with"), k, w)
            if (json_is_string(w) && json_object_get(arts, json_string_value(w)) != NULL)
                json_object_set(input, json_string_value(w), json_object_get(arts, json_string_value(w)));
        json_t *p = json_pack("{s:O,s:O,s:O,s:o,s:o,s:o}", "case", json_object_get(c, "id"), "kind",
                              json_object_get(check, "kind"), "at", json_object_get(c, "at"), "trust_anchors",
                              or_empty_array(json_object_get(c, "trust_anchors")), "input", input, "policy",
                              or_empty_object(json_object_get(check, "policy")));
        run_verify(p, verdict);
        json_decref(p);
    }
    json_decref(ans.result);
    return verdict;
}

static const char *expected(json_t *c)
{
    const char *op = json_string_value(json_object_get(c, "op"));
    json_t *exp = op && strcmp(op, "generate") == 0 ? json_object_get(json_object_get(c, "check"), "expect")
                                                    : json_object_get(c, "expect");
    return json_string_value(json_object_get(exp, "verdict"));
}

/* One pass over the suite; returns the number of verdicts different from an accept/reject
 * expectation ("either" cases are not counted). */
static size_t one_pass(const struct suite *s, json_t *const *params)
{
    size_t bad = 0;
    for (size_t i = 0; i < s->n; i++) {
        char v[8];
        const char *want = expected(s->cases[i]);
        if (params[i] != NULL)
            run_verify(params[i], v);
        else
            run_generate(s->cases[i], v);
        if (want && (strcmp(want, "accept") == 0 || strcmp(want, "reject") == 0) && strcmp(v, want) != 0 &&
            strcmp(v, "-") != 0)
            bad++;
    }
    return bad;
}

int bench_suite(const char *dir, double min_seconds, size_t *ncases, double *us_per_case, size_t *mismatches)
{
    struct suite s;
    if (suite_load(dir, &s) != 0 || s.n == 0) {
        suite_free(&s);
        return -1;
    }
    json_t **params = calloc(s.n, sizeof *params);
    if (params == NULL)
        return suite_free(&s), -1;
    for (size_t i = 0; i < s.n; i++) {
        const char *op = json_string_value(json_object_get(s.cases[i], "op"));
        if (op == NULL || strcmp(op, "generate") != 0)
            params[i] = verify_params(s.cases[i]);
    }
    double best = 0, t0 = bench_now();
    *mismatches = one_pass(&s, params); /* warm-up: OpenSSL's first use, first allocations */
    do {
        serve_ops_cleanup(); /* every pass starts as a fresh `stirmls serve`: empty caches */
        double a = bench_now();
        one_pass(&s, params);
        double dt = bench_now() - a;
        if (best == 0 || dt < best)
            best = dt;
    } while (bench_now() - t0 < min_seconds);
    *ncases = s.n;
    *us_per_case = best * 1e6 / (double)s.n;
    for (size_t i = 0; i < s.n; i++)
        json_decref(params[i]);
    free(params);
    suite_free(&s);
    serve_ops_cleanup();
    return 0;
}
