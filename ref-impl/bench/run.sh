#!/bin/sh
# run.sh: `make bench` (docs/performance.md). A measurement, never a test: it prints figures and
# fails only when something could not run (a verdict mismatch, a harness error).
#
#   1. build/stirmls-bench: the ECDSA limit, the per-operation rates, the suite in-process
#   2. the whole suite against `stirmls serve` through stirmls-interop/1 (best of 3 runs)
#   3. the peers through their adapters, each on the cases it really judged, against the
#      reference on the same cases (node, python, secsipidx; a missing peer is skipped)
#   4. the peers in-process (jwcrypto, jose, libsecsipid) on the bench's PASSporT
#   5. memory and wall time of a full harness run and of a run with ten times the cases
#   6. make vectors (the scenario compiler) wall time
#
# Progress: one line per phase on stderr. Results: stdout.
set -u
O=${O:-build}
SECONDS_PER_ROUND=${BENCH_SECONDS:-0.25}
ROOT=$(pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/stirmls-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
HARNESS="$O/stirmls-harness"
REF="stirmls=$O/stirmls serve"
st=0

say() { printf 'bench: %s\n' "$*" >&2; }
now_ns() { date +%s%N; }
# secs START_NS END_NS -> seconds with 3 decimals
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
calc() { awk "BEGIN { $1 }"; }

# run_harness OUTDIR IMPL [harness options...]: wall seconds on stdout; exit status kept in $TMP/hx.rc
run_harness() {
    out=$1 impl=$2
    shift 2
    t0=$(now_ns)
    "$HARNESS" run --impl "$impl" --out "$out" "$@" >"$out.log" 2>&1
    echo $? >"$TMP/hx.rc"
    t1=$(now_ns)
    secs "$t0" "$t1"
}

# best_of N OUTDIR IMPL [options...]: the smallest wall time of N runs
best_of() {
    bo_n=$1
    shift
    bo_best=
    bo_i=0
    while [ $bo_i -lt "$bo_n" ]; do
        bo_w=$(run_harness "$@")
        if [ -z "$bo_best" ] || [ "$(calc "print ($bo_w < $bo_best)")" = 1 ]; then bo_best=$bo_w; fi
        bo_i=$((bo_i + 1))
    done
    echo "$bo_best"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 1. in-process -----------------------------------------------------------------------------
say "stirmls-bench (limit, operations, suite in-process)"
"$O/stirmls-bench" --seconds "$SECONDS_PER_ROUND" --vectors vectors >"$TMP/bench.txt" || st=1
cat "$TMP/bench.txt"
inproc_us=$(sed -n 's/^suite in-process.* \([0-9.]*\) µs\/case.*/\1/p' "$TMP/bench.txt")
ncases=$(sed -n 's/^suite in-process[^:]*: \([0-9]*\) cases.*/\1/p' "$TMP/bench.txt")

# ---- 2. the suite through the protocol ---------------------------------------------------------
say "harness: the whole suite against stirmls serve (best of 3)"
wall=$(best_of 3 "$TMP/ref" "$REF" --expectations stirmls=harness/expectations/stirmls.yaml)
if [ "$(cat "$TMP/hx.rc")" != 0 ]; then
    echo "harness: the reference run was not OK:"; head -3 "$TMP/ref.log"; st=1
fi
calc "printf \"suite through stirmls-interop/1 (harness + stirmls serve): %d cases in %.3f s wall, %.0f cases/s\n\", $ncases, $wall, $ncases / $wall"
calc "printf \"harness overhead: %.1f µs/case (%.1f µs/case through the protocol - %.1f in-process)\n\", $wall * 1e6 / $ncases - $inproc_us, $wall * 1e6 / $ncases, $inproc_us"

# ---- 3. the peers through their adapters -------------------------------------------------------
# judged IDS_FILE REPORT NAME: the cases NAME really judged (not UNSUPPORTED, SKIP), one per line
judged() {
    /usr/bin/python3 - "$2" "$3" >"$1" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
for x in r["results"]:
    if x["implementation"] == sys.argv[2] and x["verdict"] not in ("UNSUPPORTED", "SKIP"):
        print(x["case"])
EOF
}

peer() {
    name=$1 cmd=$2
    say "peer $name through its adapter"
    pw=$(best_of 2 "$TMP/$name" "$name=$cmd" --expectations "$name=harness/expectations/$name.yaml")
    judged "$TMP/$name.ids" "$TMP/$name/report.json" "$name"
    n=$(wc -l <"$TMP/$name.ids")
    if [ "$n" = 0 ]; then
        echo "peer $name: no case judged (see $TMP/$name.log)"; return
    fi
    set --
    while read -r id; do set -- "$@" --filter "$id"; done <"$TMP/$name.ids"
    rw=$(best_of 2 "$TMP/ref-$name" "$REF" --expectations stirmls=harness/expectations/stirmls.yaml "$@")
    calc "printf \"peer %s (adapter): %d cases judged in %.3f s, %.0f cases/s; reference on the same cases %.3f s, %.0f cases/s: reference %.1fx faster\n\", \"$name\", $n, $pw, $n / $pw, $rw, $n / $rw, $pw / $rw"
}

if command -v node >/dev/null 2>&1 && [ -d harness/adapters/node/node_modules ]; then
    peer node "node harness/adapters/node/adapter.mjs"
else
    echo "peer node: skipped (node or harness/adapters/node/node_modules missing: npm ci there)"
fi
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jwcrypto, pyasn1_modules.rfc8226, OpenSSL' 2>/dev/null; then
    peer python "/usr/bin/python3 harness/adapters/python/adapter.py"
else
    echo "peer python: skipped (python3-jwcrypto, python3-pyasn1-modules or python3-openssl missing)"
fi
have_ssx=0
if pkg-config --exists secsipid-1 2>/dev/null && make -s -C harness/adapters/secsipidx >/dev/null 2>&1; then
    have_ssx=1
    peer secsipidx "$O/adapters/secsipidx/ssx-adapter"
else
    echo "peer secsipidx: skipped (libsecsipid-dev missing or its adapter does not build)"
fi

# ---- 4. the peers in-process -------------------------------------------------------------------
say "peers in-process (jwcrypto, jose, libsecsipid) on the bench PASSporT"
mkdir -p "$TMP/fix" "$O/bench"
"$O/stirmls-bench" --export "$TMP/fix" || st=1
grep -E '^passport (signature only|verify)' "$TMP/bench.txt" | sed 's/^/reference /'
/usr/bin/python3 ref-impl/bench/peers/jwcrypto_verify.py "$TMP/fix" 0.5 || echo "peer jwcrypto in-process: skipped"
if command -v node >/dev/null 2>&1; then
    node ref-impl/bench/peers/jose_verify.mjs "$TMP/fix" 0.5 "$ROOT/harness/adapters/node" || echo "peer jose in-process: skipped"
else
    echo "peer jose in-process: skipped (no node)"
fi
if [ $have_ssx = 1 ] && ${CC:-cc} -O2 -std=c11 -D_DEFAULT_SOURCE -o "$O/bench/secsipid-check" \
    ref-impl/bench/peers/secsipid_check.c $(pkg-config --cflags --libs secsipid-1) 2>"$TMP/ssx.err"; then
    "$O/bench/secsipid-check" "$TMP/fix" 0.5
else
    echo "peer libsecsipid in-process: skipped (libsecsipid-dev missing or secsipid_check.c does not build)"
fi

# ---- 5. memory: one suite and ten times the cases -----------------------------------------------
say "memory: the suite and ten times its cases"
mkdir -p "$TMP/v10"
/usr/bin/python3 - vectors "$TMP/v10" <<'EOF'
import glob, json, os, sys
src, dst = sys.argv[1], sys.argv[2]
for f in sorted(glob.glob(os.path.join(src, "*.json"))):
    doc = json.load(open(f))
    doc["cases"] = [dict(c, id=f"{c['id']}-x{k}") for k in range(10) for c in doc["cases"]]
    json.dump(doc, open(os.path.join(dst, os.path.basename(f)), "w"), sort_keys=True)
EOF
# memrun OUT VECTORS: "wall maxrss_kb" (max RSS over the harness and its children: GNU time's %M)
memrun() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%e %M' -o "$TMP/time.txt" "$HARNESS" run --impl "$REF" --vectors "$2" \
            --out "$1" >/dev/null 2>&1
        cat "$TMP/time.txt"
    else
        /usr/bin/python3 -c '
import resource, subprocess, sys, time
t = time.monotonic(); subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.2f %d" % (time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))' \
            "$HARNESS" run --impl "$REF" --vectors "$2" --out "$1"
    fi
}
set -- $(memrun "$TMP/m1" vectors)
w1=$1 r1=$2
set -- $(memrun "$TMP/m10" "$TMP/v10")
w10=$1 r10=$2
calc "printf \"memory: suite (%d cases): %.2f s wall, peak RSS %d KiB; 10x (%d cases): %.2f s wall, peak RSS %d KiB; ratios: wall %.1fx, RSS %.2fx\n\", $ncases, $w1, $r1, $ncases * 10, $w10, $r10, $w10 / $w1, $r10 / $r1"

# ---- 6. make vectors ---------------------------------------------------------------------------
say "make vectors (scenario compiler)"
t0=$(now_ns)
"$O/stirmls-vectorgen" --out "$TMP/vectors" >/dev/null || st=1
t1=$(now_ns)
echo "make vectors: $(secs "$t0" "$t1") s ($O/stirmls-vectorgen --out DIR)"
exit $st
