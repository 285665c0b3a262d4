/* chain_test.c: STIR chain validation over certificates made by the builder: the valid profiles,
 * delegation (DLG-03), SPC trust (TNA-06), validity boundaries, critical extensions, keyUsage,
 * basicConstraints, signatures, trust, chain length, JWT claim constraints. Exact reasons and
 * the index of the failing certificate are asserted. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "testlib/cert_fixture.h"
#include "testlib/testlib.h"

#define NB STIRMLS_PKI_NOT_BEFORE
#define NA STIRMLS_PKI_NOT_AFTER
#define AT (NB + 30 * 86400)

enum mut {
    M_NONE,
    M_TNA_CRITICAL,
    M_UNKNOWN_CRIT,
    M_UNKNOWN_NONCRIT,
    M_NO_DS,
    M_NO_BC,
    M_CA_FALSE,
    M_BAD_SIG,
    M_BAD_TNA,
    M_JCC_CRIT,
    M_JCC_BOTH,
    M_JCC_BAD,
    M_PATHLEN0,
    M_NO_KU_EE,
    M_DUP_TNA,
};

struct fx_row {
    tl_cert_row c;
    enum mut mut;
};

static const struct fx_row fx_rows[] = {
    {{"root", "root", STIRMLS_PKI_ROOT, 0, NULL, 0, 0, 0}, M_NONE},
    {{"sti-ca", "root", STIRMLS_PKI_STI_CA, 0, NULL, 0, 0, 0}, M_NONE},
    {{"spc-ee", "sti-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_NONE},
    {{"range-ee", "sti-ca", STIRMLS_PKI_RANGE_EE, STIRMLS_TNA_RANGE, "12155550100", 100, 0, 0}, M_NONE},
    {{"deleg-ca", "sti-ca", STIRMLS_PKI_DELEGATE_CA, STIRMLS_TNA_RANGE, "12155550100", 100, 0, 0}, M_NONE},
    {{"deleg-one", "deleg-ca", STIRMLS_PKI_ONE_EE, STIRMLS_TNA_ONE, "12155550123", 0, 0, 0}, M_NONE},
    {{"deleg-ca2", "deleg-ca", STIRMLS_PKI_DELEGATE_CA, STIRMLS_TNA_RANGE, "12155550120", 10, 0, 0}, M_NONE},
    {{"deleg2-one", "deleg-ca2", STIRMLS_PKI_ONE_EE, STIRMLS_TNA_ONE, "12155550125", 0, 0, 0}, M_NONE},
    {{"deleg-out", "deleg-ca", STIRMLS_PKI_ONE_EE, STIRMLS_TNA_ONE, "12155550200", 0, 0, 0}, M_NONE},
    {{"deleg-edge", "deleg-ca", STIRMLS_PKI_RANGE_EE, STIRMLS_TNA_RANGE, "12155550190", 20, 0, 0}, M_NONE},
    {{"deleg2-out", "deleg-ca2", STIRMLS_PKI_ONE_EE, STIRMLS_TNA_ONE, "12155550135", 0, 0, 0}, M_NONE},
    {{"spc-ca", "sti-ca", STIRMLS_PKI_DELEGATE_CA, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_NONE},
    {{"spc-other", "spc-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "999X", 0, 0, 0}, M_NONE},
    {{"spc-same", "spc-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_NONE},
    {{"spc-tn", "spc-ca", STIRMLS_PKI_ONE_EE, STIRMLS_TNA_ONE, "12155550123", 0, 0, 0}, M_NONE},
    {{"expired-ee", "sti-ca", STIRMLS_PKI_RANGE_EE, STIRMLS_TNA_RANGE, "12155550100", 100, NB, NB + 1000}, M_NONE},
    {{"nyv-ee", "sti-ca", STIRMLS_PKI_RANGE_EE, STIRMLS_TNA_RANGE, "12155550100", 100, AT + 1, NA}, M_NONE},
    {{"ca-short", "root", STIRMLS_PKI_STI_CA, 0, NULL, 0, NB, NB + 1000}, M_NONE},
    {{"under-short", "ca-short", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_NONE},
    {{"no-tna", "sti-ca", STIRMLS_PKI_ONE_EE, 0, NULL, 0, 0, 0}, M_NONE},
    {{"crit-tna", "sti-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_TNA_CRITICAL},
    {{"unknown-crit", "sti-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_UNKNOWN_CRIT},
    {{"unknown-noncrit", "sti-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_UNKNOWN_NONCRIT},
    {{"no-ds", "sti-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_NO_DS},
    {{"no-ku-ee", "sti-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_NO_KU_EE},
    {{"ca-no-bc", "sti-ca", STIRMLS_PKI_STI_CA, 0, NULL, 0, 0, 0}, M_NO_BC},
    {{"under-no-bc", "ca-no-bc", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_NONE},
    {{"ca-false", "sti-ca", STIRMLS_PKI_STI_CA, 0, NULL, 0, 0, 0}, M_CA_FALSE},
    {{"under-ca-false", "ca-false", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_NONE},
    {{"bad-sig", "sti-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_BAD_SIG},
    {{"bad-tna", "sti-ca", STIRMLS_PKI_SPC_EE, 0, NULL, 0, 0, 0}, M_BAD_TNA},
    {{"jcc-crit", "sti-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_JCC_CRIT},
    {{"jcc-both", "sti-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_JCC_BOTH},
    {{"jcc-bad", "sti-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_JCC_BAD},
    {{"dup-tna", "sti-ca", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_DUP_TNA},
    {{"other-root", "other-root", STIRMLS_PKI_ROOT, 0, NULL, 0, 0, 0}, M_NONE},
    {{"other-leaf", "other-root", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_NONE},
    {{"ca-pl0", "root", STIRMLS_PKI_STI_CA, 0, NULL, 0, 0, 0}, M_PATHLEN0},
    {{"ca-under-pl0", "ca-pl0", STIRMLS_PKI_STI_CA, 0, NULL, 0, 0, 0}, M_NONE},
    {{"leaf-under-pl0", "ca-under-pl0", STIRMLS_PKI_SPC_EE, STIRMLS_TNA_SPC, "709J", 0, 0, 0}, M_NONE},
};

#define NFX (sizeof fx_rows / sizeof fx_rows[0])
static stirmls_cert *fx_cert[NFX];
static stirmls_key *fx_key[NFX];
static stirmls_trust *fx_trust;

static size_t fx_index(const char *name)
{
    for (size_t i = 0; i < NFX; i++)
        if (strcmp(fx_rows[i].c.name, name) == 0)
            return i;
    ck_abort_msg("no fixture certificate %s", name);
    return 0;
}

/* JCC mustInclude ["mky"] (DER), and a malformed one (empty mustInclude list). */
static const uint8_t jcc_ok[] = {0x30, 0x09, 0xA0, 0x07, 0x30, 0x05, 0x16, 0x03, 'm', 'k', 'y'};
static const uint8_t jcc_bad[] = {0x30, 0x04, 0xA0, 0x02, 0x30, 0x00};
static const uint8_t der_null[] = {0x05, 0x00};
static const uint8_t bad_tna[] = {0x30, 0x06, 0x80, 0x04, 0x37, 0x30, 0x39, 0x4A};

static void apply(enum mut m, stirmls_cert_spec *s, stirmls_ext_spec *ext)
{
    switch (m) {
    case M_TNA_CRITICAL: s->tnauthlist_critical = 1; break;
    case M_UNKNOWN_CRIT:
    case M_UNKNOWN_NONCRIT:
        *ext = (stirmls_ext_spec){"1.2.3.4.5", der_null, sizeof der_null, m == M_UNKNOWN_CRIT};
        s->extra = ext, s->n_extra = 1;
        break;
    case M_NO_DS: s->ku = STIRMLS_KU_KEY_AGREEMENT; break;
    case M_NO_KU_EE: s->ku = 0; break;
    case M_NO_BC: s->bc = STIRMLS_BC_ABSENT; break;
    case M_CA_FALSE: s->bc = STIRMLS_BC_EE; break;
    case M_BAD_SIG: s->issuer_key = fx_key[fx_index("root")]; break;
    case M_BAD_TNA: s->tnauthlist = bad_tna, s->tnauthlist_len = sizeof bad_tna; break;
    case M_JCC_CRIT: ext[0] = (stirmls_ext_spec){STIRMLS_JCC_OID, jcc_ok, sizeof jcc_ok, 1}; s->extra = ext, s->n_extra = 1; break;
    case M_JCC_BOTH:
        ext[0] = (stirmls_ext_spec){STIRMLS_JCC_OID, jcc_ok, sizeof jcc_ok, 0};
        ext[1] = (stirmls_ext_spec){STIRMLS_EJCC_OID, jcc_ok, sizeof jcc_ok, 0};
        s->extra = ext, s->n_extra = 2;
        break;
    case M_JCC_BAD: ext[0] = (stirmls_ext_spec){STIRMLS_EJCC_OID, jcc_bad, sizeof jcc_bad, 0}; s->extra = ext, s->n_extra = 1; break;
    case M_PATHLEN0: s->pathlen = 0; break;
    case M_DUP_TNA:
        ext[0] = (stirmls_ext_spec){STIRMLS_TNAUTHLIST_OID, s->tnauthlist, s->tnauthlist_len, 0};
        s->extra = ext, s->n_extra = 1;
        break;
    case M_NONE: break;
    }
}

static void fx_build(size_t i)
{
    const struct fx_row *r = &fx_rows[i];
    stirmls_cert_spec s;
    stirmls_ext_spec ext[2];
    size_t iss = strcmp(r->c.issuer, r->c.name) ? fx_index(r->c.issuer) : i;
    uint8_t *tna = tl_cert_spec("chain-test", &r->c, i, iss, fx_cert, fx_key, &s);
    apply(r->mut, &s, ext);
    stirmls_detail d;
    stirmls_detail_init(&d);
    ck_assert_msg(stirmls_cert_build(&s, &fx_cert[i], &d) == STIRMLS_R_OK, "%s: %s", r->c.name, d.text);
    free(tna);
}

static void fx_setup(void)
{
    for (size_t i = 0; i < NFX; i++)
        fx_build(i);
    stirmls_cert_list anchors;
    stirmls_cert_list_init(&anchors);
    ck_assert_int_eq(stirmls_cert_list_push(&anchors, stirmls_cert_up_ref(fx_cert[fx_index("root")])), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_trust_new(&anchors, &fx_trust), STIRMLS_R_OK);
    stirmls_cert_list_cleanup(&anchors);
}

static void fx_teardown(void)
{
    for (size_t i = 0; i < NFX; i++) {
        stirmls_cert_free(fx_cert[i]);
        stirmls_key_free(fx_key[i]);
    }
    stirmls_trust_free(fx_trust);
}

struct chain_case {
    const char *name;
    const char *chain[6]; /* leaf first; the root is the trust anchor */
    uint64_t at;
    const char *tn, *spc;
    size_t max_len;
    stirmls_reason want;
    int index;    /* expected d.cert_index on failure */
    int asserted; /* expected carrier_asserted on success */
};

static const struct chain_case cases[] = {
    {"valid SPC chain", {"spc-ee", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_OK, -1, 0},
    {"valid SPC chain with the root included", {"spc-ee", "sti-ca", "root"}, AT, NULL, NULL, 0, STIRMLS_R_OK, -1, 0},
    {"valid TN range", {"range-ee", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_OK, -1, 0},
    {"single-TN delegate under a range CA", {"deleg-one", "deleg-ca", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_OK, -1, 0},
    {"two-level delegation", {"deleg2-one", "deleg-ca2", "deleg-ca", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_OK, -1, 0},
    {"delegate TN outside the parent range", {"deleg-out", "deleg-ca", "sti-ca"}, AT, NULL, NULL, 0,
     STIRMLS_R_DELEGATION_NOT_ENCOMPASSED, 0, 0},
    {"delegate range over the parent's edge", {"deleg-edge", "deleg-ca", "sti-ca"}, AT, NULL, NULL, 0,
     STIRMLS_R_DELEGATION_NOT_ENCOMPASSED, 0, 0},
    {"two-level: TN in the grandparent only", {"deleg2-out", "deleg-ca2", "deleg-ca", "sti-ca"}, AT, NULL, NULL, 0,
     STIRMLS_R_DELEGATION_NOT_ENCOMPASSED, 0, 0},
    {"SPC parent, different SPC child", {"spc-other", "spc-ca", "sti-ca"}, AT, NULL, NULL, 0,
     STIRMLS_R_DELEGATION_NOT_ENCOMPASSED, 0, 0},
    {"SPC parent, same SPC child", {"spc-same", "spc-ca", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_OK, -1, 0},
    {"TN child under SPC-only parent", {"spc-tn", "spc-ca", "sti-ca"}, AT, NULL, NULL, 0,
     STIRMLS_R_DELEGATION_SPC_PARENT, 0, 0},
    {"TN child under SPC-only parent, SPC trusted", {"spc-tn", "spc-ca", "sti-ca"}, AT, NULL, "709J", 0, STIRMLS_R_OK,
     -1, 1},
    {"TN child under SPC-only parent, other SPC trusted", {"spc-tn", "spc-ca", "sti-ca"}, AT, NULL, "123X", 0,
     STIRMLS_R_DELEGATION_SPC_PARENT, 0, 0},
    {"expired leaf", {"expired-ee", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_EXPIRED, 0, 0},
    /* the presented list is one path in order (CHN-01) */
    {"delegate CAs swapped", {"deleg2-one", "deleg-ca", "deleg-ca2", "sti-ca"}, AT, NULL, NULL, 0,
     STIRMLS_R_CERT_CHAIN_ORDER, 1, 0},
    {"CA first", {"sti-ca", "spc-ee"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_CHAIN_ORDER, 1, 0},
    {"STI-CA twice", {"spc-ee", "sti-ca", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_CHAIN_ORDER, 2, 0},
    {"another root's CA after the STI-CA", {"spc-ee", "sti-ca", "ca-short"}, AT, NULL, NULL, 0,
     STIRMLS_R_CERT_CHAIN_ORDER, 2, 0},
    {"a missing link is untrusted, not disorder", {"deleg2-one", "deleg-ca", "sti-ca"}, AT, NULL, NULL, 0,
     STIRMLS_R_CERT_UNTRUSTED, 0, 0},
    {"not-yet-valid leaf", {"nyv-ee", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_NOT_YET_VALID, 0, 0},
    {"expired intermediate", {"under-short", "ca-short"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_EXPIRED, 1, 0},
    {"at exactly notBefore", {"spc-ee", "sti-ca"}, NB, NULL, NULL, 0, STIRMLS_R_OK, -1, 0},
    {"one second before notBefore", {"spc-ee", "sti-ca"}, NB - 1, NULL, NULL, 0, STIRMLS_R_CERT_NOT_YET_VALID, 0, 0},
    {"at exactly notAfter", {"spc-ee", "sti-ca"}, NA, NULL, NULL, 0, STIRMLS_R_OK, -1, 0},
    {"one second after notAfter", {"spc-ee", "sti-ca"}, NA + 1, NULL, NULL, 0, STIRMLS_R_CERT_EXPIRED, 0, 0},
    {"leaf notAfter exactly (short leaf)", {"expired-ee", "sti-ca"}, NB + 1000, NULL, NULL, 0, STIRMLS_R_OK, -1, 0},
    {"leaf notAfter + 1 (short leaf)", {"expired-ee", "sti-ca"}, NB + 1001, NULL, NULL, 0, STIRMLS_R_CERT_EXPIRED, 0, 0},
    {"end-entity without TNAuthList", {"no-tna", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_NO_TNAUTHLIST, 0, 0},
    {"critical TNAuthList accepted", {"crit-tna", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_OK, -1, 0},
    {"unknown critical extension", {"unknown-crit", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_UNKNOWN_CRITICAL_EXT, 0, 0},
    {"unknown non-critical extension", {"unknown-noncrit", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_OK, -1, 0},
    {"EE keyUsage without digitalSignature", {"no-ds", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_KEY_USAGE, 0, 0},
    {"EE without keyUsage (RFC 5280: any use)", {"no-ku-ee", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_OK, -1, 0},
    {"intermediate without basicConstraints", {"under-no-bc", "ca-no-bc", "sti-ca"}, AT, NULL, NULL, 0,
     STIRMLS_R_CERT_NOT_CA, 1, 0},
    {"intermediate with cA FALSE", {"under-ca-false", "ca-false", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_NOT_CA, 1, 0},
    {"leaf signature by the wrong key", {"bad-sig", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_SIGNATURE, 0, 0},
    {"malformed TNAuthList (implicit tag)", {"bad-tna", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_TNAUTH_IMPLICIT_TAG, 0, 0},
    {"critical JWTClaimConstraints accepted", {"jcc-crit", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_OK, -1, 0},
    {"both JWT claim constraint extensions", {"jcc-both", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_JCC_BOTH, 0, 0},
    {"malformed EnhancedJWTClaimConstraints", {"jcc-bad", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_JCC_INVALID, 0, 0},
    {"TNAuthList extension twice", {"dup-tna", "sti-ca"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_TNAUTHLIST_INVALID, 0, 0},
    {"chain to another root", {"other-leaf", "other-root"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_UNTRUSTED, 1, 0},
    {"leaf without its intermediate", {"spc-ee"}, AT, NULL, NULL, 0, STIRMLS_R_CERT_UNTRUSTED, 0, 0},
    {"pathLenConstraint 0 exceeded", {"leaf-under-pl0", "ca-under-pl0", "ca-pl0"}, AT, NULL, NULL, 0,
     STIRMLS_R_CERT_PATH_LENGTH, 2, 0},
    {"chain longer than max 3", {"deleg2-one", "deleg-ca2", "deleg-ca", "sti-ca"}, AT, NULL, NULL, 3,
     STIRMLS_R_CERT_CHAIN_TOO_LONG, 3, 0},
    {"path longer than max 4 (anchor counted)", {"deleg2-one", "deleg-ca2", "deleg-ca", "sti-ca"}, AT, NULL, NULL, 4,
     STIRMLS_R_CERT_CHAIN_TOO_LONG, 4, 0},
    {"TN at the range end", {"range-ee", "sti-ca"}, AT, "12155550199", NULL, 0, STIRMLS_R_OK, -1, 0},
    {"TN one past the range", {"range-ee", "sti-ca"}, AT, "12155550200", NULL, 0, STIRMLS_R_TN_NOT_COVERED, 0, 0},
    {"TN of the one-TN delegate", {"deleg-one", "deleg-ca", "sti-ca"}, AT, "12155550123", NULL, 0, STIRMLS_R_OK, -1, 0},
    {"TN vouched by an SPC-only leaf", {"spc-ee", "sti-ca"}, AT, "12155550123", NULL, 0, STIRMLS_R_SPC_NOT_TRUSTED, 0, 0},
    {"TN vouched by a trusted SPC", {"spc-ee", "sti-ca"}, AT, "12155550123", "709J", 0, STIRMLS_R_OK, -1, 1},
};

START_TEST(chain_table)
{
    const struct chain_case *c = &cases[_i];
    stirmls_cert *chain[6];
    size_t n = 0;
    for (; n < 6 && c->chain[n]; n++)
        chain[n] = fx_cert[fx_index(c->chain[n])];
    stirmls_chain_opts o;
    stirmls_chain_opts_init(&o, fx_trust, c->at);
    const char *spc[1] = {c->spc};
    o.trust_spc.spc = spc;
    o.trust_spc.n = c->spc ? 1 : 0;
    o.tn = c->tn;
    if (c->max_len)
        o.max_len = c->max_len;
    stirmls_chain_result r;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason rc = stirmls_chain_verify(chain, n, &o, &r, &d);
    ck_assert_msg(rc == c->want, "%s: got %s (%s), want %s", c->name, stirmls_reason_name(rc), d.text,
                  stirmls_reason_name(c->want));
    if (rc == STIRMLS_R_OK) {
        ck_assert_int_eq(r.carrier_asserted, c->asserted);
        ck_assert(r.identities != NULL && r.identities->n == 1);
        ck_assert(r.leaf_key != NULL);
        uint8_t a[65], b[65];
        stirmls_key_point(r.leaf_key, a);
        stirmls_key_point(fx_key[fx_index(c->chain[0])], b);
        ck_assert(memcmp(a, b, 65) == 0);
        uint64_t min = UINT64_MAX;
        for (size_t i = 0; i < r.path.n; i++)
            if (stirmls_cert_not_after(r.path.certs[i]) < min)
                min = stirmls_cert_not_after(r.path.certs[i]);
        ck_assert(r.not_after == min);
        stirmls_chain_result_cleanup(&r);
    } else {
        ck_assert_msg(d.cert_index == c->index, "%s: cert_index %d, want %d", c->name, d.cert_index, c->index);
        ck_assert(r.identities == NULL && r.leaf_key == NULL);
    }
}
END_TEST

/* The effective notAfter is the minimum over the path (the short intermediate). */
START_TEST(effective_not_after_is_the_minimum)
{
    stirmls_cert *chain[2] = {fx_cert[fx_index("under-short")], fx_cert[fx_index("ca-short")]};
    stirmls_chain_opts o;
    stirmls_chain_opts_init(&o, fx_trust, NB + 10);
    stirmls_chain_result r;
    ck_assert_int_eq(stirmls_chain_verify(chain, 2, &o, &r, NULL), STIRMLS_R_OK);
    ck_assert(r.not_after == NB + 1000);
    ck_assert_uint_eq(r.path.n, 3);
    stirmls_chain_result_cleanup(&r);
}
END_TEST

/* Accessors: subject, validity, extension by OID, PEM round trip, builder determinism. */
START_TEST(cert_accessors_and_determinism)
{
    stirmls_cert *c = fx_cert[fx_index("crit-tna")];
    char subj[256];
    stirmls_cert_subject(c, subj, sizeof subj);
    ck_assert_str_eq(subj, "CN=crit-tna,O=stirmls test PKI,C=US");
    ck_assert(stirmls_cert_not_before(c) == NB && stirmls_cert_not_after(c) == NA);
    stirmls_slice v;
    int crit = 0;
    ck_assert(stirmls_cert_extension(c, STIRMLS_TNAUTHLIST_OID, &v, &crit) == 1);
    ck_assert(crit == 1 && v.len == 10 && memcmp(v.ptr, "\x30\x08\xA0\x06\x16\x04" "709J", 10) == 0);
    ck_assert(stirmls_cert_extension(c, STIRMLS_JCC_OID, NULL, NULL) == 0);
    char *pem = stirmls_cert_pem(c);
    stirmls_cert_list l;
    stirmls_cert_list_init(&l);
    ck_assert_int_eq(stirmls_cert_list_parse((const uint8_t *)pem, strlen(pem), &l, NULL), STIRMLS_R_OK);
    ck_assert(l.n == 1 && stirmls_slice_eq(stirmls_cert_der(l.certs[0]), stirmls_cert_der(c)));
    stirmls_cert_list_cleanup(&l);
    free(pem);
    /* rebuilding gives the same bytes */
    stirmls_cert *again0 = fx_cert[fx_index("deleg-one")];
    fx_cert[fx_index("deleg-one")] = NULL;
    stirmls_key_free(fx_key[fx_index("deleg-one")]);
    fx_build(fx_index("deleg-one"));
    ck_assert(stirmls_slice_eq(stirmls_cert_der(again0), stirmls_cert_der(fx_cert[fx_index("deleg-one")])));
    stirmls_cert_free(again0);
}
END_TEST

START_TEST(jcc_decoded_from_certificate)
{
    stirmls_jcc *j = NULL;
    ck_assert_int_eq(stirmls_cert_jcc(fx_cert[fx_index("jcc-crit")], &j, NULL), STIRMLS_R_OK);
    ck_assert(j && !j->enhanced && j->n_include == 1);
    ck_assert_str_eq(j->must_include[0], "mky");
    stirmls_jcc_free(j);
    ck_assert_int_eq(stirmls_cert_jcc(fx_cert[fx_index("spc-ee")], &j, NULL), STIRMLS_R_OK);
    ck_assert(j == NULL);
}
END_TEST

/* A certificate must be DER (RFC 5280 §4.1): the signature BIT STRING with nonzero unused
 * bits is BER that OpenSSL decodes and re-encodes differently (found by cert_fuzz; regression
 * ref-impl/fuzz/regressions/cert/signature-bitstring-unused-bits). */
START_TEST(cert_not_der_rejected)
{
    stirmls_slice der = stirmls_cert_der(fx_cert[fx_index("deleg-one")]);
    uint8_t *copy = malloc(der.len), tag;
    memcpy(copy, der.ptr, der.len);
    stirmls_reader r, seq, tbs, alg, bits;
    stirmls_reader_init(&r, copy, der.len);
    ck_assert_int_eq(stirmls_der_expect(&r, STIRMLS_DER_SEQUENCE, &seq), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_der_tlv(&seq, &tag, &tbs), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_der_tlv(&seq, &tag, &alg), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_der_expect(&seq, STIRMLS_DER_BIT_STRING, &bits), STIRMLS_R_OK);
    ck_assert_uint_eq(copy[bits.base], 0); /* unused bits */
    stirmls_cert *c = NULL;
    stirmls_detail d;
    stirmls_detail_init(&d);
    ck_assert_int_eq(stirmls_cert_from_der(copy, der.len, &c, &d), STIRMLS_R_OK);
    stirmls_cert_free(c);
    c = NULL;
    copy[bits.base] = 2;
    copy[der.len - 1] |= 0x03;
    ck_assert_int_eq(stirmls_cert_from_der(copy, der.len, &c, &d), STIRMLS_R_CERT_PARSE);
    ck_assert(c == NULL && d.reason == STIRMLS_R_CERT_PARSE && strstr(d.text, "not DER"));
    free(copy);
}
END_TEST

Suite *chain_suite(void);
Suite *chain_suite(void)
{
    Suite *s = suite_create("chain");
    TCase *tc = tcase_create("validation");
    tcase_add_unchecked_fixture(tc, fx_setup, fx_teardown);
    tcase_add_loop_test(tc, chain_table, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, effective_not_after_is_the_minimum);
    tcase_add_test(tc, cert_accessors_and_determinism);
    tcase_add_test(tc, jcc_decoded_from_certificate);
    tcase_add_test(tc, cert_not_der_rejected);
    suite_add_tcase(s, tc);
    return s;
}
