/*
 * bench_setup.c: the fixture of the per-operation rates, built with the library's own builders
 * (the deterministic test PKI of pki.h, the PASSporT signer, the credential codec and the
 * KeyPackage builder), so every figure is measured on the same bytes on every machine.
 *
 *   root -> sti-ca -> range-ee (TN range 12155550100/100): the PASSporT signer
 *   root -> sti-ca -> alice    (TN 12155550150, key = the MLS signature key): Approach 1
 *   KeyPackage: signed with the MLS key, credential stir_passport (range-ee's PASSporT with
 *   orig.tn 12155550150 and mky bound to the MLS key, chain range-ee + sti-ca): 5 ECDSA
 *   verifications (KeyPackage, LeafNode, PASSporT, range-ee's and sti-ca's certificates).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

static const uint8_t seed[] = "stirmls-bench-v1";
#define SEEDLEN (sizeof seed - 1)

static int fail(const char *what, stirmls_reason rc, const stirmls_detail *d)
{
    fprintf(stderr, "stirmls-bench: setup: %s: %s %s\n", what, stirmls_reason_name(rc), d ? d->text : "");
    return -1;
}

/* The Approach 1 leaf: TN 12155550150 under sti-ca, with the MLS key. */
static int build_alice(struct bench_fix *f)
{
    const stirmls_pki_entry *ca = stirmls_pki_find(&f->pki, "sti-ca");
    stirmls_cert_spec s;
    stirmls_detail d;
    uint8_t *tna = NULL;
    size_t tlen = 0;
    stirmls_detail_init(&d);
    stirmls_reason rc = stirmls_pki_tnauthlist_der(STIRMLS_TNA_ONE, "12155550150", 0, &tna, &tlen);
    if (rc != STIRMLS_R_OK || ca == NULL)
        return fail("alice TNAuthList", rc, NULL);
    stirmls_pki_spec_init(STIRMLS_PKI_ONE_EE, &s);
    s.cn = "Alice";
    s.key = f->mls_key;
    s.issuer = ca->cert;
    s.issuer_key = ca->key;
    s.serial = stirmls_pki_serial(seed, SEEDLEN, "alice");
    s.tnauthlist = tna;
    s.tnauthlist_len = tlen;
    rc = stirmls_cert_build(&s, &f->alice, &d);
    free(tna);
    return rc == STIRMLS_R_OK ? 0 : fail("alice certificate", rc, &d);
}

static int build_passport(struct bench_fix *f)
{
    const stirmls_pki_entry *ee = stirmls_pki_find(&f->pki, "range-ee");
    char *mky = stirmls_mky_entry_json(f->sigkey, sizeof f->sigkey);
    char claims[512];
    stirmls_detail d;
    stirmls_detail_init(&d);
    if (mky == NULL || ee == NULL)
        return free(mky), fail("mky", STIRMLS_R_INTERNAL, NULL);
    int n = snprintf(claims, sizeof claims,
                     "{\"dest\":{\"uri\":[\"mimi://provider.stirmls.test\"]},\"iat\":%llu,\"mky\":[%s],"
                     "\"orig\":{\"tn\":\"12155550150\"}}",
                     (unsigned long long)(f->at - 60), mky);
    free(mky);
    stirmls_reason rc = stirmls_passport_sign(ee->key, BENCH_X5U, NULL, claims,
                                              (size_t)n, &f->token, &d);
    return rc == STIRMLS_R_OK ? 0 : fail("PASSporT", rc, &d);
}

int bench_build_cred(stirmls_cred_kind k, stirmls_cert *const *certs, size_t n, const char *token,
                      uint8_t **out, size_t *len)
{
    stirmls_credential c;
    stirmls_buf b;
    memset(&c, 0, sizeof c);
    c.kind = k;
    c.type = k == STIRMLS_CRED_KIND_STIR_PASSPORT ? STIRMLS_CRED_STIR_PASSPORT_DEFAULT
                                                  : STIRMLS_CRED_STIR_CERTIFICATE_DEFAULT;
    if (token)
        c.passport = (stirmls_slice){(const uint8_t *)token, strlen(token)};
    c.ncerts = n;
    for (size_t i = 0; i < n; i++)
        c.certs[i] = stirmls_cert_der(certs[i]);
    stirmls_buf_init(&b);
    stirmls_credential_write(&b, &c);
    if (stirmls_buf_status(&b) != STIRMLS_R_OK)
        return stirmls_buf_cleanup(&b), fail("credential", STIRMLS_R_INTERNAL, NULL);
    *out = stirmls_buf_take(&b, len);
    return *out ? 0 : -1;
}

static int build_keypackage(struct bench_fix *f)
{
    stirmls_kp_params p;
    stirmls_detail d;
    stirmls_detail_init(&d);
    memset(&p, 0, sizeof p);
    p.signature_key = f->mls_key;
    p.credential = (stirmls_slice){f->cred_p, f->cred_p_len};
    p.not_before = f->at - 3600;
    p.not_after = f->at + 86400;
    p.seed = seed;
    p.seedlen = SEEDLEN;
    p.key_name = "alice";
    stirmls_reason rc = stirmls_keypackage_build(&p, 1, &f->kp, &f->kp_len, &d);
    return rc == STIRMLS_R_OK ? 0 : fail("KeyPackage", rc, &d);
}

static int build_trust(struct bench_fix *f)
{
    const stirmls_pki_entry *root = stirmls_pki_find(&f->pki, "root");
    const stirmls_pki_entry *ca = stirmls_pki_find(&f->pki, "sti-ca");
    const stirmls_pki_entry *ee = stirmls_pki_find(&f->pki, "range-ee");
    stirmls_cert_list anchors;
    if (!root || !ca || !ee)
        return fail("test PKI entries", STIRMLS_R_INTERNAL, NULL);
    f->chain[0] = ee->cert;
    f->chain[1] = ca->cert;
    stirmls_cert_list_init(&anchors);
    stirmls_reason rc = stirmls_cert_list_push(&anchors, stirmls_cert_up_ref(root->cert));
    if (rc == STIRMLS_R_OK)
        rc = stirmls_trust_new(&anchors, &f->trust);
    stirmls_cert_list_cleanup(&anchors);
    return rc == STIRMLS_R_OK ? 0 : fail("trust store", rc, NULL);
}

int bench_fix_build(struct bench_fix *f)
{
    stirmls_pki_opts o;
    stirmls_detail d;
    memset(f, 0, sizeof *f);
    stirmls_detail_init(&d);
    f->at = STIRMLS_PKI_NOT_BEFORE + 150 * 86400u;
    stirmls_pki_opts_init(&o, seed, SEEDLEN);
    stirmls_reason rc = stirmls_pki_generate(&o, &f->pki, &d);
    if (rc != STIRMLS_R_OK)
        return fail("test PKI", rc, &d);
    if ((rc = stirmls_key_derive(seed, SEEDLEN, "alice-mls", &f->mls_key)) != STIRMLS_R_OK)
        return fail("MLS key", rc, NULL);
    stirmls_key_point(f->mls_key, f->sigkey);
    if ((rc = stirmls_pki_tnauthlist_der(STIRMLS_TNA_RANGE, "12155550100", 100, &f->tna_der, &f->tna_len)) !=
        STIRMLS_R_OK)
        return fail("TNAuthList", rc, NULL);
    for (size_t i = 0; i < sizeof f->msg; i++)
        f->msg[i] = (uint8_t)i;
    if ((rc = stirmls_ecdsa_sign_der(f->mls_key, f->msg, sizeof f->msg, &f->msg_sig, &f->msg_sig_len)) !=
        STIRMLS_R_OK)
        return fail("limit signature", rc, NULL);
    stirmls_cert *alice_chain[2];
    if (build_trust(f) || build_alice(f) || build_passport(f))
        return -1;
    if ((f->chain_pem = stirmls_pki_chain_pem(&f->pki, "range-ee")) == NULL)
        return fail("chain PEM", STIRMLS_R_INTERNAL, NULL);
    alice_chain[0] = f->alice;
    alice_chain[1] = f->chain[1];
    if (bench_build_cred(STIRMLS_CRED_KIND_STIR_CERTIFICATE, alice_chain, 2, NULL, &f->cred_a, &f->cred_a_len) ||
        bench_build_cred(STIRMLS_CRED_KIND_STIR_PASSPORT, f->chain, 2, f->token, &f->cred_p, &f->cred_p_len))
        return -1;
    return build_keypackage(f);
}

void bench_fix_cleanup(struct bench_fix *f)
{
    stirmls_trust_free(f->trust);
    stirmls_cert_free(f->alice);
    stirmls_key_free(f->mls_key);
    stirmls_pki_cleanup(&f->pki);
    free(f->tna_der);
    free(f->token);
    free(f->chain_pem);
    free(f->cred_a);
    free(f->cred_p);
    free(f->kp);
    free(f->group);
    free(f->msg_sig);
    memset(f, 0, sizeof *f);
}

static int write_text(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    int ok = f != NULL && fputs(text, f) >= 0;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    if (!ok)
        fprintf(stderr, "stirmls-bench: cannot write %s\n", path);
    return ok ? 0 : -1;
}

static int write_pem(const char *dir, const char *name, const stirmls_cert *c)
{
    char *pem = stirmls_cert_pem(c);
    int rc = pem ? write_text(dir, name, pem) : -1;
    free(pem);
    return rc;
}

int bench_fix_export(const struct bench_fix *f, const char *dir)
{
    const stirmls_pki_entry *root = stirmls_pki_find(&f->pki, "root");
    char at[32], *chain = stirmls_pki_chain_pem(&f->pki, "range-ee");
    snprintf(at, sizeof at, "%llu\n", (unsigned long long)f->at);
    int rc = chain == NULL || root == NULL || write_text(dir, "passport.jwt", f->token) ||
             write_text(dir, "chain.pem", chain) || write_pem(dir, "signer.pem", f->chain[0]) ||
             write_pem(dir, "root.pem", root->cert) || write_text(dir, "at.txt", at) ||
             write_text(dir, "x5u.txt", BENCH_X5U "\n");
    free(chain);
    return rc ? -1 : 0;
}
