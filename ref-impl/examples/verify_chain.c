/*
 * verify_chain.c: the smallest program built against the installed library (make install or the
 * .deb), as another C project would write it:
 *
 *     cc verify_chain.c $(pkg-config --cflags --libs stirmls) -o verify_chain
 *     ./verify_chain CHAIN.pem TRUST.pem AT [TN]
 *
 * It validates a STIR certificate chain (leaf first) against trust anchors at the Unix time AT,
 * optionally for the reference telephone number TN, and prints the verdict and the reason code
 * (e.g. "reject TN_NOT_COVERED"). Exit status: 0 accept, 1 reject, 2 usage or unreadable input.
 * make check-install runs it on an accepted and a rejected case of the installed suite.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stirmls.h>

static int read_certs(const char *path, stirmls_cert_list *out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    int bad = ferror(f) || !feof(f);
    fclose(f);
    stirmls_detail d;
    if (bad || stirmls_cert_list_parse(buf, n, out, &d) != STIRMLS_R_OK)
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: verify_chain CHAIN.pem TRUST.pem AT [TN]\n");
        return 2;
    }
    stirmls_cert_list chain, anchors;
    stirmls_cert_list_init(&chain);
    stirmls_cert_list_init(&anchors);
    stirmls_trust *trust = NULL;
    int rc = 2;
    if (read_certs(argv[1], &chain) != 0 || read_certs(argv[2], &anchors) != 0 ||
        stirmls_trust_new(&anchors, &trust) != STIRMLS_R_OK) {
        fprintf(stderr, "verify_chain: cannot read the certificates\n");
        goto out;
    }
    stirmls_auth_opts o;
    stirmls_auth_opts_init(&o, trust, strtoull(argv[3], NULL, 10));
    o.tn = argc == 5 ? argv[4] : NULL;
    stirmls_auth_result res;
    stirmls_detail d;
    stirmls_reason r = stirmls_auth_chain(chain.certs, chain.n, &o, &res, &d);
    if (r == STIRMLS_R_OK)
        printf("accept\n");
    else
        printf("reject %s\n", stirmls_reason_name(r));
    rc = r == STIRMLS_R_OK ? 0 : 1;
out:
    stirmls_trust_free(trust);
    stirmls_cert_list_cleanup(&chain);
    stirmls_cert_list_cleanup(&anchors);
    return rc;
}
