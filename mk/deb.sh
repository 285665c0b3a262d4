#!/bin/sh
# deb.sh (make deb): build/stirmls_<version>_<arch>.deb with the Debian tools (debian/,
# dpkg-buildpackage -us -uc -b). The package is built in a copy of the source files under
# build/deb/ so the checkout's own build/ is left alone. As root, the missing build tools and
# Build-Depends are installed first.
set -eu
version=$(sed -n 's/^#define STIRMLS_VERSION "\(.*\)"/\1/p' ref-impl/include/stirmls.h)
chver=$(sed -n '1s/^stirmls (\([^)]*\)).*/\1/p' debian/changelog)
[ "$version" = "$chver" ] || {
    echo "deb: debian/changelog is at $chver but STIRMLS_VERSION is $version: add a changelog entry" >&2
    exit 1
}
need="dpkg-dev debhelper pkg-config libssl-dev libjansson-dev libyaml-dev"
missing=""
for p in $need; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "deb: installing:$missing" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null || true
        apt-get install -y -qq --no-install-recommends $missing >/dev/null || { echo "deb: apt-get install failed" >&2; exit 1; }
    else
        echo "deb: missing packages. Run as root: apt-get install -y$missing" >&2
        exit 1
    fi
fi
stage=build/deb
src=$stage/stirmls-$version
rm -rf "$stage"
mkdir -p "$src"
if git rev-parse --git-dir >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard | xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
        tar --null -T - -cf - | tar -xf - -C "$src"
else
    tar --exclude=./build --exclude=node_modules -cf - . | tar -xf - -C "$src"
fi
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
echo "deb: dpkg-buildpackage -us -uc -b in $src (log: $stage/build.log)"
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$stage/build.log" 2>&1 || {
    tail -30 "$stage/build.log"
    echo "deb: dpkg-buildpackage failed (log: $stage/build.log)" >&2
    exit 1
}
deb=stirmls_${version}_${arch}.deb
mv "$stage/$deb" "build/$deb"
echo "deb: build/$deb"
dpkg-deb -f "build/$deb" Package Version Architecture Depends Recommends
