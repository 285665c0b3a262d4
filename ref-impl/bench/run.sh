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
#   7. the network services (stirmls serve --listen, bridge): requests/s, p50/p99 latency for
#      1, 4 and 16 clients (ref-impl/bench/netbench.py)
#
# Progress: one line per phase on stderr. Results: stdout.
set -u
O=${O:-build}
SECONDS_PER_ROUND=${BENCH_SECONDS:-0.25}
ROOT=$(pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/stirmls-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
HARNESS="$ROOT/$O/stirmls-harness"
REF="stirmls=$O/stirmls serve"
st=0

say() { printf 'bench: %s\n' "$*" >&2; }
now_ns() { date +%s%N; }
# secs START_NS END_NS -> seconds with 3 decimals
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
calc() { awk "BEGIN { $1 }"; }

# timed CMD...: run CMD (output discarded, exit status in $TMP/rc) and print "wall cpu maxrss":
# wall seconds, CPU seconds (user + system) of CMD and everything it waited for, and the largest
# resident set among them in KiB. The RSS comes from GNU time when it is there: a process started
# from Python is recorded with Python's own resident set (~10 MB, Linux keeps the largest set a
# process had before exec), which would hide anything smaller; without it, RUSAGE_CHILDREN.
timed() {
    /usr/bin/python3 -c '
import os, resource, subprocess, sys, time
gnu = os.access("/usr/bin/time", os.X_OK)
cmd = (["/usr/bin/time", "-f", "%M", "-o", sys.argv[1] + ".rss"] if gnu else []) + sys.argv[2:]
t = time.monotonic()
rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
w = time.monotonic() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
rss = u.ru_maxrss
if gnu:
    try:
        rss = int(open(sys.argv[1] + ".rss").read().split()[-1])
    except (OSError, ValueError, IndexError):
        pass
open(sys.argv[1], "w").write("%d\n" % rc)
print("%.4f %.4f %d" % (w, u.ru_utime + u.ru_stime, rss))' "$TMP/rc" "$@"
}

# best_of N OUTDIR IMPL [harness options...]: "wall cpu maxrss" over N harness runs: the smallest
# wall and CPU times (each its own minimum), the largest RSS; the last exit status in $TMP/hx.rc
best_of() {
    bo_n=$1 bo_out=$2 bo_impl=$3
    shift 3
    bo_w= bo_c= bo_r=0
    bo_i=0
    while [ $bo_i -lt "$bo_n" ]; do
        set -- $(timed "$HARNESS" run --impl "$bo_impl" --out "$bo_out" "$@") "$@"
        cp "$TMP/rc" "$TMP/hx.rc"
        if [ -z "$bo_w" ] || [ "$(calc "print ($1 < $bo_w)")" = 1 ]; then bo_w=$1; fi
        if [ -z "$bo_c" ] || [ "$(calc "print ($2 < $bo_c)")" = 1 ]; then bo_c=$2; fi
        if [ "$3" -gt "$bo_r" ]; then bo_r=$3; fi
        shift 3
        bo_i=$((bo_i + 1))
    done
    echo "$bo_w $bo_c $bo_r"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 1. in-process -----------------------------------------------------------------------------
say "stirmls-bench (limit, operations, suite in-process)"
"$O/stirmls-bench" --seconds "$SECONDS_PER_ROUND" --vectors vectors >"$TMP/bench.txt" || st=1
cat "$TMP/bench.txt"
inproc_us=$(sed -n 's/^suite in-process.* \([0-9.]*\) µs\/case.*/\1/p' "$TMP/bench.txt")
ncases=$(sed -n 's/^suite in-process[^:]*: \([0-9]*\) cases.*/\1/p' "$TMP/bench.txt")
if [ -z "$inproc_us" ] || [ -z "$ncases" ]; then echo "bench: no in-process suite figure"; exit 1; fi

# ---- 2. the suite through the protocol ---------------------------------------------------------
say "harness: the whole suite against stirmls serve (best of 3)"
set -- $(best_of 3 "$TMP/ref" "$REF" --expectations stirmls=harness/expectations/stirmls.yaml)
wall=$1 cpu=$2
if [ "$(cat "$TMP/hx.rc")" != 0 ]; then
    echo "harness: the reference run was not OK (exit $(cat "$TMP/hx.rc"))"; st=1
fi
calc "printf \"suite through stirmls-interop/1 (harness + stirmls serve): %d cases, %.3f s wall (%.0f cases/s), %.3f s CPU (%.0f cases/s)\n\", $ncases, $wall, $ncases / $wall, $cpu, $ncases / $cpu"
calc "printf \"harness overhead: %.1f µs/case of CPU (%.1f through the protocol, harness and serve together, - %.1f in-process); by wall %.1f µs/case\n\", $cpu * 1e6 / $ncases - $inproc_us, $cpu * 1e6 / $ncases, $inproc_us, $wall * 1e6 / $ncases - $inproc_us"

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
    set -- $(best_of 2 "$TMP/$name" "$name=$cmd" --expectations "$name=harness/expectations/$name.yaml")
    pw=$1 pc=$2
    judged "$TMP/$name.ids" "$TMP/$name/report.json" "$name"
    n=$(wc -l <"$TMP/$name.ids")
    if [ "$n" = 0 ]; then
        echo "peer $name: no case judged"; return
    fi
    set --
    while read -r id; do set -- "$@" --filter "$id"; done <"$TMP/$name.ids"
    set -- $(best_of 2 "$TMP/ref-$name" "$REF" --expectations stirmls=harness/expectations/stirmls.yaml "$@")
    rw=$1 rc=$2
    calc "printf \"peer %s (adapter): %d cases judged: %.3f s wall, %.3f s CPU (%.0f cases/s); reference on the same cases: %.3f s wall, %.3f s CPU (%.0f cases/s); reference %.1fx faster by CPU, %.1fx by wall\n\", \"$name\", $n, $pw, $pc, $n / $pc, $rw, $rc, $n / $rc, $pc / $rc, $pw / $rw"
}

if why=$(sh mk/node-peer.sh); then
    peer node "node harness/adapters/node/adapter.mjs"
else
    echo "peer node: skipped: $why"
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
if why=$(sh mk/node-peer.sh); then
    node ref-impl/bench/peers/jose_verify.mjs "$TMP/fix" 0.5 "$ROOT/harness/adapters/node" || echo "peer jose in-process: skipped"
else
    echo "peer jose in-process: skipped: $why"
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
set -- $(best_of 2 "$TMP/m1" "$REF" --vectors vectors)
w1=$1 c1=$2 r1=$3
set -- $(best_of 2 "$TMP/m10" "$REF" --vectors "$TMP/v10")
w10=$1 c10=$2 r10=$3
calc "printf \"memory: suite (%d cases): %.2f s wall, %.2f s CPU, peak RSS %d KiB; 10x (%d cases): %.2f s wall, %.2f s CPU, peak RSS %d KiB; ratios: wall %.1fx, CPU %.1fx, RSS %.2fx\n\", $ncases, $w1, $c1, $r1, $ncases * 10, $w10, $c10, $r10, $w10 / $w1, $c10 / $c1, $r10 / $r1"

# ---- 6. make vectors ---------------------------------------------------------------------------
say "make vectors (scenario compiler)"
t0=$(now_ns)
"$O/stirmls-vectorgen" --out "$TMP/vectors" >/dev/null || st=1
t1=$(now_ns)
echo "make vectors: $(secs "$t0" "$t1") s ($O/stirmls-vectorgen --out DIR)"

# ---- 7. the network services -------------------------------------------------------------------
say "network services: 1, 4 and 16 clients on 127.0.0.1"
if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 ref-impl/bench/netbench.py --stirmls "$O/stirmls" --harness "$HARNESS" --vectors vectors || st=1
else
    echo "network services: skipped (/usr/bin/python3 missing)"
fi
exit $st
