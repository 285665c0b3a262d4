/* cert_fuzz.c: certificate chain input as the CLI reads it (stirmls_cert_list_parse: a PEM
 * bundle, or one DER certificate when there is no PEM block), then what `cert show` reads of
 * every certificate (names, validity, key, TNAuthList, JWT claim constraints) and STIR chain
 * validation at a fixed time against the trust anchor of the test PKI (vectors/, the root of
 * scenarios/pki.yaml "standard"), without and with a reference TN and a trusted SPC.
 * The anchor is read from $STIRMLS_ROOT/vectors/delegation/one-level/trust.pem (default: the
 * current directory is the repository). */
#include "fuzz.h"

#define FUZZ_AT 1780272000u /* the evaluation time of most vectors (2026-06-01) */

static stirmls_trust *trust;

static void setup(void)
{
    if (trust != NULL)
        return;
    char path[4096];
    const char *root = getenv("STIRMLS_ROOT");
    snprintf(path, sizeof path, "%s/vectors/delegation/one-level/trust.pem", root ? root : ".");
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cert_fuzz: cannot read %s (run from the repository or set STIRMLS_ROOT)\n", path);
        abort();
    }
    static uint8_t pem[16384];
    size_t n = fread(pem, 1, sizeof pem, f);
    fclose(f);
    stirmls_cert_list anchors;
    stirmls_cert_list_init(&anchors);
    FUZZ_CHECK(stirmls_cert_list_parse(pem, n, &anchors, NULL) == STIRMLS_R_OK);
    FUZZ_CHECK(stirmls_trust_new(&anchors, &trust) == STIRMLS_R_OK);
    stirmls_cert_list_cleanup(&anchors);
}

static void show(const stirmls_cert *c)
{
    char subj[512], iss[512];
    stirmls_tnauthlist *t = NULL;
    stirmls_jcc *j = NULL;
    stirmls_key *k = NULL;
    stirmls_detail d;
    stirmls_cert_subject(c, subj, sizeof subj);
    stirmls_cert_issuer(c, iss, sizeof iss);
    FUZZ_CHECK(memchr(subj, 0, sizeof subj) && memchr(iss, 0, sizeof iss));
    (void)stirmls_cert_not_before(c);
    (void)stirmls_cert_not_after(c);
    stirmls_detail_init(&d);
    stirmls_reason r = stirmls_cert_tnauthlist(c, &t, &d);
    /* CERT_NO_TNAUTHLIST is the "absent" answer, not a failure: it records nothing (chain.h) */
    FUZZ_CHECK(r == STIRMLS_R_OK ? t != NULL
                                 : (t == NULL && (d.reason == r || (r == STIRMLS_R_CERT_NO_TNAUTHLIST && d.reason == STIRMLS_R_OK))));
    stirmls_tnauthlist_free(t);
    stirmls_detail_init(&d);
    r = stirmls_cert_jcc(c, &j, &d);
    FUZZ_CHECK(r == STIRMLS_R_OK || (j == NULL && d.reason == r));
    stirmls_jcc_free(j);
    if (stirmls_cert_key(c, &k) == STIRMLS_R_OK)
        FUZZ_CHECK(k != NULL);
    stirmls_key_free(k);
    char *pem = stirmls_cert_pem(c);
    FUZZ_CHECK(pem != NULL);
    /* the PEM of a parsed certificate parses back to the same DER */
    stirmls_cert_list back;
    stirmls_cert_list_init(&back);
    FUZZ_CHECK(stirmls_cert_list_parse((const uint8_t *)pem, strlen(pem), &back, NULL) == STIRMLS_R_OK);
    FUZZ_CHECK(back.n == 1);
    stirmls_slice a = stirmls_cert_der(c), b = stirmls_cert_der(back.certs[0]);
    FUZZ_SAME(a.ptr, a.len, b.ptr, b.len);
    stirmls_cert_list_cleanup(&back);
    free(pem);
}

static void verify(const stirmls_cert_list *l, const char *tn, int spc)
{
    static const char *const spcs[] = {"709J"};
    stirmls_chain_opts o;
    stirmls_chain_result res;
    stirmls_detail d;
    stirmls_chain_opts_init(&o, trust, FUZZ_AT);
    o.tn = tn;
    if (spc)
        o.trust_spc.spc = spcs, o.trust_spc.n = 1;
    stirmls_detail_init(&d);
    stirmls_reason r = stirmls_chain_verify(l->certs, l->n, &o, &res, &d);
    if (r != STIRMLS_R_OK) {
        FUZZ_CHECK(d.reason == r && res.identities == NULL && res.leaf_key == NULL && res.path.n == 0);
        return;
    }
    FUZZ_CHECK(res.identities != NULL && res.leaf_key != NULL && res.path.n >= 1);
    FUZZ_CHECK(tn == NULL || stirmls_tnauthlist_covers(res.identities, tn) || res.carrier_asserted);
    stirmls_chain_result_cleanup(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    stirmls_cert_list l;
    stirmls_detail d;
    stirmls_cert_list_init(&l);
    stirmls_detail_init(&d);
    stirmls_reason r = stirmls_cert_list_parse(data, size, &l, &d);
    if (r != STIRMLS_R_OK) {
        FUZZ_CHECK(l.n == 0 && d.reason == r);
        return 0;
    }
    FUZZ_CHECK(l.n >= 1);
    for (size_t i = 0; i < l.n; i++)
        show(l.certs[i]);
    verify(&l, NULL, 0);
    verify(&l, "12155550123", 0);
    verify(&l, "12155550199", 1);
    stirmls_cert_list_cleanup(&l);
    return 0;
}
