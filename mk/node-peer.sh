#!/bin/sh
# node-peer.sh: can the node peer (harness/adapters/node: jose, pkijs, @peculiar/asn1-schema,
# ts-mls) run here? Exit 0 and print nothing when it can; otherwise exit 1 and print one line
# saying why. Its locked packages need node 20 or later (ts-mls uses the global WebCrypto that
# node 18, Debian 12's own nodejs, lacks; @noble/curves and ts-mls declare node >= 20.19).
# Used by make deps, peer-tests, interop, bench and the ts-mls cross-check (tsmls_test.c).
# Run from the repository root (or with STIRMLS_ROOT set).
root=${STIRMLS_ROOT:-.}
NODE_MIN=20
if ! command -v node >/dev/null 2>&1; then
    echo "node is not installed"
    exit 1
fi
v=$(node -p 'process.versions.node' 2>/dev/null)
major=${v%%.*}
case $major in
    '' | *[!0-9]*) echo "node does not report its version"; exit 1 ;;
esac
if [ "$major" -lt "$NODE_MIN" ]; then
    echo "node $v is older than $NODE_MIN (the node peer's locked packages need node $NODE_MIN or later)"
    exit 1
fi
if [ "${1:-}" != --node-only ] && [ ! -f "$root/harness/adapters/node/node_modules/.stirmls-stamp" ]; then
    echo "harness/adapters/node/node_modules is not installed (make deps runs npm ci there)"
    exit 1
fi
exit 0
