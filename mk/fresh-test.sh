#!/bin/sh
# fresh-test.sh (make fresh-test; root): the README's two commands on a fresh Debian 12.
#
#   1. debootstrap a Debian 12 (bookworm) system under build/fresh/base with gcc, make and git
#      added, nothing else (its apt sources: bookworm, bookworm-updates, bookworm-security);
#   2. in a copy of it (build/fresh/sys1): clone this repository (its committed HEAD; the clone has
#      nothing beside it), then `make conformance` and `make check`, each on its first run;
#      then `make deb` there; `make interop` and `make bench` each first in a copy of their own;
#   3. in a second copy (build/fresh/sys2): `apt-get install ./stirmls_<v>_<arch>.deb` and run the
#      installed suite (stirmls-harness run, default vectors and implementation) from /tmp; then, as
#      a C developer would (build-essential, pkg-config, libssl-dev, libjansson-dev), build
#      ref-impl/examples/verify_chain.c through pkg-config and run it on a case the installed
#      stirmls-vectorgen extracts (reject TN_NOT_COVERED for the number, accept without it).
#
# Logs: build/fresh/<step>.log; the summary (times, exit codes, each step's closing lines):
# build/fresh/result.txt. Needs root, debootstrap (installed if missing) and the Debian mirror
# (FRESH_MIRROR, default http://deb.debian.org/debian). It takes several minutes.
#
# Local plumbing, not a project step: when this machine has CA certificates of its own
# (/usr/local/share/ca-certificates/*.crt, e.g. an egress proxy's) and a root ~/.npmrc, they are
# copied into the fresh systems so that apt and npm reach the registries as they do here.
set -u
[ "$(id -u)" = 0 ] || { echo "fresh-test: needs root (debootstrap, chroot)" >&2; exit 2; }
repo=$(pwd)
rev=$(git rev-parse HEAD)   # every fresh system tests this commit, even if HEAD moves meanwhile
W=$repo/build/fresh
MIRROR=${FRESH_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
# mounts left by an interrupted run go first; rm never crosses into a mount (--one-file-system)
awk -v w="$W/" 'index($2, w) == 1 {print $2}' /proc/mounts | sort -r | xargs -r umount -l 2>/dev/null
rm -rf --one-file-system "$W/sys1" "$W/sys2" "$W/sys-interop" "$W/sys-bench"
mkdir -p "$W"
: > "$W/result.txt"
say() { echo "fresh-test: $*" | tee -a "$W/result.txt"; }

if ! command -v debootstrap >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null ||
        { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; } ||
        { echo "fresh-test: cannot install debootstrap" >&2; exit 2; }
fi

mounted=""
umount_all() {
    for m in $mounted; do umount -l "$m" 2>/dev/null; done
    mounted=""
}
trap umount_all EXIT INT TERM

# A fresh system: copy the base, give it this machine's resolver and (plumbing) CA certificates.
prepare() {
    sys=$1
    cp -a "$W/base" "$sys"
    cp /etc/resolv.conf "$sys/etc/resolv.conf"
    if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
        mkdir -p "$sys/usr/local/share/ca-certificates"
        cp /usr/local/share/ca-certificates/*.crt "$sys/usr/local/share/ca-certificates/"
        cat /usr/local/share/ca-certificates/*.crt > "$sys/root/.plumbing-ca.pem"
    fi
    [ -f "$HOME/.npmrc" ] && cp "$HOME/.npmrc" "$sys/root/.npmrc"
    for m in proc sys dev dev/pts; do
        mkdir -p "$sys/$m"
        case $m in
            proc) mount -t proc proc "$sys/proc" ;;
            sys) mount --rbind /sys "$sys/sys" ;;
            dev) mount --rbind /dev "$sys/dev" ;;
            dev/pts) mount -t devpts devpts "$sys/dev/pts" 2>/dev/null || true ;;
        esac
        mounted="$sys/$m $mounted"
    done
}

# Run a command in a fresh system as root, with a clean environment; log and time it.
inside() {
    sys=$1 step=$2
    shift 2
    extra=""
    [ -f "$sys/root/.plumbing-ca.pem" ] && extra="NODE_EXTRA_CA_CERTS=/root/.plumbing-ca.pem"
    t0=$(date +%s)
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        TERM=dumb $extra chroot "$sys" /bin/sh -c "$*" </dev/null >"$W/$step.log" 2>&1
    rc=$?
    t1=$(date +%s)
    say "$step: exit $rc in $((t1 - t0)) s: $*"
    # the lines that say what happened: deps' decisions, SKIPs, the harness's and make check's verdicts
    { grep -E '^(deps: |interop: |SKIP|OK: |NOT OK: |make check: |check-install: ok|Depends: |reject |accept$|peer node: )' "$W/$step.log" | sort -u | head -8
      tail -1 "$W/$step.log"; } | sed 's/^/    | /' | tee -a "$W/result.txt"
    return $rc
}

status=0
T0=$(date +%s)
if [ ! -f "$W/base/.fresh-ok" ] || [ -n "${FRESH_REBUILD:-}" ]; then
    rm -rf "$W/base"
    t0=$(date +%s)
    debootstrap --include=gcc,make,git "$SUITE" "$W/base" "$MIRROR" >"$W/debootstrap.log" 2>&1 ||
        { tail -20 "$W/debootstrap.log"; echo "fresh-test: debootstrap failed" >&2; exit 1; }
    cat > "$W/base/etc/apt/sources.list" <<SRC
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb ${MIRROR%/debian}/debian-security $SUITE-security main
SRC
    touch "$W/base/.fresh-ok"
    say "debootstrap $SUITE with gcc, make, git: $(($(date +%s) - t0)) s"
else
    say "reusing build/fresh/base (debootstrap $SUITE with gcc, make, git; FRESH_REBUILD=1 makes it anew)"
fi
say "base system: $(chroot "$W/base" dpkg-query -W -f='${binary:Package}\n' | wc -l) packages; gcc $(chroot "$W/base" gcc -dumpversion), $(chroot "$W/base" make --version | head -1), $(chroot "$W/base" git --version)"

# 2. the README's two commands in a clone with nothing beside it
prepare "$W/sys1"
git clone -q --no-local "$repo" "$W/sys1/root/work/stirmls" && git -C "$W/sys1/root/work/stirmls" checkout -q "$rev" ||
    { echo "fresh-test: clone failed" >&2; exit 1; }
say "clone of $(git -C "$repo" rev-parse --short "$rev") into /root/work/stirmls (nothing beside it: $(ls "$W/sys1/root/work" | tr '\n' ' '))"
inside "$W/sys1" conformance 'cd /root/work/stirmls && make conformance' || status=1
inside "$W/sys1" check 'cd /root/work/stirmls && make check' || status=1
inside "$W/sys1" deb 'cd /root/work/stirmls && make deb' || status=1
deb=$(ls "$W/sys1/root/work/stirmls/build/"stirmls_*.deb 2>/dev/null | head -1)

# make interop and make bench are first commands too: each in a fresh system of its own
for target in interop bench; do
    prepare "$W/sys-$target"
    git clone -q --no-local "$repo" "$W/sys-$target/root/work/stirmls" && git -C "$W/sys-$target/root/work/stirmls" checkout -q "$rev" ||
        { echo "fresh-test: clone failed" >&2; exit 1; }
    inside "$W/sys-$target" "$target" "cd /root/work/stirmls && make $target" || status=1
    umount_all
    rm -rf --one-file-system "$W/sys-$target"
done

# 3. the .deb alone in a second fresh system
if [ -n "$deb" ]; then
    cp "$deb" "$W/"
    prepare "$W/sys2"
    cp "$deb" "$W/sys2/root/"
    inside "$W/sys2" deb-install "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /root/$(basename "$deb")" || status=1
    inside "$W/sys2" deb-suite 'cd /tmp && stirmls-harness run --expectations stirmls=/usr/share/stirmls/expectations/stirmls.yaml --out /tmp/report && test -s /tmp/report/index.html' || status=1
    cp "$repo/ref-impl/examples/verify_chain.c" "$W/sys2/root/"
    inside "$W/sys2" deb-pkgconfig 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential pkg-config libssl-dev libjansson-dev >/dev/null && cd /tmp && stirmls-vectorgen extract spc-vs-tn/range-one-past-end --out /tmp/case >/dev/null && cc /root/verify_chain.c $(pkg-config --cflags --libs stirmls) -o /tmp/verify_chain && /tmp/verify_chain /tmp/case/chain.pem /tmp/case/trust.pem $(cat /tmp/case/at.txt) $(cat /tmp/case/tn.txt); test $? = 1 && /tmp/verify_chain /tmp/case/chain.pem /tmp/case/trust.pem $(cat /tmp/case/at.txt) | grep -x accept' || status=1
else
    say "no .deb was built: the package steps are skipped"
    status=1
fi
umount_all
say "total $(($(date +%s) - T0)) s; $([ $status = 0 ] && echo PASSED || echo FAILED)"
exit $status
