/*
 * bench.h: the parts of build/stirmls-bench (make bench, docs/performance.md).
 *
 *   bench.c        main, the timing loop, the ECDSA limit and the per-operation rates
 *   bench_setup.c  the fixture: test PKI, PASSporT, both credential types, a KeyPackage
 *   bench_suite.c  the conformance suite in-process, through the ops `stirmls serve` answers
 *   bench_group.c  a large group's GroupInfo (members sharing their carrier's certificates)
 *
 * A benchmark, never a test: nothing here asserts a time. Rates use the process's CPU time (the
 * machine is shared); each is the best of a few rounds.
 */
#ifndef STIRMLS_BENCH_H
#define STIRMLS_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include "stirmls.h"

#define BENCH_X5U "https://certs.stirmls.test/range-ee.pem" /* the PASSporT's x5u */

/* Everything the per-operation loops verify (built once, deterministic). */
struct bench_fix {
    stirmls_pki pki;
    stirmls_trust *trust;
    uint64_t at;
    stirmls_key *mls_key;         /* the member's MLS signature key */
    uint8_t sigkey[STIRMLS_P256_POINT_LEN];
    stirmls_cert *chain[2];       /* range-ee, sti-ca (borrowed from pki) */
    stirmls_cert *alice;          /* Approach 1 leaf: TN 12155550150, key = mls_key (owned) */
    uint8_t *tna_der;             /* a one-range TNAuthList (owned) */
    size_t tna_len;
    char *chain_pem;              /* range-ee, sti-ca as PEM (owned) */
    char *token;                  /* PASSporT signed by range-ee, mky bound to sigkey (owned) */
    uint8_t *cred_a, *cred_p;     /* encoded stir_certificate / stir_passport credentials (owned) */
    size_t cred_a_len, cred_p_len;
    uint8_t *kp;                  /* MLSMessage with a KeyPackage carrying cred_p (owned) */
    size_t kp_len;
    uint8_t *group;               /* MLSMessage with the GroupInfo of bench_group_build (owned) */
    size_t group_len, group_members;
    uint8_t msg[64];              /* the limit's fixed message and signature */
    uint8_t *msg_sig;
    size_t msg_sig_len;
};

int bench_fix_build(struct bench_fix *f);
void bench_fix_cleanup(struct bench_fix *f);
/* Write the PASSporT (passport.jwt), its chain (chain.pem, leaf first), the signer (signer.pem),
 * the anchor (root.pem), the evaluation time (at.txt) and the x5u URL (x5u.txt) into dir, for the peers' loops. */
int bench_fix_export(const struct bench_fix *f, const char *dir);

/* An encoded credential of kind k with the given certificates (and token for stir_passport),
 * owned. 0 on success. */
int bench_build_cred(stirmls_cred_kind k, stirmls_cert *const *certs, size_t n, const char *token, uint8_t **out,
                     size_t *len);
/* The group rows' GroupInfo: n Approach 2 members (bench_group.c). 0 on success. */
int bench_group_build(struct bench_fix *f, size_t n);

/* CPU seconds of this process (CLOCK_PROCESS_CPUTIME_ID). */
double bench_now(void);

/* The suite in-process: every case of the .json files of dir through serve_dispatch, repeated for at least
 * min_seconds. Fills the case count, the per-case time in microseconds and the number of
 * verdicts that differ from the expected one (0 for a healthy build). 0 on success. */
int bench_suite(const char *dir, double min_seconds, size_t *ncases, double *us_per_case,
                size_t *mismatches);

#endif
