/* passport_fixture.c: see passport_fixture.h. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "passport_fixture.h"

static const uint8_t seed[] = "stirmls passport tests";

static stirmls_key *derive(const char *name)
{
    stirmls_key *k = NULL;
    ck_assert_int_eq(stirmls_key_derive(seed, sizeof seed - 1, name, &k), STIRMLS_R_OK);
    return k;
}

stirmls_key *pf_signer(void)
{
    return derive("signer");
}

stirmls_key *pf_mls_key(void)
{
    return derive("mls-client");
}

char *pf_fill(const char *tmpl)
{
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    char dig[STIRMLS_MKY_DIG_LEN + 1];
    stirmls_key *k = pf_mls_key();
    stirmls_key_point(k, pt);
    stirmls_key_free(k);
    stirmls_mky_dig(pt, sizeof pt, dig);
    stirmls_buf b;
    stirmls_buf_init(&b);
    for (const char *p = tmpl; *p;) {
        if (strncmp(p, "@DIG@", 5) == 0) {
            stirmls_buf_put_str(&b, dig);
            p += 5;
        } else {
            stirmls_buf_put_u8(&b, (uint8_t)*p++);
        }
    }
    ck_assert_int_eq(stirmls_buf_status(&b), STIRMLS_R_OK);
    size_t n = 0;
    return (char *)stirmls_buf_take(&b, &n);
}

char *pf_token(const char *hdr, const char *claims)
{
    char *h = pf_fill(hdr), *c = pf_fill(claims), *tok = NULL;
    stirmls_key *k = pf_signer();
    ck_assert_int_eq(stirmls_passport_sign_bytes(k, h, strlen(h), c, strlen(c), &tok), STIRMLS_R_OK);
    stirmls_key_free(k);
    free(h);
    free(c);
    return tok;
}

stirmls_reason pf_verify(const char *tok, int flags, uint64_t at, uint64_t signer_not_after,
                         stirmls_ppt_result *res, stirmls_detail *d)
{
    stirmls_ppt_policy pol;
    stirmls_passport *p = NULL;
    uint8_t pt[STIRMLS_P256_POINT_LEN];
    stirmls_ppt_policy_init(&pol);
    pol.lenient = (flags & PF_LENIENT) != 0;
    pol.chain_carried = (flags & PF_CHAIN) != 0;
    if (flags & PF_SIP)
        pol.profile = STIRMLS_PPT_PROFILE_SIP;
    stirmls_reason rc = stirmls_passport_parse(tok, strlen(tok), &pol, &p, d);
    if (rc != STIRMLS_R_OK)
        return rc;
    stirmls_key *signer = pf_signer(), *mls = pf_mls_key();
    stirmls_key_point(mls, pt);
    rc = stirmls_passport_verify(p, signer, signer_not_after, &pol, at,
                                 (flags & PF_SIP) ? NULL : pt, sizeof pt, res, d);
    stirmls_key_free(signer);
    stirmls_key_free(mls);
    stirmls_passport_free(p);
    return rc;
}

static void write_pem(const char *path, const stirmls_cert *c)
{
    char *pem = stirmls_cert_pem(c);
    FILE *f = fopen(path, "w");
    ck_assert(pem != NULL && f != NULL);
    fputs(pem, f);
    ck_assert_int_eq(fclose(f), 0);
    free(pem);
}

void pf_write_chain(const char *root_path, const char *chain_path)
{
    static const uint8_t root_seed[] = "passport-fixture";
    stirmls_key *rk = NULL, *signer = pf_signer();
    stirmls_cert *root = NULL, *leaf = NULL;
    uint8_t *tna = NULL;
    size_t tnalen = 0;
    ck_assert_int_eq(stirmls_key_derive(root_seed, sizeof root_seed - 1, "root", &rk), STIRMLS_R_OK);
    stirmls_cert_spec s;
    stirmls_pki_spec_init(STIRMLS_PKI_ROOT, &s);
    s.cn = "passport fixture root", s.key = rk, s.serial = 1;
    s.not_before = 1400000000, s.not_after = 1900000000;
    ck_assert_int_eq(stirmls_cert_build(&s, &root, NULL), STIRMLS_R_OK);
    ck_assert_int_eq(stirmls_pki_tnauthlist_der(STIRMLS_TNA_ONE, "12155551212", 0, &tna, &tnalen), STIRMLS_R_OK);
    stirmls_pki_spec_init(STIRMLS_PKI_RANGE_EE, &s);
    s.cn = "passport fixture signer", s.key = signer, s.issuer = root, s.issuer_key = rk, s.serial = 2;
    s.not_before = 1400000000, s.not_after = 1900000000, s.tnauthlist = tna, s.tnauthlist_len = tnalen;
    ck_assert_int_eq(stirmls_cert_build(&s, &leaf, NULL), STIRMLS_R_OK);
    write_pem(root_path, root);
    write_pem(chain_path, leaf);
    free(tna);
    stirmls_cert_free(root);
    stirmls_cert_free(leaf);
    stirmls_key_free(rk);
    stirmls_key_free(signer);
}
