/*
 * stirmls.h: the umbrella header of the stirmls reference implementation.
 *
 * Map of the sub-headers, in layer order (each layer uses only the ones above it):
 *   stirmls/reason.h   the append-only table of reason codes (X-macro)
 *   stirmls/base.h     detail struct, slices, the bounded reader, the byte writer
 *   stirmls/codec.h    hex (codec/ also holds base64url, DER, MLS TLS encoding, JSON)
 *   stirmls/pemblock.h DER bytes of the CERTIFICATE blocks of a PEM bundle (packaging only)
 *   stirmls/b64url.h   base64url without padding, strict;  stirmls/json.h  the one JSON wrapper
 *   stirmls/tn.h       canonical telephone numbers;  stirmls/mky.h  the mky binding
 *   stirmls/passport.h PASSporT parse/verify/sign, JWT claim constraints
 *   stirmls/identity.h the SIP Identity header value around a PASSporT (SIP profile)
 *   stirmls/crypto.h   P-256 keys, SHA-256, deterministic ECDSA (the only OpenSSL users are in src/crypto/)
 *   stirmls/der.h      strict DER reader and writer helpers (codec/)
 *   stirmls/tnauthlist.h  TNAuthList codec, coverage and encompassing (stir/)
 *   stirmls/cert.h     X.509 certificates, trust anchors, path validation, the builder (crypto/)
 *   stirmls/jcc.h      JWT claim constraints extensions (stir/)
 *   stirmls/chain.h    STIR chain validation: delegation rule, reference TN (stir/)
 *   stirmls/chaincache.h  a bounded cache of accepted chain validations (stir/)
 *   stirmls/pki.h      the deterministic test PKI (stir/)
 *   stirmls/authority.h  a whole chain or PASSporT verification: authority, JCC, time, signature, mky
 *   stirmls/binding.h  the STIR credential validators of MLS (VAL-A, VAL-P)
 *   stirmls/credential.h MLS Credential codec (STIR types), identities, the credential-validator hook
 *   stirmls/leafnode.h  LeafNode codec, SignWithLabel / RefHash, MLS options and LeafNode verification
 *   stirmls/keypackage.h KeyPackage codec (bare and MLSMessage), KeyPackageRef, verification, builder
 *   stirmls/digest.h   SHA-256/384/512 by length, for hashes that follow an MLS cipher suite (crypto/)
 *   stirmls/group.h    GroupContext, GroupInfo, ratchet tree, Proposal, Commit, PublicMessage codecs;
 *                      tree hash, resolution, parent hashes; GroupInfo verification and the member table
 *   stirmls/mutant.h   the switch of `make mutants` (harness/mutants/): 0 in ordinary builds
 *
 * Conventions: see base.h (return codes, ownership, NULL, no wall clock).
 */
#ifndef STIRMLS_H
#define STIRMLS_H

#include "stirmls/reason.h"
#include "stirmls/base.h"
#include "stirmls/codec.h"
#include "stirmls/pemblock.h"
#include "stirmls/crypto.h"
#include "stirmls/der.h"
#include "stirmls/b64url.h"
#include "stirmls/json.h"
#include "stirmls/tn.h"
#include "stirmls/tnauthlist.h"
#include "stirmls/cert.h"
#include "stirmls/jcc.h"
#include "stirmls/chain.h"
#include "stirmls/chaincache.h"
#include "stirmls/certcache.h"
#include "stirmls/pki.h"
#include "stirmls/mky.h"
#include "stirmls/passport.h"
#include "stirmls/identity.h"
#include "stirmls/credential.h"
#include "stirmls/leafnode.h"
#include "stirmls/keypackage.h"
#include "stirmls/authority.h"
#include "stirmls/binding.h"
#include "stirmls/digest.h"
#include "stirmls/group.h"

#define STIRMLS_VERSION "0.1.0"

#endif
