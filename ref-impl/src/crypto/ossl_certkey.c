/* ossl_certkey.c: interim signer key from the first PEM certificate (no chain validation). */
#include <openssl/asn1.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "stirmls/certkey.h"

static int to_unix(const ASN1_TIME *t, uint64_t *out)
{
    int days = 0, secs = 0;
    ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);
    int ok = epoch != NULL && ASN1_TIME_diff(&days, &secs, epoch, t);
    ASN1_TIME_free(epoch);
    if (!ok || days < 0 || secs < 0)
        return 0;
    *out = (uint64_t)days * 86400u + (uint64_t)secs;
    return 1;
}

stirmls_reason stirmls_key_from_cert_pem(const char *pem, size_t len, stirmls_key **key,
                                         uint64_t *not_after)
{
    if (len > INT32_MAX)
        return STIRMLS_R_USAGE;
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    if (bio == NULL)
        return STIRMLS_R_INTERNAL;
    X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (x == NULL)
        return STIRMLS_R_PEM_INVALID;
    stirmls_reason rc = STIRMLS_R_OK;
    uint64_t na = 0;
    EVP_PKEY *pk = X509_get0_pubkey(x);
    if (pk == NULL || !to_unix(X509_get0_notAfter(x), &na))
        rc = STIRMLS_R_CERT_PARSE;
    else
        rc = stirmls_key_from_evp(pk, key);
    X509_free(x);
    if (rc == STIRMLS_R_OK && not_after != NULL)
        *not_after = na;
    return rc;
}
