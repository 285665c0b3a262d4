/*
 * pki.c: the profiles of the deterministic test PKI and the default hierarchy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls/pki.h"

void stirmls_pki_spec_init(stirmls_pki_profile p, stirmls_cert_spec *s)
{
    memset(s, 0, sizeof *s);
    s->c = "US";
    s->o = "stirmls test PKI";
    s->not_before = STIRMLS_PKI_NOT_BEFORE;
    s->not_after = STIRMLS_PKI_NOT_AFTER;
    s->pathlen = -1;
    s->bc_critical = 1;
    s->ku_critical = 1;
    switch (p) {
    case STIRMLS_PKI_ROOT:
        s->no_aki = 1;
        /* fall through */
    case STIRMLS_PKI_STI_CA:
    case STIRMLS_PKI_DELEGATE_CA:
        s->bc = STIRMLS_BC_CA;
        s->ku = STIRMLS_KU_KEY_CERT_SIGN | STIRMLS_KU_CRL_SIGN;
        break;
    case STIRMLS_PKI_SPC_EE:
        s->policy = STIRMLS_SHAKEN_POLICY_OID;
        /* fall through */
    case STIRMLS_PKI_RANGE_EE:
    case STIRMLS_PKI_ONE_EE:
        s->bc = STIRMLS_BC_EE;
        s->ku = STIRMLS_KU_DIGITAL_SIGNATURE;
        break;
    }
}

uint64_t stirmls_pki_serial(const uint8_t *seed, size_t seedlen, const char *name)
{
    size_t n = strlen(name);
    uint8_t *m = malloc(seedlen + n + 1), dg[STIRMLS_SHA256_LEN];
    if (!m)
        return 1;
    memcpy(m, seed, seedlen);
    memcpy(m + seedlen, "/", 1);
    memcpy(m + seedlen + 1, name, n);
    stirmls_sha256(m, seedlen + n + 1, dg);
    free(m);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | dg[i];
    v &= 0x7FFFFFFFFFFFFFFFull;
    return v ? v : 1;
}

void stirmls_pki_opts_init(stirmls_pki_opts *o, const uint8_t *seed, size_t seedlen)
{
    memset(o, 0, sizeof *o);
    o->seed = seed;
    o->seedlen = seedlen;
    o->not_before = STIRMLS_PKI_NOT_BEFORE;
    o->not_after = STIRMLS_PKI_NOT_AFTER;
    o->spc = "709J";
    o->policy = STIRMLS_SHAKEN_POLICY_OID;
    o->crldp = "http://crl.sti-ca.test/sti-ca.crl";
}

stirmls_reason stirmls_pki_tnauthlist_der(stirmls_tna_type t, const char *v, uint64_t count, uint8_t **der,
                                          size_t *len)
{
    stirmls_tnauthlist *l = stirmls_tnauthlist_new();
    stirmls_buf b;
    stirmls_buf_init(&b);
    stirmls_reason rc = l ? stirmls_tnauthlist_add(l, t, v, count) : STIRMLS_R_INTERNAL;
    if (rc == STIRMLS_R_OK)
        rc = stirmls_tnauthlist_encode(l, &b);
    if (rc == STIRMLS_R_OK && !(*der = stirmls_buf_take(&b, len)))
        rc = STIRMLS_R_INTERNAL;
    stirmls_buf_cleanup(&b);
    stirmls_tnauthlist_free(l);
    return rc;
}

struct pki_row {
    const char *name, *issuer;
    stirmls_pki_profile profile;
    const char *cn; /* NULL for SPC_EE: "SHAKEN <spc>" */
    stirmls_tna_type type;
    const char *value; /* NULL: no TNAuthList; for SPC_EE the configured SPC */
    uint64_t count;
};

static const struct pki_row rows[] = {
    {"root", "root", STIRMLS_PKI_ROOT, "STI Root", STIRMLS_TNA_SPC, NULL, 0},
    {"sti-ca", "root", STIRMLS_PKI_STI_CA, "STI-CA", STIRMLS_TNA_SPC, NULL, 0},
    {"spc-ee", "sti-ca", STIRMLS_PKI_SPC_EE, NULL, STIRMLS_TNA_SPC, "", 0},
    {"range-ee", "sti-ca", STIRMLS_PKI_RANGE_EE, "TN range 12155550100/100", STIRMLS_TNA_RANGE, "12155550100", 100},
    {"deleg-ca", "sti-ca", STIRMLS_PKI_DELEGATE_CA, "Delegate CA 12155550100/100", STIRMLS_TNA_RANGE, "12155550100", 100},
    {"deleg-one", "deleg-ca", STIRMLS_PKI_ONE_EE, "TN 12155550123", STIRMLS_TNA_ONE, "12155550123", 0},
    {"deleg-ca2", "deleg-ca", STIRMLS_PKI_DELEGATE_CA, "Delegate CA 12155550120/10", STIRMLS_TNA_RANGE, "12155550120", 10},
    {"deleg2-one", "deleg-ca2", STIRMLS_PKI_ONE_EE, "TN 12155550125", STIRMLS_TNA_ONE, "12155550125", 0},
};

const stirmls_pki_entry *stirmls_pki_find(const stirmls_pki *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->e[i].name, name) == 0)
            return &p->e[i];
    return NULL;
}

static stirmls_reason make_row(const stirmls_pki_opts *o, const struct pki_row *row, stirmls_pki *p,
                               stirmls_detail *d)
{
    stirmls_cert_spec s;
    stirmls_pki_entry *e = &p->e[p->n];
    const stirmls_pki_entry *iss = strcmp(row->issuer, row->name) ? stirmls_pki_find(p, row->issuer) : NULL;
    uint8_t *tna = NULL;
    size_t tnalen = 0;
    char cn[300];
    stirmls_reason rc = stirmls_key_derive(o->seed, o->seedlen, row->name, &e->key);
    if (rc != STIRMLS_R_OK)
        return rc;
    e->name = row->name;
    e->issuer = row->issuer;
    p->n++;
    stirmls_pki_spec_init(row->profile, &s);
    const char *value = row->profile == STIRMLS_PKI_SPC_EE ? o->spc : row->value;
    snprintf(cn, sizeof cn, "SHAKEN %s", o->spc);
    s.cn = row->cn ? row->cn : cn;
    s.key = e->key;
    s.issuer = iss ? iss->cert : NULL;
    s.issuer_key = iss ? iss->key : e->key;
    s.serial = stirmls_pki_serial(o->seed, o->seedlen, row->name);
    s.not_before = o->not_before;
    s.not_after = o->not_after;
    if (row->profile == STIRMLS_PKI_SPC_EE)
        s.policy = o->policy;
    if (row->profile != STIRMLS_PKI_ROOT)
        s.crldp = o->crldp;
    if (value && (rc = stirmls_pki_tnauthlist_der(row->type, value, row->count, &tna, &tnalen)) != STIRMLS_R_OK)
        return stirmls_fail(d, rc, "TNAuthList of %s", row->name);
    s.tnauthlist = tna;
    s.tnauthlist_len = tnalen;
    rc = stirmls_cert_build(&s, &e->cert, d);
    free(tna);
    return rc;
}

stirmls_reason stirmls_pki_generate(const stirmls_pki_opts *o, stirmls_pki *out, stirmls_detail *d)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        stirmls_reason rc = make_row(o, &rows[i], out, d);
        if (rc != STIRMLS_R_OK) {
            stirmls_pki_cleanup(out);
            return rc;
        }
    }
    return STIRMLS_R_OK;
}

void stirmls_pki_cleanup(stirmls_pki *p)
{
    for (size_t i = 0; i < p->n; i++) {
        stirmls_cert_free(p->e[i].cert);
        stirmls_key_free(p->e[i].key);
    }
    memset(p, 0, sizeof *p);
}

char *stirmls_pki_chain_pem(const stirmls_pki *p, const char *name)
{
    stirmls_buf b;
    stirmls_buf_init(&b);
    const stirmls_pki_entry *e = stirmls_pki_find(p, name);
    for (size_t guard = 0; e && strcmp(e->name, e->issuer) != 0 && guard < STIRMLS_PKI_MAX; guard++) {
        char *pem = stirmls_cert_pem(e->cert);
        if (!pem)
            b.failed = 1;
        else
            stirmls_buf_put_str(&b, pem);
        free(pem);
        e = stirmls_pki_find(p, e->issuer);
    }
    size_t len;
    char *out = (char *)stirmls_buf_take(&b, &len);
    stirmls_buf_cleanup(&b);
    return out;
}
