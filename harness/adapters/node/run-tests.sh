#!/bin/sh
# run-tests.sh: install the pinned dependencies (only if node_modules is missing) and run the
# adapter's self-test. Needs node (>= 20), npm and the openssl command line.
set -eu
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
    npm ci --no-audit --no-fund
fi
exec node --test test/
