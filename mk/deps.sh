#!/bin/sh
# deps.sh: check the Debian packages stirmls needs; install the missing ones when run as root
# on a machine with apt-get, otherwise print the exact apt-get line and fail.
#
# Core (required): the C build and its tests (clang + libclang-rt: the libFuzzer targets of
# fuzz-smoke, part of make check; valgrind: make valgrind, part of make check).
# Optional (installed when possible, never fatal): independent implementations and tools the
# cross-checks use; the tests that need them skip with a clear message when they are absent.
# Node peer (never fatal): with node 20 or later (mk/node-peer.sh) and npm, `npm ci` in
# harness/adapters/node whenever package-lock.json changed since the last install (stamp:
# node_modules/.stirmls-stamp holds the lock's sha256); as root, Debian's nodejs is installed if node
# is missing, and npm if node is recent enough. Otherwise one line says why the node peer is left
# out (and on an npm ci failure node_modules is removed).
set -u
NODE_DIR=harness/adapters/node
NODE_STAMP=$NODE_DIR/node_modules/.stirmls-stamp

# node_deps: install the node adapter's locked packages; never fails. Debian 12's own nodejs (18)
# is installed when node is missing (the report page's smoke test runs under any node), but the
# node peer needs node 20 or later (mk/node-peer.sh): with an older node it is left out, in one line.
node_deps() {
    if ! command -v node >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "deps: installing nodejs (node peer, report smoke test)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null 2>&1 ||
            echo "deps: warning: nodejs not installed: the node peer is left out" >&2
    fi
    if ! why=$(sh mk/node-peer.sh --node-only); then
        echo "deps: the node peer is left out: $why" >&2
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "deps: installing npm (node peer)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null 2>&1 || true
    fi
    if ! command -v npm >/dev/null 2>&1; then
        echo "deps: the node peer is left out: npm is not installed" >&2
        return 0
    fi
    [ -f "$NODE_DIR/package-lock.json" ] || return 0
    want=$(sha256sum "$NODE_DIR/package-lock.json" | cut -d' ' -f1)
    [ -f "$NODE_STAMP" ] && [ "$(cat "$NODE_STAMP")" = "$want" ] && return 0
    echo "deps: npm ci in $NODE_DIR (package-lock.json changed or never installed)" >&2
    if (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1); then
        echo "$want" > "$NODE_STAMP"
    else
        rm -rf "$NODE_DIR/node_modules"
        echo "deps: the node peer is left out: npm ci failed in $NODE_DIR" >&2
    fi
    return 0
}
CORE_PKGS="build-essential pkg-config libssl-dev libjansson-dev libyaml-dev check libpcap-dev tcpdump clang libclang-rt-14-dev valgrind"
OPT_PKGS="python3 python3-jwcrypto python3-pyasn1-modules python3-openssl secsipidx libsecsipid-dev chromium"

missing=""
for p in $CORE_PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# pkg-config is the source of truth for the libraries, whatever the package names
if command -v pkg-config >/dev/null 2>&1; then
    for m in openssl jansson yaml-0.1 check libpcap; do
        pkg-config --exists "$m" || missing="$missing pkg-config:$m"
    done
fi
optmissing=""
for p in $OPT_PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || optmissing="$optmissing $p"
done

if [ -z "$missing" ] && [ -z "$optmissing" ]; then
    node_deps
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing:$missing$optmissing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || true
    if [ -n "$missing" ]; then
        apt-get install -y -qq $CORE_PKGS >/dev/null || { echo "deps: apt-get install failed" >&2; exit 1; }
    fi
    for p in $optmissing; do
        apt-get install -y -qq "$p" >/dev/null 2>&1 || echo "deps: optional package $p not installed (its cross-checks will be skipped)" >&2
    done
    node_deps
    exit 0
fi
if [ -n "$missing" ]; then
    echo "deps: missing packages. Run as root:" >&2
    echo "  apt-get install -y $CORE_PKGS" >&2
    exit 1
fi
echo "deps: optional packages missing (their cross-checks will be skipped): apt-get install -y$optmissing" >&2
node_deps
exit 0
