#!/bin/sh
# check-install.sh (make check-install, part of make check): the installed stirmls works with
# nothing of the repository around it.
#   1. make install into a temporary DESTDIR (PREFIX=/usr/local);
#   2. from an empty directory, the installed stirmls-harness runs the installed suite against the
#      installed `stirmls serve` (both found by default: no --impl, no --vectors) and every case
#      gives its expected result; the count of results must equal the installed suite's cases;
#   3. the installed stirmls-vectorgen compiles the installed scenarios and extracts two cases;
#   4. ref-impl/examples/verify_chain.c is built against the installed headers and library through
#      `pkg-config --cflags --libs stirmls` (shared, then static) and gives each case's expected
#      verdict and reason;
#   5. make uninstall leaves no file behind.
set -eu
root=$(pwd)
O=${O:-build}
work=$root/$O/install-test
rm -rf "$work"
mkdir -p "$work/empty"
dest=$work/dest
prefix=/usr/local
make -s --no-print-directory install DESTDIR="$dest" PREFIX="$prefix" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; echo "check-install: make install failed"; exit 1; }
bin=$dest$prefix/bin
share=$dest$prefix/share/stirmls
fail() { echo "check-install: FAIL: $*"; exit 1; }

# 2. the installed harness, from a directory that is not the repository
cases=$(cat "$share"/vectors/*.json | grep -c '^   "id": "[a-z0-9-]*/' || true)
cd "$work/empty"
env -i PATH=/usr/bin:/bin HOME="$work" "$bin/stirmls-harness" run \
    --expectations "stirmls=$share/expectations/stirmls.yaml" --out "$work/report" >"$work/run.txt" 2>&1 ||
    { cat "$work/run.txt"; fail "the installed harness did not pass the installed suite"; }
results=$(grep -c '^{"case":' "$work/report/results.jsonl" || true)
[ "$results" -gt 0 ] || fail "no result recorded"
[ "$results" = "$cases" ] || fail "$results results for $cases installed cases"
echo "check-install: installed harness vs installed stirmls serve: $results cases, $(head -1 "$work/run.txt")"

# 3. the installed compiler of scenarios, with its installed defaults
env -i PATH=/usr/bin:/bin "$bin/stirmls-vectorgen" --check >"$work/vg.txt" 2>&1 ||
    { cat "$work/vg.txt"; fail "installed stirmls-vectorgen --check"; }
for id in spc-vs-tn/single-tn-delegate spc-vs-tn/range-one-past-end; do
    mkdir -p "$work/case/$id"
    env -i PATH=/usr/bin:/bin "$bin/stirmls-vectorgen" extract "$id" --out "$work/case/$id" >/dev/null ||
        fail "installed stirmls-vectorgen extract $id"
done

# 4. a C program against the installed library, through pkg-config
export PKG_CONFIG_SYSROOT_DIR="$dest" PKG_CONFIG_PATH="$dest$prefix/lib/pkgconfig"
cc -Wall -Werror "$root/ref-impl/examples/verify_chain.c" $(pkg-config --cflags --libs stirmls) \
    -o "$work/verify_chain" || fail "verify_chain.c does not build against the installed library"
cc -Wall -Werror -static-libgcc "$root/ref-impl/examples/verify_chain.c" $(pkg-config --cflags stirmls) \
    "$dest$prefix/lib/libstirmls.a" $(pkg-config --libs --static openssl jansson) -pthread \
    -o "$work/verify_chain_static" || fail "verify_chain.c does not link the installed libstirmls.a"
readelf -d "$work/verify_chain" | grep -q 'NEEDED.*libstirmls.so.0' || fail "verify_chain does not load libstirmls.so.0"
for id in spc-vs-tn/single-tn-delegate spc-vs-tn/range-one-past-end; do
    d=$work/case/$id
    want=$(sed -n 's/.*"verdict": "\([a-z]*\)".*/\1/p' "$d/expect.json")
    reason=$(sed -n 's/.*"reason": "\([A-Z0-9_]*\)".*/\1/p' "$d/expect.json")
    [ -n "$reason" ] && want="$want $reason"
    for prog in verify_chain verify_chain_static; do
        got=$(LD_LIBRARY_PATH="$dest$prefix/lib" "$work/$prog" "$d/chain.pem" "$d/trust.pem" \
              "$(cat "$d/at.txt")" "$(cat "$d/tn.txt")" || true)
        [ "$got" = "$want" ] || fail "$prog on $id: got '$got', expected '$want'"
    done
    echo "check-install: verify_chain (pkg-config, shared and static) on $id: $want"
done
# 5. make uninstall takes away every file make install put there
cd "$root"
make -s --no-print-directory uninstall DESTDIR="$dest" PREFIX="$prefix" >/dev/null 2>&1 || fail "make uninstall"
left=$(find "$dest" \( -type f -o -type l \) | head -5)
[ -z "$left" ] || fail "make uninstall left files: $left"
echo "check-install: make uninstall removed every installed file"
echo "check-install: ok"
