/*
 * bench.c: build/stirmls-bench, the in-process half of `make bench` (ref-impl/bench/run.sh does
 * the harness, the peers and memory). Prints, in one run:
 *   the limit: ECDSA P-256 verifications/s (stirmls_ecdsa_verify_der on a fixed message and key);
 *   each operation's rate and its fraction of the limit for its number of ECDSA verifications
 *   (fraction = rate x n / limit), one line per operation of the form
 *   "keypackage verify: N/s, 0.NN of limit";
 *   the conformance suite in-process through the serve ops (cases/s, µs per case).
 *
 *   stirmls-bench [--seconds S] [--vectors DIR] [--no-suite] [--no-ops] [--only NAME]
 *                 [--group-members N]
 *   (--only: the operations whose name contains NAME, no suite: for a profiler;
 *    --group-members: the size of the group rows' GroupInfo, 1000 by default (peak RSS by size);
 *    --export: write the fixture's PASSporT and certificates for ref-impl/bench/peers/ and exit)
 *
 * Every rate is per CPU second of this process (CLOCK_PROCESS_CPUTIME_ID), the best of 3 rounds;
 * each operation's rounds alternate with rounds of the limit and its fraction is of the limit
 * measured next to it, so load from other processes (which slows both alike) does not move the
 * fraction. Progress goes to stderr, results to stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench.h"

#if defined(__has_include)
#if __has_include("stirmls/chaincache.h")
#include "stirmls/chaincache.h"
#define BENCH_HAVE_CHAINCACHE 1
#endif
#endif

#define ROUNDS 3
#define BENCH_GROUP 1000 /* members of the group rows' GroupInfo */
#define TN "12155550150"

/* CPU seconds of this process: the machine is shared, and time spent waiting for a core is no
 * cost of the code measured. */
double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The state one operation runs against. */
struct bctx {
    struct bench_fix *f;
    stirmls_stir_binding b;
    stirmls_cred_validators v;
    stirmls_mls_options mls;
};

typedef stirmls_reason (*bench_op)(struct bctx *c);

static stirmls_reason op_limit(struct bctx *c)
{
    return stirmls_ecdsa_verify_der(c->f->mls_key, c->f->msg, sizeof c->f->msg, c->f->msg_sig, c->f->msg_sig_len);
}

static stirmls_reason op_tnauthlist(struct bctx *c)
{
    stirmls_tnauthlist *l = NULL;
    stirmls_reason rc = stirmls_tnauthlist_decode(c->f->tna_der, c->f->tna_len, &l, NULL);
    stirmls_tnauthlist_free(l);
    return rc;
}

/* One certificate from DER (d2i_X509 and the profile's extension cache). */
static stirmls_reason op_cert_parse(struct bctx *c)
{
    stirmls_cert *x = NULL;
    stirmls_slice der = stirmls_cert_der(c->f->chain[0]);
    stirmls_reason rc = stirmls_cert_from_der(der.ptr, der.len, &x, NULL);
    stirmls_cert_free(x);
    return rc;
}

static stirmls_reason op_chain(struct bctx *c)
{
    stirmls_auth_opts o;
    stirmls_auth_result res;
    stirmls_auth_opts_init(&o, c->f->trust, c->f->at);
    o.tn = TN;
    return stirmls_auth_chain(c->f->chain, 2, &o, &res, NULL);
}

/* The PASSporT alone, as a JWS library verifies it: parse and ES256 under the signer's key. */
static stirmls_reason op_passport_sig(struct bctx *c)
{
    stirmls_passport *p = NULL;
    stirmls_key *k = NULL;
    stirmls_reason rc = stirmls_passport_parse(c->f->token, strlen(c->f->token), &c->b.auth.ppt, &p, NULL);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_cert_key(c->f->chain[0], &k);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_passport_check_signature(p, k, NULL);
    stirmls_key_free(k);
    stirmls_passport_free(p);
    return rc;
}

static stirmls_reason op_passport(struct bctx *c)
{
    stirmls_auth_opts o = c->b.auth;
    stirmls_auth_result res;
    o.at = c->f->at;
    o.tn = TN;
    return stirmls_auth_passport(c->f->token, strlen(c->f->token), c->f->chain, 2, &o, c->f->sigkey,
                                 sizeof c->f->sigkey, &res, NULL);
}

/* As a verifier receives it: the chain as PEM text, parsed on every call (stirmls serve's passport
 * kind; comparable with a library that reads the chain from a file each time). */
static stirmls_reason op_passport_pem(struct bctx *c)
{
    stirmls_cert_list l;
    stirmls_cert_list_init(&l);
    stirmls_reason rc = stirmls_certcache_list_parse(c->b.certs, (const uint8_t *)c->f->chain_pem,
                                                     strlen(c->f->chain_pem), &l, NULL);
    if (rc == STIRMLS_R_OK) {
        stirmls_auth_opts o = c->b.auth;
        stirmls_auth_result res;
        o.at = c->f->at;
        o.tn = TN;
        rc = stirmls_auth_passport(c->f->token, strlen(c->f->token), l.certs, l.n, &o, c->f->sigkey,
                                   sizeof c->f->sigkey, &res, NULL);
    }
    stirmls_cert_list_cleanup(&l);
    return rc;
}

static stirmls_reason credential(struct bctx *c, const uint8_t *buf, size_t len)
{
    stirmls_credential cred;
    stirmls_identities ids;
    uint64_t not_after = 0;
    stirmls_slice key = {c->f->sigkey, sizeof c->f->sigkey};
    stirmls_identities_init(&ids);
    stirmls_reason rc = stirmls_credential_decode(buf, len, &c->mls.codepoints, &cred, NULL);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_cred_validate(&c->v, 0, &cred, key, c->f->at, &not_after, &ids, NULL);
    return rc;
}

static stirmls_reason op_cred_a(struct bctx *c)
{
    return credential(c, c->f->cred_a, c->f->cred_a_len);
}

static stirmls_reason op_cred_p(struct bctx *c)
{
    return credential(c, c->f->cred_p, c->f->cred_p_len);
}

static stirmls_reason op_keypackage(struct bctx *c)
{
    stirmls_keypackage kp;
    stirmls_mls_result res;
    int was = 0;
    stirmls_reason rc = stirmls_keypackage_decode_any(c->f->kp, c->f->kp_len, &c->mls.codepoints, &kp, &was, NULL);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_keypackage_verify(&kp, &c->mls, &c->v, c->f->at, &res, NULL);
    return rc;
}

/* GroupInfo verification with the member table, as `stirmls serve` does for group_info. */
static stirmls_reason op_group(struct bctx *c)
{
    stirmls_group_info gi;
    stirmls_group_policy p;
    stirmls_group_result res = {0};
    stirmls_group_policy_default(&p);
    p.mls = c->mls;
    stirmls_reason rc = stirmls_group_info_decode_message(c->f->group, c->f->group_len, &gi, NULL);
    if (rc == STIRMLS_R_OK)
        rc = stirmls_group_info_verify(&gi, &p, &c->v, c->f->at, &res, NULL);
    if (rc == STIRMLS_R_OK && res.n_members != c->f->group_members)
        rc = STIRMLS_R_INTERNAL;
    stirmls_group_result_cleanup(&res);
    return rc;
}

/* The rate of one round of at least `seconds`; -1 if the operation does not succeed. */
static double one_round(bench_op op, struct bctx *c, double seconds)
{
    unsigned long n = 0;
    double t0 = bench_now(), dt;
    do {
        for (int i = 0; i < 8; i++)
            if (op(c) != STIRMLS_R_OK)
                return -1;
        n += 8;
    } while ((dt = bench_now() - t0) < seconds);
    return (double)n / dt;
}

/* ROUNDS rounds of the limit and of op, alternately: *rate and *limit are the best round of each,
 * so an operation is compared with the limit measured next to it (load from other processes on a
 * shared machine moves both alike). *rate is -1 if op does not succeed. */
static void measure(bench_op op, struct bctx *c, double seconds, double *rate, double *limit)
{
    *rate = op(c) == STIRMLS_R_OK ? 0 : -1;
    *limit = 0;
    for (int r = 0; r < ROUNDS && *rate >= 0; r++) {
        double l = one_round(op_limit, c, seconds), x = one_round(op, c, seconds);
        if (l > *limit)
            *limit = l;
        if (x < 0 || x > *rate)
            *rate = x;
    }
}

struct row {
    const char *name;
    bench_op op;
    int nverify; /* ECDSA verifications per operation */
    int cached;  /* bits: 1 the chain-validation cache, 2 the certificate cache */
    double rate;
    double limit; /* measured next to it */
    int group;    /* a GroupInfo row: nverify is per member (plus one for the GroupInfo) */
};

static void print_row(const struct row *r)
{
    if (r->rate == -2)
        return;
    if (r->rate < 0)
        printf("%s: FAILED (the operation did not verify)\n", r->name);
    else if (r->group)
        printf("%s: %.0f members/s (%.2f GroupInfos/s), %.2f of limit\n", r->name, r->rate * r->group, r->rate,
               r->rate * (r->nverify * r->group + 1) / r->limit);
    else if (r->nverify == 0)
        printf("%s: %.0f/s (no ECDSA verification)\n", r->name, r->rate);
    else
        printf("%s: %.0f/s, %.2f of limit\n", r->name, r->rate, r->rate * r->nverify / r->limit);
}

static size_t group_members = BENCH_GROUP; /* --group-members */

static int run_ops(struct bench_fix *f, double seconds, const char *only)
{
    char gcached[96], gnone[96];
    snprintf(gcached, sizeof gcached, "group_info verify, %zu members (cached chain and certificates)", group_members);
    snprintf(gnone, sizeof gnone, "group_info verify, %zu members (no cache)", group_members);
    struct row rows[] = {
        {"tnauthlist decode", op_tnauthlist, 0, 0, 0, 0, 0},
        {"certificate parse (DER)", op_cert_parse, 0, 0, 0, 0, 0},
        {"chain validation (root, CA, leaf)", op_chain, 2, 0, 0, 0, 0},
        {"passport signature only (parse + ES256, no chain)", op_passport_sig, 1, 0, 0, 0, 0},
        {"passport verify (with chain)", op_passport, 3, 0, 0, 0, 0},
        {"passport verify (chain parsed from PEM each time)", op_passport_pem, 3, 0, 0, 0, 0},
        {"passport verify (chain from PEM, certificate cache)", op_passport_pem, 3, 2, 0, 0, 0},
        {"credential stir_certificate (VAL-A)", op_cred_a, 2, 0, 0, 0, 0},
        {"credential stir_passport (VAL-P)", op_cred_p, 3, 0, 0, 0, 0},
        {"keypackage verify", op_keypackage, 5, 0, 0, 0, 0},
        {"keypackage verify (cached chain)", op_keypackage, 3, 1, 0, 0, 0},
        {"keypackage verify (cached chain and certificates)", op_keypackage, 3, 3, 0, 0, 0},
        {gcached, op_group, 2, 3, 0, 0, (int)group_members},
        {gnone, op_group, 4, 0, 0, 0, (int)group_members},
    };
    struct bctx c;
    int bad = 0;
    memset(&c, 0, sizeof c);
    c.f = f;
    stirmls_mls_options_default(&c.mls);
    stirmls_stir_binding_init(&c.b, f->trust);
    stirmls_cred_validators_default(&c.v);
    stirmls_stir_validators(&c.b, &c.v);
    double lo = 0, hi = 0;
#ifdef BENCH_HAVE_CHAINCACHE
    /* the sizes `stirmls serve` uses (ref-impl/cli/serve.h: SERVE_CHAIN_CACHE 256 entries, four
     * times that many certificates): the group rows' members share one chain entry (the key leaves
     * out the TN the chain must cover, checked after the lookup) */
    stirmls_chaincache *cache = stirmls_chaincache_new(256);
    stirmls_certcache *certs = stirmls_certcache_new(4 * 256);
#endif
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (only != NULL && strstr(rows[i].name, only) == NULL) {
            rows[i].rate = -2; /* not measured */
            continue;
        }
        fprintf(stderr, "stirmls-bench: %s\n", rows[i].name);
        if (rows[i].group && f->group == NULL && bench_group_build(f, group_members) != 0) {
            rows[i].rate = -1;
            bad = 1;
            continue;
        }
#ifdef BENCH_HAVE_CHAINCACHE
        c.b.auth.cache = rows[i].cached & 1 ? cache : NULL;
        c.b.certs = rows[i].cached & 2 ? certs : NULL;
#else
        if (rows[i].cached)
            continue;
#endif
        measure(rows[i].op, &c, seconds, &rows[i].rate, &rows[i].limit);
        bad |= rows[i].rate < 0;
        if (rows[i].limit > hi)
            hi = rows[i].limit;
        if (rows[i].limit > 0 && (lo == 0 || rows[i].limit < lo))
            lo = rows[i].limit;
    }
    printf("rates: per CPU second of this process, best of %d rounds of %.2f s, each operation's rounds\n"
           "       alternating with rounds of the limit; its fraction is of the limit measured next to it\n",
           ROUNDS, seconds);
    printf("limit: ECDSA P-256 verify (stirmls_ecdsa_verify_der, %s): %.0f/s (%.0f to %.0f next to the operations)\n",
           stirmls_crypto_version(), hi, lo, hi);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
#ifndef BENCH_HAVE_CHAINCACHE
        if (rows[i].cached) {
            printf("%s: not available (no chain cache in this build)\n", rows[i].name);
            continue;
        }
#endif
        print_row(&rows[i]);
    }
#ifdef BENCH_HAVE_CHAINCACHE
    uint64_t hits = 0, misses = 0, chits = 0, cmisses = 0;
    stirmls_chaincache_stats(cache, &hits, &misses);
    stirmls_certcache_stats(certs, &chits, &cmisses);
    printf("caches: chains %llu hits, %llu misses; certificates %llu hits, %llu misses\n", (unsigned long long)hits,
           (unsigned long long)misses, (unsigned long long)chits, (unsigned long long)cmisses);
    stirmls_chaincache_free(cache);
    stirmls_certcache_free(certs);
#endif
    return bad || hi <= 0;
}

static int run_suite(const char *dir, double seconds)
{
    size_t n = 0, bad = 0;
    double us = 0;
    fprintf(stderr, "stirmls-bench: the suite in-process (%s)\n", dir);
    if (bench_suite(dir, seconds, &n, &us, &bad) != 0)
        return 1;
    printf("suite in-process (serve_dispatch, CPU time): %zu cases, %.0f cases/s, %.1f µs/case, %zu verdict mismatches\n", n,
           1e6 / us, us, bad);
    return bad != 0;
}

int main(int argc, char **argv)
{
    const char *vectors = "vectors", *only = NULL, *export = NULL;
    double seconds = 0.25;
    int ops = 1, suite = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--vectors") == 0 && i + 1 < argc)
            vectors = argv[++i];
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i], suite = 0;
        else if (strcmp(argv[i], "--export") == 0 && i + 1 < argc)
            export = argv[++i];
        else if (strcmp(argv[i], "--group-members") == 0 && i + 1 < argc && atoi(argv[i + 1]) > 0)
            group_members = (size_t)atoi(argv[++i]);
        else if (strcmp(argv[i], "--no-suite") == 0)
            suite = 0;
        else if (strcmp(argv[i], "--no-ops") == 0)
            ops = 0;
        else {
            fprintf(stderr, "usage: stirmls-bench [--seconds S] [--vectors DIR] [--no-suite] [--no-ops] [--only NAME] [--export DIR] [--group-members N]\n");
            return 2;
        }
    }
    if (seconds <= 0)
        seconds = 0.25;
    struct bench_fix f;
    int rc = 0;
    if (export != NULL) {
        rc = bench_fix_build(&f) != 0 || bench_fix_export(&f, export) != 0;
        bench_fix_cleanup(&f);
        return rc ? 2 : 0;
    }
    if (ops) {
        if (bench_fix_build(&f) != 0)
            return 2;
        rc |= run_ops(&f, seconds, only);
        bench_fix_cleanup(&f);
    }
    if (suite)
        rc |= run_suite(vectors, 4 * seconds);
    return rc;
}
