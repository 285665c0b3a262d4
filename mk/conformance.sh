#!/bin/sh
# conformance.sh: the README's main job. Runs the whole suite (vectors/) against the reference
# implementation (build/stirmls serve) through the harness and writes reports/latest/. The harness
# prints the summary counts and the path of index.html; its exit status is ours.
set -u
O=${O:-build}
exec "$O/stirmls-harness" run --impl "stirmls=$O/stirmls serve" \
  --expectations stirmls=harness/expectations/stirmls.yaml --out reports/latest "$@"
