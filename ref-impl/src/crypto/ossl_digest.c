/* ossl_digest.c: SHA-256/384/512 by output length (digest.h). */
#include <openssl/evp.h>
#include "stirmls/digest.h"

stirmls_reason stirmls_digest_r(size_t len, const void *data, size_t n,
                                uint8_t out[STIRMLS_DIGEST_MAX])
{
    const EVP_MD *md = len == 32 ? EVP_sha256() : len == 48 ? EVP_sha384()
                       : len == 64 ? EVP_sha512() : NULL;
    unsigned int olen = 0;
    if (md == NULL)
        return STIRMLS_R_USAGE;
    if (!EVP_Digest(data, n, out, &olen, md, NULL) || olen != len)
        return STIRMLS_R_INTERNAL;
    return STIRMLS_R_OK;
}
