/* cert_fixture.c: see cert_fixture.h. */
#include <check.h>
#include <string.h>
#include "cert_fixture.h"

uint8_t *tl_cert_spec(const char *seed, const tl_cert_row *r, size_t self, size_t issuer,
                      stirmls_cert **certs, stirmls_key **keys, stirmls_cert_spec *s)
{
    uint8_t *tna = NULL;
    size_t tnalen = 0;
    ck_assert_int_eq(stirmls_key_derive((const uint8_t *)seed, strlen(seed), r->name, &keys[self]), STIRMLS_R_OK);
    stirmls_pki_spec_init(r->prof, s);
    s->cn = r->name;
    s->key = keys[self];
    s->issuer = issuer == self ? NULL : certs[issuer];
    s->issuer_key = keys[issuer];
    s->serial = self + 1;
    if (r->nb)
        s->not_before = r->nb, s->not_after = r->na;
    if (r->value) {
        ck_assert_int_eq(stirmls_pki_tnauthlist_der(r->type, r->value, r->count, &tna, &tnalen), STIRMLS_R_OK);
        s->tnauthlist = tna, s->tnauthlist_len = tnalen;
    }
    return tna;
}
