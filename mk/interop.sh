#!/bin/sh
# interop.sh: `make interop`. Runs the whole suite against the reference and every independent
# implementation whose adapter can run here, and writes reports/interop/ (committed).
#
# Peers (harness/adapters/<name>/, each a long-running stirmls-interop/1 process):
#   node       jose + pkijs + @peculiar/asn1-schema + ts-mls   (npm ci by make deps)
#   python     python3-jwcrypto + pyasn1-modules + pyOpenSSL    (Debian packages)
#   secsipidx  libsecsipid (Go, via its C API)                  (Debian package libsecsipid-dev)
# A peer whose dependencies are missing is left out with a message; each peer's known
# disagreements are listed, with reasons, in harness/expectations/<name>.yaml.
set -u
O=${O:-build}
OUT=${OUT:-reports/interop}
set -- --impl "stirmls=$O/stirmls serve" --expectations stirmls=harness/expectations/stirmls.yaml

if why=$(sh mk/node-peer.sh); then
    set -- "$@" --impl "node=node harness/adapters/node/adapter.mjs" --expectations node=harness/expectations/node.yaml
else
    echo "interop: node peer left out: $why" >&2
fi
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jwcrypto, pyasn1_modules.rfc8226, OpenSSL' 2>/dev/null; then
    set -- "$@" --impl "python=/usr/bin/python3 harness/adapters/python/adapter.py" --expectations python=harness/expectations/python.yaml
else
    echo "interop: python peer left out (python3-jwcrypto python3-pyasn1-modules python3-openssl missing)" >&2
fi
if pkg-config --exists secsipid-1 2>/dev/null && make -s -C harness/adapters/secsipidx >/dev/null; then
    set -- "$@" --impl "secsipidx=build/adapters/secsipidx/ssx-adapter" --expectations secsipidx=harness/expectations/secsipidx.yaml
else
    echo "interop: secsipidx peer left out (libsecsipid-dev missing or its adapter does not build)" >&2
fi
rm -rf "$OUT"
exec "$O/stirmls-harness" run "$@" --out "$OUT"
