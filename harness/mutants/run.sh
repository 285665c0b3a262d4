#!/bin/sh
# run.sh: make mutants. For every mutant of harness/mutants/mutants.tsv, build the reference with
# -DSTIRMLS_MUTANT=N into build/mutants/N/ and run the whole suite against it through the harness;
# score.py reads the reports and writes reports/mutants/summary.md.
# Build cost: the release objects in build/ are copied and only the objects of the files holding
# mutant N's '#if STIRMLS_MUTANT_ID == N' block are recompiled (every other file compiles to the
# same object in both builds: the switch lives in those blocks only).
# Usage: sh harness/mutants/run.sh [N...]   (default: every mutant of the table)
set -eu
B=build
T=harness/mutants/mutants.tsv
ids=${*:-$(grep -v '^#' "$T" | sed 1d | cut -f1)}
start=$(date +%s)
for n in $ids; do
  d=$B/mutants/$n
  rm -rf "$d" && mkdir -p "$d/ref-impl"
  cp -a "$B/gen" "$d/gen" && cp -a "$B/ref-impl/src" "$B/ref-impl/cli" "$d/ref-impl/"
  files=$(grep -rl "STIRMLS_MUTANT_ID == $n " ref-impl/src) || { echo "mutant $n: no switch in ref-impl/src"; exit 2; }
  for f in $files ref-impl/src/base/mutant.c; do rm -f "$d/${f%.c}.o"; done
  make -s -j2 O="$d" CFLAGS="-DSTIRMLS_MUTANT=$n" "$d/stirmls" >"$d/build.log" 2>&1 || {
    cat "$d/build.log"; echo "mutant $n: build failed"; exit 2; }
  "$B/stirmls-harness" run --impl "stirmls=$d/stirmls serve" --out "$d/report" --vectors vectors \
    >"$d/run.log" 2>&1 || true
  echo "mutant $n: $(head -1 "$d/run.log")"
done
end=$(date +%s)
mkdir -p reports/mutants
python3 harness/mutants/score.py "$T" "$B/mutants" $((end - start)) > reports/mutants/summary.md
tail -1 reports/mutants/summary.md
