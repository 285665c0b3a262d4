/* pemblock_test.c: the packaging PEM reader against DER made by the openssl command line
 * (`openssl x509 -outform DER`). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stirmls.h"
#include "stirmls/pemblock.h"
#include "testlib/testlib.h"

static const char cert_pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBbTCCAROgAwIBAgIUdGIYukDeQXU/I7FYxPQHonxi/4EwCgYIKoZIzj0EAwIw\n"
    "DDEKMAgGA1UEAwwBdDAeFw0yNjExMjcwMDI0MjRaFw0yNjExMjgwMDI0MjRaMAwx\n"
    "CjAIBgNVBAMMAXQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATGnD6xTlER72O2\n"
    "rZUFcMTiRmLiPv/T9lF9iAKXXGSgOsGoVtII4XktgSIOkTU7P/sldaBXZ6l4m4xl\n"
    "0Otf4mTzo1MwUTAdBgNVHQ4EFgQUFQnDIICkFXetCmPJsC0JAO8/d+8wHwYDVR0j\n"
    "BBgwFoAUFQnDIICkFXetCmPJsC0JAO8/d+8wDwYDVR0TAQH/BAUwAwEB/zAKBggq\n"
    "hkjOPQQDAgNIADBFAiAWlhKK1mM/T5JrhvGTS/YfFTLFELIxFM9jGseIAcQdfgIh\n"
    "AMZ6U3ni/csytzMPlrJlIGhGGB5OK0jfjTPpxmzKkQJ/\n"
    "-----END CERTIFICATE-----\n";
/* openssl x509 -in c.pem -outform DER | xxd -p */
static const char cert_der_hex[] =
    "3082016d30820113a0030201020214746218ba40de41753f23b158c4f407a27c62ff81300a06082a8648ce3d04030230"
    "0c310a300806035504030c0174301e170d3236313132373030323432345a170d3236313132383030323432345a300c31"
    "0a300806035504030c01743059301306072a8648ce3d020106082a8648ce3d03010703420004c69c3eb14e5111ef63b6"
    "ad950570c4e24662e23effd3f6517d8802975c64a03ac1a856d208e1792d81220e91353b3ffb2575a05767a9789b8c65"
    "d0eb5fe264f3a3533051301d0603551d0e041604141509c32080a41577ad0a63c9b02d0900ef3f77ef301f0603551d23"
    "0418301680141509c32080a41577ad0a63c9b02d0900ef3f77ef300f0603551d130101ff040530030101ff300a06082a"
    "8648ce3d040302034800304502201696128ad6633f4f926b86f1934bf61f1532c510b23114cf631ac78801c41d7e0221"
    "00c67a5379e2fdcb32b7330f96b265206846181e4e2b48df8d33e9c66cca91027f";

START_TEST(bundle_in_order)
{
    char text[4096];
    snprintf(text, sizeof text,
             "junk before\n-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"
             "%s%s",
             cert_pem, cert_pem);
    stirmls_der_list l;
    ck_assert_int_eq(stirmls_pem_certificates(text, strlen(text), &l, NULL), STIRMLS_R_OK);
    ck_assert_uint_eq(l.n, 2);
    size_t n;
    uint8_t *want = tl_hex(cert_der_hex, &n);
    for (size_t i = 0; i < 2; i++)
        ck_assert(l.len[i] == n && memcmp(l.der[i], want, n) == 0);
    free(want);
    stirmls_der_list_cleanup(&l);
    stirmls_der_list_cleanup(NULL);
}
END_TEST

struct pem_case {
    const char *name;
    const char *text;
    stirmls_reason want;
};

static const struct pem_case pem_cases[] = {
    {"no block", "hello\n", STIRMLS_R_PEM_INVALID},
    {"empty", "", STIRMLS_R_PEM_INVALID},
    {"not closed", "-----BEGIN CERTIFICATE-----\nMIIB\n", STIRMLS_R_PEM_INVALID},
    {"bad character", "-----BEGIN CERTIFICATE-----\nMI*B\n-----END CERTIFICATE-----\n",
     STIRMLS_R_PEM_INVALID},
    {"bad padding", "-----BEGIN CERTIFICATE-----\nM===\n-----END CERTIFICATE-----\n",
     STIRMLS_R_PEM_INVALID},
    {"data after padding", "-----BEGIN CERTIFICATE-----\nMA==MA==\n-----END CERTIFICATE-----\n",
     STIRMLS_R_PEM_INVALID},
    {"empty body", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", STIRMLS_R_PEM_INVALID},
    {"CRLF and padding ok", "-----BEGIN CERTIFICATE-----\r\nMAA=\r\n-----END CERTIFICATE-----\r\n",
     STIRMLS_R_OK},
};

START_TEST(pem_table)
{
    const struct pem_case *c = &pem_cases[_i];
    stirmls_der_list l;
    stirmls_detail d;
    stirmls_detail_init(&d);
    stirmls_reason got = stirmls_pem_certificates(c->text, strlen(c->text), &l, &d);
    ck_assert_msg(got == c->want, "%s: got %s", c->name, stirmls_reason_name(got));
    if (got == STIRMLS_R_OK) {
        ck_assert(l.n == 1 && l.len[0] == 2 && l.der[0][0] == 0x30 && l.der[0][1] == 0);
        stirmls_der_list_cleanup(&l);
    }
}
END_TEST

Suite *pemblock_suite(void);
Suite *pemblock_suite(void)
{
    Suite *s = suite_create("pemblock");
    TCase *tc = tcase_create("pem");
    tcase_add_test(tc, bundle_in_order);
    tcase_add_loop_test(tc, pem_table, 0, (int)(sizeof pem_cases / sizeof pem_cases[0]));
    suite_add_tcase(s, tc);
    return s;
}
