#!/bin/sh
# deps.sh: check the Debian packages stirmls needs; install the missing ones when run as root
# on a machine with apt-get, otherwise print the exact apt-get line and fail.
#
# Core (required): the C build and its tests (clang + libclang-rt: the libFuzzer targets of
# fuzz-smoke, part of make check; valgrind: make valgrind, part of make check).
# Optional (installed when possible, never fatal): independent implementations and tools the
# cross-checks use; the tests that need them skip with a clear message when they are absent.
set -u
CORE_PKGS="build-essential pkg-config libssl-dev libjansson-dev libyaml-dev check libpcap-dev tcpdump clang libclang-rt-14-dev valgrind"
OPT_PKGS="python3 python3-jwcrypto python3-pyasn1-modules python3-openssl secsipidx"

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
    exit 0
fi
if [ -n "$missing" ]; then
    echo "deps: missing packages. Run as root:" >&2
    echo "  apt-get install -y $CORE_PKGS" >&2
    exit 1
fi
echo "deps: optional packages missing (their cross-checks will be skipped): apt-get install -y$optmissing" >&2
exit 0
