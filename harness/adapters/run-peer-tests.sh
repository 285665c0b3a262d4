#!/bin/sh
# run-peer-tests.sh: the tests of the Debian-packaged peer adapters (Python, secsipidx).
# Each suite starts its adapter ONCE and drives it over stdio. A suite whose Debian packages
# are missing is skipped with a message (exit 0 for that suite); a failing suite fails the run.
#   Python peer:    python3-jwcrypto python3-pyasn1-modules python3-openssl (+ openssl CLI)
#   secsipidx peer: libsecsipid-dev libjansson-dev libssl-dev pkg-config (+ openssl CLI)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
py=/usr/bin/python3
status=0

have_pkgs() {
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || {
            echo "missing Debian package: $p"
            return 1
        }
    done
}

echo "== Python peer (jwcrypto / pyasn1-modules / pyOpenSSL)"
if [ -x "$py" ] && command -v openssl >/dev/null &&
    have_pkgs python3-jwcrypto python3-pyasn1-modules python3-openssl; then
    "$py" "$here/python/test_adapter.py" || status=1
else
    echo "SKIP: Python peer tests (install: apt-get install -y python3-jwcrypto python3-pyasn1-modules python3-openssl openssl)"
fi

echo "== secsipidx peer (libsecsipid)"
if [ -x "$py" ] && command -v openssl >/dev/null && command -v pkg-config >/dev/null &&
    have_pkgs libsecsipid-dev libjansson-dev libssl-dev; then
    if make -s -C "$here/secsipidx"; then
        "$py" "$here/secsipidx/test_adapter.py" "$root/build/adapters/secsipidx/ssx-adapter" || status=1
    else
        echo "FAIL: the secsipidx adapter does not build"
        status=1
    fi
else
    echo "SKIP: secsipidx peer tests (install: apt-get install -y libsecsipid-dev libjansson-dev libssl-dev pkg-config openssl)"
fi
exit $status
