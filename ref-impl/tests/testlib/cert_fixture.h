/* cert_fixture.h: test PKIs declared as tables of rows (chain_test.c, chaincache_test.c). */
#ifndef STIRMLS_CERT_FIXTURE_H
#define STIRMLS_CERT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include "stirmls.h"

/* One certificate of a fixture table. */
typedef struct tl_cert_row {
    const char *name, *issuer; /* issuer == name: self-signed */
    stirmls_pki_profile prof;
    stirmls_tna_type type;
    const char *value; /* NULL: no TNAuthList */
    uint64_t count;
    uint64_t nb, na; /* 0: the PKI defaults */
} tl_cert_row;

/* The spec of row `self` of a table: its key derived from (seed, name) into keys[self], issued by
 * certs[issuer]/keys[issuer] (issuer == self: self-signed), serial self + 1, the row's validity and
 * TNAuthList. Returns the TNAuthList DER s points to (owned: free it after building), or NULL. */
uint8_t *tl_cert_spec(const char *seed, const tl_cert_row *r, size_t self, size_t issuer,
                      stirmls_cert **certs, stirmls_key **keys, stirmls_cert_spec *s);

#endif
