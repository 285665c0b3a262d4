#!/bin/sh
# help-texts.sh CLI HARNESS VECTORGEN OUTDIR: every --help text of the three programs as plain
# text files (make install puts them in share/doc/stirmls/help/). A --help that fails is an error.
set -eu
cli=$1 harness=$2 vectorgen=$3 out=$4
mkdir -p "$out"
"$cli" --help > "$out/stirmls.txt"
for verb in $("$cli" --help | sed -n 's/^  \([a-z][a-z0-9-]*\)  .*/\1/p'); do
    "$cli" "$verb" --help > "$out/stirmls-$verb.txt"
done
"$harness" --help > "$out/stirmls-harness.txt"
"$harness" run --help > "$out/stirmls-harness-run.txt"
"$harness" bridge --help > "$out/stirmls-harness-bridge.txt"
"$vectorgen" --help > "$out/stirmls-vectorgen.txt"
