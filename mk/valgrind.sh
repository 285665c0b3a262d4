#!/bin/sh
# valgrind.sh [BUILD_DIR]: valgrind memcheck over a sample of CLI runs (every verb; accept,
# reject and usage paths; inputs from vectors/) and over the harness running a few cases
# against `stirmls serve` (the harness and every serve instance under memcheck).
# A run fails on any memcheck error, on a definitely or indirectly lost block
# (--errors-for-leak-kinds=definite,indirect), or on an exit status other than the expected
# one (memcheck's own --error-exitcode is 99). Logs: BUILD_DIR/valgrind/<name>.log.
# Suppressions: mk/valgrind.supp (each entry says why); docs/robustness.md.
set -u
B=${1:-build}
CLI=$B/stirmls
HARNESS=$B/stirmls-harness
OUT=$B/valgrind
V=vectors
command -v valgrind >/dev/null 2>&1 || { echo "valgrind: not installed (make deps)" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT/tmp"
VG="valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
--errors-for-leak-kinds=definite,indirect --error-exitcode=99 --num-callers=40 \
--suppressions=mk/valgrind.supp"
fail=0 n=0

# run NAME WANT ARGS...: the CLI under memcheck must exit with WANT.
run() {
    name=$1 want=$2
    shift 2
    n=$((n + 1))
    $VG --log-file="$OUT/$name.log" "$CLI" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err"
    rc=$?
    if [ "$rc" != "$want" ]; then
        fail=1
        echo "valgrind: $name: exit $rc, want $want (99 = memcheck error); $OUT/$name.log" >&2
        grep -E 'definitely|indirectly|Invalid|uninitialised|ERROR SUMMARY' "$OUT/$name.log" | head -6 >&2
    fi
}

at() { cat "$V/$1/at.txt"; }
key() { cat "$V/$1/signature_key.hex"; }

c=delegation/one-level
run cert-verify-accept 0 cert verify --chain $V/$c/chain.pem --trust $V/$c/trust.pem --at "$(at $c)" --tn 12155550123
c=delegation/grandchild-escapes-parent
run cert-verify-reject 1 cert verify --chain $V/$c/chain.pem --trust $V/$c/trust.pem --at "$(at $c)"
run cert-show 0 cert show $V/delegation/one-level/chain.pem
run cert-usage 2 cert verify --chain $V/$c/chain.pem
run tnauthlist-decode 0 tnauthlist decode $V/delegation/one-level/chain.pem
run tnauthlist-encode 0 tnauthlist encode --spc 709J --range 12155550100:100 --one 12155550123 --hex
c=ppt/shaken-valid
run passport-verify-accept 0 passport verify --passport $V/$c/passport.txt --chain $V/$c/chain.pem \
    --trust $V/$c/trust.pem --at "$(at $c)" --signature-key "$(key $c)"
c=ppt/alg-none
run passport-verify-reject 1 passport verify --passport $V/$c/passport.txt --chain $V/$c/chain.pem \
    --trust $V/$c/trust.pem --at "$(at $c)" --signature-key "$(key $c)"
run pki-generate 0 pki generate --seed valgrind --out "$OUT/tmp/pki"
printf '{"dest":{"tn":["12155551213"]},"iat":1780272000,"orig":{"tn":"12155550123"}}' > "$OUT/tmp/claims.json"
run passport-sign 0 passport sign --key "$OUT/tmp/pki/deleg-one.key.pem" --x5u https://cert.example.org/p.pem \
    --claims "$OUT/tmp/claims.json"
c=keypackage/approach1-valid
run keypackage-verify-accept 0 keypackage verify --in $V/$c/key_package.hex --hex --at "$(at $c)" \
    --trust $V/$c/trust.pem --tn "$(cat $V/$c/tn.txt)"
c=keypackage/kp-signature-flipped
run keypackage-verify-reject 1 keypackage verify --in $V/$c/key_package.hex --hex --at "$(at $c)" --trust $V/$c/trust.pem
run keypackage-inspect 0 keypackage inspect --in $V/keypackage/approach1-valid/key_package.hex --hex
run keypackage-create 0 keypackage create --credential-type certificate \
    --signature-key-pem "$OUT/tmp/pki/deleg-one.key.pem" --chain "$OUT/tmp/pki/deleg-one.chain.pem" \
    --not-before 1767225600 --not-after 1767312000 --out "$OUT/tmp/kp.bin"
c=mky/credential-match
run credential-verify-accept 0 credential verify --in $V/$c/credential.hex --hex --signature-key "$(key $c)" \
    --at "$(at $c)" --trust $V/$c/trust.pem
c=malformed/credential-trailing-byte
run credential-verify-reject 1 credential verify --in $V/$c/credential.hex --hex --signature-key "$(key $c)" \
    --at "$(at $c)" --trust $V/$c/trust.pem
G=ref-impl/tests/data/group
run group-inspect 0 group inspect --in $G/stir-group.hex --hex
run group-verify-accept 0 group verify --in $G/stir-group.hex --hex --trust $G/root.pem --at 1767312000
run group-verify-reject 1 group verify --in $G/stir-group.hex --hex --trust $G/root.pem --at 1767916800 \
    --reject-expired
run group-usage 2 group verify --in $G/stir-group.hex --hex --at 1767312000
run mky 0 mky --signature-key "$(key mky/credential-match)"
run reasons 0 reasons --json
run missing-file 2 cert show "$OUT/tmp/no-such-file"

# The harness (under memcheck) drives `stirmls serve` (each instance under memcheck) over a
# few cases of every kind, the generate op included.
n=$((n + 1))
$VG --log-file="$OUT/harness.log" "$HARNESS" run \
    --impl "stirmls=$VG --log-file=$OUT/serve.%p.log $CLI serve" \
    --expectations stirmls=harness/expectations/stirmls.yaml --timeout 60 --out "$OUT/harness-report" \
    --filter ppt/shaken-valid --filter ppt/alg-none --filter delegation/one-level \
    --filter keypackage/approach1-valid --filter mky/credential-match \
    --filter malformed/credential-trailing-byte --filter 'generate/*' \
    > "$OUT/harness.out" 2>&1
rc=$?
if [ $rc != 0 ]; then
    fail=1
    echo "valgrind: harness run: exit $rc (99 = memcheck error in the harness); $OUT/harness.out, $OUT/harness.log" >&2
    head -3 "$OUT/harness.out" >&2
fi
nserve=0
for log in "$OUT"/serve.*.log; do
    [ -f "$log" ] || continue
    nserve=$((nserve + 1))
    # every instance must have ended normally (shutdown) with a clean summary
    if ! grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
        fail=1
        echo "valgrind: serve instance: $log" >&2
        grep -E 'definitely|indirectly|Invalid|uninitialised|ERROR SUMMARY' "$log" | head -6 >&2
        grep -q 'ERROR SUMMARY' "$log" || echo "  (no summary: the instance did not exit normally)" >&2
    fi
done
[ $nserve -gt 0 ] || { fail=1; echo "valgrind: no serve instance ran" >&2; }
cases=$(head -1 "$OUT/harness.out")
if [ $fail = 0 ]; then
    echo "valgrind: $n runs clean ($((n - 1)) CLI runs, the harness and $nserve serve instance(s): $cases)"
fi
exit $fail
