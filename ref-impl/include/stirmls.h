/*
 * stirmls.h: the umbrella header of the stirmls reference implementation.
 *
 * Map of the sub-headers, in layer order (each layer uses only the ones above it):
 *   stirmls/reason.h   the append-only table of reason codes (X-macro)
 *   stirmls/base.h     detail struct, slices, the bounded reader, the byte writer
 *   stirmls/codec.h    hex (codec/ also holds base64url, DER, MLS TLS encoding, JSON)
 *   stirmls/crypto.h   P-256 keys, SHA-256, deterministic ECDSA (the only OpenSSL users are in src/crypto/)
 *   stirmls/der.h      strict DER reader and writer helpers (codec/)
 *   stirmls/tnauthlist.h  TNAuthList codec, coverage and encompassing (stir/)
 *   stirmls/cert.h     X.509 certificates, trust anchors, path validation, the builder (crypto/)
 *   stirmls/jcc.h      JWT claim constraints extensions (stir/)
 *   stirmls/chain.h    STIR chain validation: delegation rule, reference TN (stir/)
 *   stirmls/pki.h      the deterministic test PKI (stir/)
 *   later modules add passport.h, credential.h, keypackage.h
 *
 * Conventions: see base.h (return codes, ownership, NULL, no wall clock).
 */
#ifndef STIRMLS_H
#define STIRMLS_H

#include "stirmls/reason.h"
#include "stirmls/base.h"
#include "stirmls/codec.h"
#include "stirmls/crypto.h"
#include "stirmls/der.h"
#include "stirmls/tnauthlist.h"
#include "stirmls/cert.h"
#include "stirmls/jcc.h"
#include "stirmls/chain.h"
#include "stirmls/pki.h"

#define STIRMLS_VERSION "0.1.0"

#endif
