/* ossl_cert.h: shared between the files of src/crypto/ only (they alone include OpenSSL). */
#ifndef STIRMLS_OSSL_CERT_H
#define STIRMLS_OSSL_CERT_H

#include <limits.h>
#include <openssl/x509.h>
#include <stdio.h>
#include "stirmls/cert.h"

/* The underlying X509 (borrowed). */
X509 *stirmls_ossl_cert_x509(const stirmls_cert *c);

#endif
