#!/bin/sh
# Cross-check helper: SIP-profile PASSporTs with secsipidx (Debian package secsipidx).
#
#   secsipidx_xcheck.sh probe                                  exit 0 when secsipidx is on PATH, 3 when not
#   secsipidx_xcheck.sh sign KEY.pem X5U IAT ORIG DEST         print a full-form Identity value
#                                                              (token;info=<x5u>;alg=ES256;ppt=shaken)
#   secsipidx_xcheck.sh verify PUB.pem IDENTITY_FILE           exit 0 when secsipidx verifies it
#
# secsipidx judges iat against its own wall clock with -expire seconds; verify passes a window
# wide enough for any fixed test iat, so only the signature and the token form are compared.
# The public key is given directly (-fpubkey), so nothing is fetched from x5u.
set -eu
command -v secsipidx >/dev/null 2>&1 || { echo "secsipidx is not installed" >&2; exit 3; }
case "${1:-}" in
probe) exit 0 ;;
sign)
    [ $# -eq 6 ] || { echo "usage: $0 sign KEY.pem X5U IAT ORIG DEST" >&2; exit 2; }
    tok=$(secsipidx -sign -k "$2" -x5u "$3" -iat "$4" -o "$5" -d "$6" -attest A \
        -orig-id 123e4567-e89b-12d3-a456-426655440000)
    printf '%s;info=<%s>;alg=ES256;ppt=shaken\n' "$tok" "$3"
    ;;
verify)
    [ $# -eq 3 ] || { echo "usage: $0 verify PUB.pem IDENTITY_FILE" >&2; exit 2; }
    secsipidx -c -fidentity "$3" -fpubkey "$2" -expire 10000000000 >/dev/null
    ;;
*)
    echo "usage: $0 probe | sign ... | verify ..." >&2
    exit 2
    ;;
esac
