/* chaincache_test.c: the chain-validation cache (chaincache.h). A hit gives the same result as a
 * full validation and validates nothing (its miss counter, the number of full validations, does
 * not move); every input that can change the verdict (time outside the path's window, trust
 * anchors, trusted SPCs, maximum length, one certificate byte, certificate order; the reference TN
 * is checked after the lookup, so another one is a hit with the uncached verdict)
 * makes a miss and the verdict of a fresh validation; eviction at capacity (least recently used);
 * every verdict of a table twice through the cache equals the verdict without it, also through
 * stirmls_auth_chain and stirmls_auth_passport. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/cert_fixture.h"
#include "testlib/passport_fixture.h"

#define NB STIRMLS_PKI_NOT_BEFORE
#define NA STIRMLS_PKI_NOT_AFTER
#define AT (NB + 30 * 86400)

/* ---- fixtures ----------------------------------------------------------------------------- */

static const tl_cert_row fx_rows[] = {
    {"root", "root", STIRMLS_PKI_ROOT, 0, NULL, 0, 0, 0},
    {"sti-ca", "root", STIRMLS_PKI_STI_CA, 0, NULL, 0, 0, 0},
    {"spc-ee", "sti-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0},
    {"range-ee", "sti-ca", STIRMLS_PKI_RANGE_EE, STIRMLS_TNA_RANGE, "12155550100", 100, 0, 0},
    {"deleg-ca", "sti-ca", STIRMLS_PKI_DELEGATE_CA, STIRMLS_TNA_RANGE, "12155550100", 100, 0, 0},
    {"deleg-ca2", "deleg-ca", STIRMLS_PKI_DELEGATE_CA, STIRMLS_TNA_RANGE, "12155550120", 10, 0, 0},
    {"deleg2-one", "deleg-ca2", STIRMLS_PKI_ONE_EE, STIRMLS_TNA_ONE, "12155550125", 0, 0, 0},
    {"spc-ca", "sti-ca", STIRMLS_PKI_DELEGATE_CA, STIRMLS_TNA_SPC, "709J", 0, 0, 0},
    {"spc-tn", "spc-ca", STIRMLS_PKI_ONE_EE, STIRMLS_TNA_ONE, "12155550123", 0, 0, 0},
    {"ca-short", "root", STIRMLS_PKI_STI_CA, 0, NULL, 0, NB, NB + 1000},
    {"under-short", "ca-short", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0},
    {"short-root", "short-root", STIRMLS_PKI_ROOT, 0, NULL, 0, NB, NB + 2000},
    {"short-root-ca", "short-root", STIRMLS_PKI_STI_CA, 0, NULL, 0, 0, 0},
    {"under-short-root", "short-root-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0},
    {"late-ee", "sti-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, NB + 5000, NA},
    {"other-root", "other-root", STIRMLS_PKI_ROOT, 0, NULL, 0, 0, 0},
    {"other-leaf", "other-root", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0},
};

#define NFX (sizeof fx_rows / sizeof fx_rows[0])
static stirmls_cert *fx_cert[NFX];
static stirmls_key *fx_key[NFX];
static stirmls_cert *fx_flipped; /* spc-ee with the last signature byte changed */

/* Trust stores. */
enum { T_ROOT, T_ROOT_OTHER, T_OTHER, T_SHORT, T_N };
static stirmls_trust *fx_trust[T_N];
static const char *const trust_names[T_N][3] = {
    {"root"}, {"root", "other-root"}, {"other-root"}, {"short-root"},
};

static size_t fx_index(const char *name)
{
    for (size_t i = 0; i < NFX; i++)
        if (strcmp(fx_rows[i].name, name) == 0)
            return i;
    ck_abort_msg("no fixture certificate %s", name);
    return 0;
}

static void fx_build(size_t i)
{
    const tl_cert_row *r = &fx_rows[i];
    stirmls_cert_spec s;
    size_t iss = strcmp(r->issuer, r->name) ? fx_index(r->issuer) : i;
    uint8_t *tna = tl_cert_spec("chaincache-test", r, i, iss, fx_cert, fx_key, &s);
    stirmls_detail d;
    stirmls_detail_init(&d);
    ck_assert_msg(stirmls_cert_build(&s, &fx_cert[i], &d) == STIRMLS_R_OK, "%s: %s", r->name, d.text);
    free(tna);
}

static void fx_setup(void)
{
    for (size_t i = 0; i < NFX; i++)
        fx_build(i);
    for (size_t t = 0; t < T_N; t++) {
        stirmls_cert_list anchors;
        stirmls_cert_list_init(&anchors);
        for (size_t k = 0; k < 3 && trust_names[t][k]; k++) {
            stirmls_cert *a = stirmls_cert_up_ref(fx_cert[fx_index(trust_names[t][k])]);
            ck_assert_int_eq(stirmls_cert_list_push(&anchors, a), STIRMLS_R_OK);
        }
        ck_assert_int_eq(stirmls_trust_new(&anchors, &fx_trust[t]), STIRMLS_R_OK);
        stirmls_cert_list_cleanup(&anchors);
    }
    stirmls_slice der = stirmls_cert_der(fx_cert[fx_index("spc-ee")]);
    uint8_t *copy = malloc(der.len);
    ck_assert(copy != NULL);
    memcpy(copy, der.ptr, der.len);
    copy[der.len - 1] ^= 0x01; /* inside the signature's s value: still DER, no longer signed */
    ck_assert_int_eq(stirmls_cert_from_der(copy, der.len, &fx_flipped, NULL), STIRMLS_R_OK);
    free(copy);
}

static void fx_teardown(void)
{
    for (size_t i = 0; i < NFX; i++) {
        stirmls_cert_free(fx_cert[i]);
        stirmls_key_free(fx_key[i]);
    }
    for (size_t t = 0; t < T_N; t++)
        stirmls_trust_free(fx_trust[t]);
    stirmls_cert_free(fx_flipped);
}

/* ---- one validation ----------------------------------------------------------------------- */

struct op {
    const char *chain[6]; /* leaf first; "flipped": spc-ee with one byte changed */
    int trust;
    uint64_t at;
    const char *tn, *spc;
    size_t max_len; /* 0: default */
};

struct outcome {
    stirmls_reason rc;
    stirmls_detail d;
    stirmls_chain_result r;
};

static stirmls_reason run(stirmls_chaincache *c, const struct op *op, struct outcome *out)
{
    stirmls_cert *chain[6];
    size_t n = 0;
    for (; n < 6 && op->chain[n]; n++)
        chain[n] = strcmp(op->chain[n], "flipped") == 0 ? fx_flipped : fx_cert[fx_index(op->chain[n])];
    stirmls_chain_opts o;
    stirmls_chain_opts_init(&o, fx_trust[op->trust], op->at);
    const char *spc[1] = {op->spc};
    o.trust_spc.spc = spc;
    o.trust_spc.n = op->spc ? 1 : 0;
    o.tn = op->tn;
    if (op->max_len)
        o.max_len = op->max_len;
    stirmls_detail_init(&out->d);
    out->rc = stirmls_chaincache_verify(c, chain, n, &o, &out->r, &out->d);
    return out->rc;
}

/* Two outcomes are the same: reason, detail, and on accept every field of the result. */
static void same(const struct outcome *a, const struct outcome *b, const char *what)
{
    ck_assert_msg(a->rc == b->rc, "%s: %s vs %s", what, stirmls_reason_name(a->rc), stirmls_reason_name(b->rc));
    ck_assert_msg(a->d.reason == b->d.reason && a->d.cert_index == b->d.cert_index && a->d.offset == b->d.offset &&
                      strcmp(a->d.text, b->d.text) == 0,
                  "%s: detail \"%s\" vs \"%s\"", what, a->d.text, b->d.text);
    if (a->rc != STIRMLS_R_OK) {
        ck_assert(a->r.identities == NULL && b->r.identities == NULL && a->r.path.n == 0 && b->r.path.n == 0);
        return;
    }
    ck_assert_int_eq(a->r.carrier_asserted, b->r.carrier_asserted);
    ck_assert(a->r.not_after == b->r.not_after);
    ck_assert(a->r.identities->n == b->r.identities->n);
    for (size_t i = 0; i < a->r.identities->n; i++) {
        const stirmls_tna_entry *x = &a->r.identities->entries[i], *y = &b->r.identities->entries[i];
        ck_assert(x->type == y->type && x->count == y->count);
        ck_assert_str_eq(x->value, y->value);
    }
    uint8_t pa[65], pb[65];
    stirmls_key_point(a->r.leaf_key, pa);
    stirmls_key_point(b->r.leaf_key, pb);
    ck_assert(memcmp(pa, pb, sizeof pa) == 0);
    ck_assert(a->r.path.n == b->r.path.n);
    for (size_t i = 0; i < a->r.path.n; i++)
        ck_assert(stirmls_slice_eq(stirmls_cert_der(a->r.path.certs[i]), stirmls_cert_der(b->r.path.certs[i])));
}

static void outcome_cleanup(struct outcome *o)
{
    stirmls_chain_result_cleanup(&o->r);
}

/* ---- a first validation, then a second one that must (not) reuse it ---------------------- */

struct pair_case {
    const char *name;
    struct op first, second;
    stirmls_reason want_first, want_second;
    int hit; /* the second is answered from the cache */
};

#define STD {"spc-ee", "sti-ca"}
#define DELEG {"deleg2-one", "deleg-ca2", "deleg-ca", "sti-ca"}

static const struct pair_case pairs[] = {
    {"same inputs: a hit",
     {.chain = STD, .trust = T_ROOT, .at = AT},
     {.chain = STD, .trust = T_ROOT, .at = AT},
     STIRMLS_R_OK, STIRMLS_R_OK, 1},
    {"later time inside the window: a hit",
     {.chain = STD, .trust = T_ROOT, .at = AT},
     {.chain = STD, .trust = T_ROOT, .at = AT + 86400},
     STIRMLS_R_OK, STIRMLS_R_OK, 1},
    {"at exactly notAfter: a hit",
     {.chain = STD, .trust = T_ROOT, .at = AT},
     {.chain = STD, .trust = T_ROOT, .at = NA},
     STIRMLS_R_OK, STIRMLS_R_OK, 1},
    {"at exactly notBefore: a hit",
     {.chain = STD, .trust = T_ROOT, .at = AT},
     {.chain = STD, .trust = T_ROOT, .at = NB},
     STIRMLS_R_OK, STIRMLS_R_OK, 1},
    {"notAfter + 1: expired, not reused",
     {.chain = STD, .trust = T_ROOT, .at = AT},
     {.chain = STD, .trust = T_ROOT, .at = NA + 1},
     STIRMLS_R_OK, STIRMLS_R_CERT_EXPIRED, 0},
    {"notBefore - 1: not yet valid, not reused",
     {.chain = STD, .trust = T_ROOT, .at = AT},
     {.chain = STD, .trust = T_ROOT, .at = NB - 1},
     STIRMLS_R_OK, STIRMLS_R_CERT_NOT_YET_VALID, 0},
    {"window ends at the intermediate's notAfter",
     {.chain = {"under-short", "ca-short"}, .trust = T_ROOT, .at = NB + 500},
     {.chain = {"under-short", "ca-short"}, .trust = T_ROOT, .at = NB + 1001},
     STIRMLS_R_OK, STIRMLS_R_CERT_EXPIRED, 0},
    {"intermediate's notAfter exactly: a hit",
     {.chain = {"under-short", "ca-short"}, .trust = T_ROOT, .at = NB + 500},
     {.chain = {"under-short", "ca-short"}, .trust = T_ROOT, .at = NB + 1000},
     STIRMLS_R_OK, STIRMLS_R_OK, 1},
    {"window ends at the trust anchor's notAfter",
     {.chain = {"under-short-root", "short-root-ca"}, .trust = T_SHORT, .at = NB + 100},
     {.chain = {"under-short-root", "short-root-ca"}, .trust = T_SHORT, .at = NB + 2001},
     STIRMLS_R_OK, STIRMLS_R_CERT_EXPIRED, 0},
    {"window starts at the leaf's later notBefore",
     {.chain = {"late-ee", "sti-ca"}, .trust = T_ROOT, .at = AT},
     {.chain = {"late-ee", "sti-ca"}, .trust = T_ROOT, .at = NB + 4999},
     STIRMLS_R_OK, STIRMLS_R_CERT_NOT_YET_VALID, 0},
    {"other trust anchors: untrusted, not reused",
     {.chain = STD, .trust = T_ROOT, .at = AT},
     {.chain = STD, .trust = T_OTHER, .at = AT},
     STIRMLS_R_OK, STIRMLS_R_CERT_UNTRUSTED, 0},
    {"more trust anchors: a miss, same accept",
     {.chain = STD, .trust = T_ROOT, .at = AT},
     {.chain = STD, .trust = T_ROOT_OTHER, .at = AT},
     STIRMLS_R_OK, STIRMLS_R_OK, 0},
    {"trusted SPC dropped",
     {.chain = {"spc-tn", "spc-ca", "sti-ca"}, .trust = T_ROOT, .at = AT, .spc = "709J"},
     {.chain = {"spc-tn", "spc-ca", "sti-ca"}, .trust = T_ROOT, .at = AT},
     STIRMLS_R_OK, STIRMLS_R_DELEGATION_SPC_PARENT, 0},
    {"other trusted SPC",
     {.chain = {"spc-tn", "spc-ca", "sti-ca"}, .trust = T_ROOT, .at = AT, .spc = "709J"},
     {.chain = {"spc-tn", "spc-ca", "sti-ca"}, .trust = T_ROOT, .at = AT, .spc = "123X"},
     STIRMLS_R_OK, STIRMLS_R_DELEGATION_SPC_PARENT, 0},
    {"SPC vouching: trust dropped",
     {.chain = STD, .trust = T_ROOT, .at = AT, .tn = "12155550123", .spc = "709J"},
     {.chain = STD, .trust = T_ROOT, .at = AT, .tn = "12155550123"},
     STIRMLS_R_OK, STIRMLS_R_SPC_NOT_TRUSTED, 0},
    /* the reference TN is not part of the key: checked after the lookup (a hit), same verdict */
    {"other reference TN not covered: a hit, then TN_NOT_COVERED",
     {.chain = {"range-ee", "sti-ca"}, .trust = T_ROOT, .at = AT, .tn = "12155550199"},
     {.chain = {"range-ee", "sti-ca"}, .trust = T_ROOT, .at = AT, .tn = "12155550200"},
     STIRMLS_R_OK, STIRMLS_R_TN_NOT_COVERED, 1},
    {"other reference TN covered: a hit, same accept",
     {.chain = {"range-ee", "sti-ca"}, .trust = T_ROOT, .at = AT, .tn = "12155550199"},
     {.chain = {"range-ee", "sti-ca"}, .trust = T_ROOT, .at = AT, .tn = "12155550100"},
     STIRMLS_R_OK, STIRMLS_R_OK, 1},
    {"reference TN added: a hit, then SPC_NOT_TRUSTED",
     {.chain = STD, .trust = T_ROOT, .at = AT},
     {.chain = STD, .trust = T_ROOT, .at = AT, .tn = "12155550123"},
     STIRMLS_R_OK, STIRMLS_R_SPC_NOT_TRUSTED, 1},
    {"reference TN dropped: a hit, same accept",
     {.chain = {"range-ee", "sti-ca"}, .trust = T_ROOT, .at = AT, .tn = "12155550199"},
     {.chain = {"range-ee", "sti-ca"}, .trust = T_ROOT, .at = AT},
     STIRMLS_R_OK, STIRMLS_R_OK, 1},
    {"TN not covered first: the chain is still stored, the TN reject is not",
     {.chain = {"range-ee", "sti-ca"}, .trust = T_ROOT, .at = AT, .tn = "12155550200"},
     {.chain = {"range-ee", "sti-ca"}, .trust = T_ROOT, .at = AT, .tn = "12155550150"},
     STIRMLS_R_TN_NOT_COVERED, STIRMLS_R_OK, 1},
    {"SPC vouching after a plain accept: a hit, carrier-asserted as without a cache",
     {.chain = STD, .trust = T_ROOT, .at = AT, .spc = "709J"},
     {.chain = STD, .trust = T_ROOT, .at = AT, .tn = "12155550123", .spc = "709J"},
     STIRMLS_R_OK, STIRMLS_R_OK, 1},
    {"maximum length lowered",
     {.chain = DELEG, .trust = T_ROOT, .at = AT, .max_len = 5},
     {.chain = DELEG, .trust = T_ROOT, .at = AT, .max_len = 4},
     STIRMLS_R_OK, STIRMLS_R_CERT_CHAIN_TOO_LONG, 0},
    {"default maximum = 10 explicitly: a hit",
     {.chain = DELEG, .trust = T_ROOT, .at = AT},
     {.chain = DELEG, .trust = T_ROOT, .at = AT, .max_len = 10},
     STIRMLS_R_OK, STIRMLS_R_OK, 1},
    {"one certificate byte changed",
     {.chain = STD, .trust = T_ROOT, .at = AT},
     {.chain = {"flipped", "sti-ca"}, .trust = T_ROOT, .at = AT},
     STIRMLS_R_OK, STIRMLS_R_CERT_SIGNATURE, 0},
    {"chain reordered: a miss (and out of order)",
     {.chain = DELEG, .trust = T_ROOT, .at = AT},
     {.chain = {"deleg2-one", "deleg-ca", "deleg-ca2", "sti-ca"}, .trust = T_ROOT, .at = AT},
     STIRMLS_R_OK, STIRMLS_R_CERT_CHAIN_ORDER, 0},
    {"chain reordered, leaf not first",
     {.chain = STD, .trust = T_ROOT, .at = AT},
     {.chain = {"sti-ca", "spc-ee"}, .trust = T_ROOT, .at = AT},
     STIRMLS_R_OK, STIRMLS_R_CERT_CHAIN_ORDER, 0},
    {"intermediate dropped",
     {.chain = STD, .trust = T_ROOT, .at = AT},
     {.chain = {"spc-ee"}, .trust = T_ROOT, .at = AT},
     STIRMLS_R_OK, STIRMLS_R_CERT_UNTRUSTED, 0},
    {"anchor appended: a miss, same accept",
     {.chain = STD, .trust = T_ROOT, .at = AT},
     {.chain = {"spc-ee", "sti-ca", "root"}, .trust = T_ROOT, .at = AT},
     STIRMLS_R_OK, STIRMLS_R_OK, 0},
    {"a reject is not cached",
     {.chain = STD, .trust = T_ROOT, .at = NA + 1},
     {.chain = STD, .trust = T_ROOT, .at = NA + 1},
     STIRMLS_R_CERT_EXPIRED, STIRMLS_R_CERT_EXPIRED, 0},
};

START_TEST(pair_table)
{
    const struct pair_case *p = &pairs[_i];
    stirmls_chaincache *c = stirmls_chaincache_new(8);
    struct outcome a, b, ref;
    uint64_t hits, misses;
    ck_assert(c != NULL);
    ck_assert_msg(run(c, &p->first, &a) == p->want_first, "%s: first %s", p->name, stirmls_reason_name(a.rc));
    stirmls_chaincache_stats(c, &hits, &misses);
    ck_assert(hits == 0 && misses == 1);
    ck_assert_msg(run(c, &p->second, &b) == p->want_second, "%s: second %s (%s)", p->name,
                  stirmls_reason_name(b.rc), b.d.text);
    run(NULL, &p->second, &ref);
    same(&b, &ref, p->name);
    stirmls_chaincache_stats(c, &hits, &misses);
    ck_assert_msg(hits == (uint64_t)p->hit && misses == 2 - (uint64_t)p->hit, "%s: %llu hits, %llu misses", p->name,
                  (unsigned long long)hits, (unsigned long long)misses);
    outcome_cleanup(&a), outcome_cleanup(&b), outcome_cleanup(&ref);
    stirmls_chaincache_free(c);
}
END_TEST

/* ---- every verdict twice through the cache equals the verdict without it ------------------ */

static const struct op verdicts[] = {
    {.chain = STD, .trust = T_ROOT, .at = AT},
    {.chain = {"spc-ee", "sti-ca", "root"}, .trust = T_ROOT, .at = AT},
    {.chain = {"range-ee", "sti-ca"}, .trust = T_ROOT, .at = AT, .tn = "12155550150"},
    {.chain = {"range-ee", "sti-ca"}, .trust = T_ROOT, .at = AT, .tn = "12155550200"},
    {.chain = DELEG, .trust = T_ROOT, .at = AT, .tn = "12155550125"},
    {.chain = DELEG, .trust = T_ROOT, .at = AT, .max_len = 4},
    {.chain = {"spc-tn", "spc-ca", "sti-ca"}, .trust = T_ROOT, .at = AT, .tn = "12155550123", .spc = "709J"},
    {.chain = {"spc-tn", "spc-ca", "sti-ca"}, .trust = T_ROOT, .at = AT},
    {.chain = STD, .trust = T_ROOT, .at = AT, .tn = "12155550123", .spc = "709J"},
    {.chain = STD, .trust = T_ROOT, .at = AT, .tn = "12155550123"},
    {.chain = STD, .trust = T_ROOT, .at = NA},
    {.chain = STD, .trust = T_ROOT, .at = NA + 1},
    {.chain = STD, .trust = T_ROOT, .at = NB - 1},
    {.chain = {"under-short", "ca-short"}, .trust = T_ROOT, .at = AT},
    {.chain = {"under-short-root", "short-root-ca"}, .trust = T_SHORT, .at = NB + 2000},
    {.chain = {"under-short-root", "short-root-ca"}, .trust = T_SHORT, .at = NB + 2001},
    {.chain = {"flipped", "sti-ca"}, .trust = T_ROOT, .at = AT},
    {.chain = {"other-leaf"}, .trust = T_OTHER, .at = AT},
    {.chain = {"other-leaf"}, .trust = T_ROOT, .at = AT},
    {.chain = {"sti-ca"}, .trust = T_ROOT, .at = AT},
    {.chain = {NULL}, .trust = T_ROOT, .at = AT},
    {.chain = STD, .trust = T_ROOT, .at = AT, .tn = "+1 215 555 0123"},
};

START_TEST(twice_equals_uncached)
{
    const struct op *op = &verdicts[_i];
    stirmls_chaincache *c = stirmls_chaincache_new(4);
    struct outcome ref, first, second;
    uint64_t hits, misses;
    run(NULL, op, &ref);
    run(c, op, &first);
    run(c, op, &second);
    same(&first, &ref, "first");
    same(&second, &ref, "second");
    stirmls_chaincache_stats(c, &hits, &misses);
    /* a chain that validates is validated once and then answered from the cache, also when the
     * number then fails (the TN check follows the lookup); a chain reject is validated every time;
     * a reference TN not in canonical form (USAGE) never reaches the cache */
    int stored = ref.rc == STIRMLS_R_OK || ref.rc == STIRMLS_R_TN_NOT_COVERED || ref.rc == STIRMLS_R_SPC_NOT_TRUSTED;
    int looked = ref.rc != STIRMLS_R_USAGE;
    ck_assert(hits == (uint64_t)stored && misses == (looked ? 2 - hits : 0));
    ck_assert(stirmls_chaincache_size(c) == (size_t)stored);
    outcome_cleanup(&ref), outcome_cleanup(&first), outcome_cleanup(&second);
    stirmls_chaincache_free(c);
}
END_TEST

/* ---- capacity ----------------------------------------------------------------------------- */

static const struct op ev[3] = {
    {.chain = STD, .trust = T_ROOT, .at = AT},
    {.chain = {"range-ee", "sti-ca"}, .trust = T_ROOT, .at = AT},
    {.chain = DELEG, .trust = T_ROOT, .at = AT},
};

/* Run ev[i]; 1 when it was a hit. */
static int hit(stirmls_chaincache *c, size_t i)
{
    struct outcome o;
    uint64_t h0, h1;
    stirmls_chaincache_stats(c, &h0, NULL);
    ck_assert_int_eq(run(c, &ev[i], &o), STIRMLS_R_OK);
    outcome_cleanup(&o);
    stirmls_chaincache_stats(c, &h1, NULL);
    return h1 > h0;
}

START_TEST(evicts_least_recently_used)
{
    stirmls_chaincache *c = stirmls_chaincache_new(2);
    ck_assert(!hit(c, 0) && !hit(c, 1));
    ck_assert(stirmls_chaincache_size(c) == 2);
    ck_assert(hit(c, 0));  /* 0 is now the most recently used */
    ck_assert(!hit(c, 2)); /* evicts 1 */
    ck_assert(stirmls_chaincache_size(c) == 2);
    ck_assert(hit(c, 0) && hit(c, 2));
    ck_assert(!hit(c, 1)); /* evicts 0 */
    ck_assert(!hit(c, 0));
    stirmls_chaincache_free(c);
}
END_TEST

START_TEST(capacity_zero_stores_nothing)
{
    stirmls_chaincache *c = stirmls_chaincache_new(0);
    uint64_t hits, misses;
    ck_assert(c != NULL);
    ck_assert(!hit(c, 0) && !hit(c, 0));
    stirmls_chaincache_stats(c, &hits, &misses);
    ck_assert(hits == 0 && misses == 2 && stirmls_chaincache_size(c) == 0);
    stirmls_chaincache_free(c);
}
END_TEST

START_TEST(free_null_and_stats_null)
{
    uint64_t hits = 7, misses = 7;
    stirmls_chaincache_free(NULL);
    stirmls_chaincache_stats(NULL, &hits, &misses);
    ck_assert(hits == 0 && misses == 0);
    ck_assert(stirmls_chaincache_size(NULL) == 0);
    stirmls_chaincache *c = stirmls_chaincache_new(1);
    stirmls_chaincache_stats(c, NULL, NULL);
    stirmls_chaincache_free(c);
}
END_TEST

START_TEST(trust_digest_is_the_anchors)
{
    uint8_t a[STIRMLS_SHA256_LEN], b[STIRMLS_SHA256_LEN];
    stirmls_trust *again = NULL;
    stirmls_cert_list l;
    stirmls_cert_list_init(&l);
    ck_assert_int_eq(stirmls_cert_list_push(&l, stirmls_cert_up_ref(fx_cert[fx_index("root")])), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_trust_new(&l, &again), STIRMLS_R_OK);
    stirmls_trust_digest(again, a);
    stirmls_trust_digest(fx_trust[T_ROOT], b);
    ck_assert(memcmp(a, b, sizeof a) == 0); /* another store of the same anchors: the same key */
    stirmls_trust_digest(fx_trust[T_ROOT_OTHER], b);
    ck_assert(memcmp(a, b, sizeof a) != 0);
    /* outside truth: SHA-256 of (4-byte length || DER) */
    stirmls_slice der = stirmls_cert_der(fx_cert[fx_index("root")]);
    uint8_t *buf = malloc(der.len + 4);
    ck_assert(buf != NULL);
    buf[0] = (uint8_t)(der.len >> 24), buf[1] = (uint8_t)(der.len >> 16), buf[2] = (uint8_t)(der.len >> 8);
    buf[3] = (uint8_t)der.len;
    memcpy(buf + 4, der.ptr, der.len);
    stirmls_sha256(buf, der.len + 4, b);
    ck_assert(memcmp(a, b, sizeof a) == 0);
    free(buf);
    stirmls_trust_free(again);
    stirmls_cert_list_cleanup(&l);
}
END_TEST

/* ---- through the authority layer ---------------------------------------------------------- */

START_TEST(auth_chain_same_result)
{
    static const char *const tns[] = {NULL, "12155550150", "+1 (215) 555-0150", "12155550200"};
    for (size_t t = 0; t < sizeof tns / sizeof tns[0]; t++) {
        stirmls_cert *chain[2] = {fx_cert[fx_index("range-ee")], fx_cert[fx_index("sti-ca")]};
        stirmls_chaincache *c = stirmls_chaincache_new(4);
        stirmls_auth_opts o;
        stirmls_auth_result ref, r;
        stirmls_detail dref, d;
        stirmls_auth_opts_init(&o, fx_trust[T_ROOT], AT);
        ck_assert(o.cache == NULL);
        o.tn = tns[t];
        stirmls_detail_init(&dref);
        stirmls_reason want = stirmls_auth_chain(chain, 2, &o, &ref, &dref);
        o.cache = c;
        for (int k = 0; k < 2; k++) {
            stirmls_detail_init(&d);
            ck_assert_int_eq(stirmls_auth_chain(chain, 2, &o, &r, &d), want);
            ck_assert(memcmp(&r, &ref, sizeof r) == 0);
            ck_assert(d.reason == dref.reason && strcmp(d.text, dref.text) == 0);
        }
        uint64_t hits;
        stirmls_chaincache_stats(c, &hits, NULL);
        /* the chain is stored whenever it validates: a number it does not cover is a hit too */
        ck_assert(hits == (want == STIRMLS_R_OK || want == STIRMLS_R_TN_NOT_COVERED));
        stirmls_chaincache_free(c);
    }
}
END_TEST

/* A PASSporT signed by range-ee for orig 12155550123, bound to the fixture MLS key. */
static char *ppt_token(uint64_t iat)
{
    char claims[512];
    snprintf(claims, sizeof claims,
             "{\"dest\":{\"tn\":[\"12125551213\"]},\"iat\":%llu," PF_M ",\"orig\":{\"tn\":\"12155550123\"}}",
             (unsigned long long)iat);
    char *h = pf_fill(PF_H0), *cl = pf_fill(claims), *tok = NULL;
    ck_assert_int_eq(stirmls_passport_sign_bytes(fx_key[fx_index("range-ee")], h, strlen(h), cl, strlen(cl), &tok),
                     STIRMLS_R_OK);
    free(h), free(cl);
    return tok;
}

START_TEST(auth_passport_same_result)
{
    static const struct {
        uint64_t iat, at;
        const char *tn;
    } rows[] = {{AT, AT, NULL}, {AT, AT, "12155550123"}, {AT, AT, "12155550124"}, {NA, NA + 1, NULL}};
    stirmls_key *mls = pf_mls_key();
    uint8_t sk[STIRMLS_P256_POINT_LEN];
    stirmls_key_point(mls, sk);
    stirmls_key_free(mls);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *tok = ppt_token(rows[i].iat);
        stirmls_cert *chain[2] = {fx_cert[fx_index("range-ee")], fx_cert[fx_index("sti-ca")]};
        stirmls_chaincache *c = stirmls_chaincache_new(4);
        stirmls_auth_opts o;
        stirmls_auth_result ref, r;
        stirmls_detail dref, d;
        stirmls_auth_opts_init(&o, fx_trust[T_ROOT], rows[i].at);
        o.tn = rows[i].tn;
        stirmls_detail_init(&dref);
        stirmls_reason want = stirmls_auth_passport(tok, strlen(tok), chain, 2, &o, sk, sizeof sk, &ref, &dref);
        o.cache = c;
        for (int k = 0; k < 2; k++) {
            stirmls_detail_init(&d);
            ck_assert_int_eq(stirmls_auth_passport(tok, strlen(tok), chain, 2, &o, sk, sizeof sk, &r, &d), want);
            ck_assert(memcmp(&r, &ref, sizeof r) == 0);
            ck_assert(d.reason == dref.reason && strcmp(d.text, dref.text) == 0);
        }
        uint64_t hits;
        stirmls_chaincache_stats(c, &hits, NULL);
        /* the chain accepts in the first three rows (the reference TN is compared after it) */
        ck_assert_msg(hits == (i < 3), "row %zu: %s, %llu hits", i, stirmls_reason_name(want),
                      (unsigned long long)hits);
        stirmls_chaincache_free(c);
        free(tok);
    }
}
END_TEST

Suite *chaincache_suite(void);
Suite *chaincache_suite(void)
{
    Suite *s = suite_create("chaincache");
    TCase *tc = tcase_create("cache");
    tcase_add_unchecked_fixture(tc, fx_setup, fx_teardown);
    tcase_add_loop_test(tc, pair_table, 0, sizeof pairs / sizeof pairs[0]);
    tcase_add_loop_test(tc, twice_equals_uncached, 0, sizeof verdicts / sizeof verdicts[0]);
    tcase_add_test(tc, evicts_least_recently_used);
    tcase_add_test(tc, capacity_zero_stores_nothing);
    tcase_add_test(tc, free_null_and_stats_null);
    tcase_add_test(tc, trust_digest_is_the_anchors);
    tcase_add_test(tc, auth_chain_same_result);
    tcase_add_test(tc, auth_passport_same_result);
    suite_add_tcase(s, tc);
    return s;
}
