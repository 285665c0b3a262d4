#!/bin/sh
# conformance.sh: the README's main job. Runs the whole suite (vectors/) against the reference
# implementation (build/stirmls serve) through the harness and writes reports/latest/. The harness
# prints the summary counts and the path of index.html; its exit status is ours.
# --strict-reasons: the suite's reasons are the reference's own definition, so for the reference a
# right verdict with another reason (PASS_OTHER_REASON) is a deviation and fails the run (issue 19);
# other implementations keep PASS_OTHER_REASON as a non-failure (make interop, harness default).
# --strict-outcome: likewise every outcome member a case states (identities, the failing
# certificate...) must be reported by the reference; other implementations are not failed for
# leaving one out (only for reporting it wrong).
set -u
O=${O:-build}
exec "$O/stirmls-harness" run --impl "stirmls=$O/stirmls serve" \
  --expectations stirmls=harness/expectations/stirmls.yaml --strict-reasons --strict-outcome --out reports/latest "$@"
