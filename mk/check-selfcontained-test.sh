#!/bin/sh
# check-selfcontained-test.sh: proves mk/check-selfcontained.sh (run by make check-selfcontained
# before the check itself). Each case feeds the check files with a known fault, or none, and
# asserts its exit status and the exact "file:line" it names. The faults are assembled at run
# time, so this script itself holds neither an undefined ID nor the folder name.
set -u
ROOT=$(pwd)
CHECK="$ROOT/mk/check-selfcontained.sh"
REQS="$ROOT/docs/requirements.md"
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT INT TERM
SHARED="..""/shared"
# IDs the table does not define, spelled so that this file does not cite them.
id() { printf '%s-%s' "$1" "$2"; }
fails=0
cases=0

# expect NAME STATUS PATTERN... -- ARGS: run the check with ARGS; the exit status must be STATUS and
# the output must hold every PATTERN (fixed strings).
expect() {
    name=$1 want=$2
    shift 2
    pats=""
    while [ "$1" != "--" ]; do pats="$pats$1
"; shift; done
    shift
    out=$(sh "$CHECK" "$@" 2>&1)
    got=$?
    cases=$((cases + 1))
    ok=1
    [ "$got" = "$want" ] || ok=0
    printf '%s' "$pats" | while IFS= read -r p; do
        [ -n "$p" ] || continue
        printf '%s\n' "$out" | grep -F -q -e "$p" || { echo "  missing: $p"; exit 1; }
    done || ok=0
    if [ $ok = 0 ]; then
        echo "FAIL: $name (exit $got, want $want)"
        printf '%s\n' "$out" | sed 's/^/  | /'
        fails=$((fails + 1))
    fi
}

# Look-alikes that are not requirement IDs, and citations of defined IDs in every form.
printf '%s\n' "SHA-256, AES-128, UTF-8, P-256, X-1, RFC-8225, ES-256 and ATIS-1000080 are no IDs." \
    "MKY-01..04, TNA-02/03/08, PPT-14..16, VAL-A, VAL-P and OQ-11 are defined." > "$T/clean.md"
expect "clean file passes" 0 "check-selfcontained: 1 files" -- --requirements "$REQS" "$T/clean.md"

# An undefined ID on line 3.
{ echo "line one"; echo "line two"; printf 'see PPT-%s for the rule\n' 99; } > "$T/undefined.md"
expect "undefined ID fails" 1 "$T/undefined.md:3: cites $(id PPT 99)," "FAILED" -- \
    --requirements "$REQS" "$T/clean.md" "$T/undefined.md"

# A range whose far end is undefined, and a letter ID that is not defined.
printf 'EXP-02..%s and VAL-%s\n' 09 Z > "$T/range.md"
expect "range and letter IDs expanded" 1 "$T/range.md:1: cites $(id EXP 09)," "$T/range.md:1: cites $(id VAL Z)," -- \
    --requirements "$REQS" "$T/range.md"

# The sibling folder mentioned on line 2.
printf 'x\nread %s/spec/notes.md\n' "$SHARED" > "$T/shared.c"
expect "folder mention fails" 1 "$T/shared.c:2: mentions $SHARED" -- --requirements "$REQS" "$T/shared.c"

# Tree mode outside git: build/ and node_modules/ are skipped, other files are not.
mkdir -p "$T/tree/docs" "$T/tree/build" "$T/tree/node_modules/m" "$T/tree/src"
cp "$REQS" "$T/tree/docs/requirements.md"
printf 'PPT-%s\n' 98 > "$T/tree/build/gen.txt"
printf 'PPT-%s\n' 97 > "$T/tree/node_modules/m/x.js"
cp "$T/clean.md" "$T/tree/src/ok.md"
(cd "$T/tree" && sh "$CHECK" > "$T/tree.out" 2>&1)
st=$?
cases=$((cases + 1))
if [ $st != 0 ] || grep -q 'PPT-9' "$T/tree.out"; then
    echo "FAIL: tree mode should skip build/ and node_modules/"; sed 's/^/  | /' "$T/tree.out"; fails=$((fails + 1))
fi
printf 'a\nPPT-%s\n' 96 > "$T/tree/src/bad.md"
(cd "$T/tree" && sh "$CHECK" > "$T/tree.out" 2>&1)
st=$?
cases=$((cases + 1))
if [ $st != 1 ] || ! grep -F -q "./src/bad.md:2: cites $(id PPT 96)," "$T/tree.out"; then
    echo "FAIL: tree mode should name ./src/bad.md:2"; sed 's/^/  | /' "$T/tree.out"; fails=$((fails + 1))
fi

if [ $fails -gt 0 ]; then
    echo "check-selfcontained-test: $fails of $cases cases failed"
    exit 1
fi
echo "check-selfcontained-test: $cases cases passed (undefined IDs, ranges, folder mentions, look-alikes, tree mode)"
