#!/bin/sh
# run.sh MODE SECONDS TARGET...: run the libFuzzer targets of build/fuzz/bin/ one after another.
#   smoke: a fresh scratch corpus per run, over the seeds, hand-made seeds and regressions.
#   long:  the corpus is kept in build/fuzz/live/<target>/ and grows from run to run.
# Every target sees build/fuzz/corpus/<t>/ (generated seeds), ref-impl/fuzz/seeds/<t>/ and
# ref-impl/fuzz/regressions/<t>/ when they exist. A crash, leak, timeout or sanitizer finding
# fails the run; the input is kept under build/fuzz/artifacts/<t>/ (make it a regression).
# One line per target goes to build/fuzz/results-MODE.txt: target, seconds, executions, corpus
# size, edges covered, result.
set -u
mode=$1 secs=$2
shift 2
out=build/fuzz/results-$mode.txt
: > "$out"
fail=0
for t in "$@"; do
    bin=build/fuzz/bin/${t}_fuzz
    if [ "$mode" = long ]; then work=build/fuzz/live/$t; else work=build/fuzz/smoke/$t; rm -rf "$work"; fi
    mkdir -p "$work" "build/fuzz/artifacts/$t"
    dirs="$work"
    if [ "$mode" = long ]; then
        cp build/fuzz/corpus/$t/* "$work"/ 2>/dev/null  # seeds join the kept corpus
    else
        dirs="$dirs build/fuzz/corpus/$t"
    fi
    for d in ref-impl/fuzz/seeds/$t ref-impl/fuzz/regressions/$t; do
        [ -d "$d" ] && dirs="$dirs $d"
    done
    log=build/fuzz/$t-$mode.log
    # -timeout: one input may take at most 10 s; -rss_limit_mb: memory bound; -max_len: inputs
    # up to 64 KiB (PASSporT limit); detect_leaks is on by default (LeakSanitizer).
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$t/" $dirs > "$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    corp=$(ls "$work" | wc -l)
    if [ $rc -eq 0 ]; then res=ok; else res="FAIL(exit $rc)"; fail=1; fi
    printf '%-20s %4ss %10s execs %6s new-corpus %6s edges  %s\n' "$t" "$secs" "${execs:-?}" "$corp" "${cov:-?}" "$res" | tee -a "$out"
    if [ $rc -ne 0 ]; then
        grep -E 'ERROR|SUMMARY|invariant|Test unit written' "$log" | head -8 >&2
        echo "fuzz: $t failed; full log in $log" >&2
    fi
done
exit $fail
