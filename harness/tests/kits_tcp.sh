#!/bin/sh
# kits_tcp.sh HARNESS: each adapter kit over TCP (--listen 127.0.0.1:0, the port read from the
# "listening on" line of its stderr), under the harness with --jobs 2: every case UNSUPPORTED, exit
# 1 without --allow-unsupported-only and 0 with it. The stdio runs are docs examples
# (harness/adapters/kit/*/README.md, doc_examples.py). Skips node when it is not installed.
set -u
H=$1
T=$(mktemp -d)
fail=0
trap 'rm -rf "$T"' EXIT
run_kit() { # NAME COMMAND...
    name=$1; shift
    : > "$T/$name.err"
    "$@" --listen 127.0.0.1:0 2> "$T/$name.err" &
    pid=$!
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$T/$name.err")
        [ -n "$port" ] && break
        sleep 0.05
    done
    if [ -z "$port" ]; then
        echo "kits_tcp: $name did not listen: $(cat "$T/$name.err")"; fail=1; kill "$pid"; return
    fi
    "$H" run --impl "$name=tcp://127.0.0.1:$port" --jobs 2 --out "$T/$name" > "$T/$name.out" 2>&1
    st1=$?
    "$H" run --impl "$name=tcp://127.0.0.1:$port" --jobs 2 --allow-unsupported-only --out "$T/$name" \
        > "$T/$name.ok" 2>&1
    st2=$?
    kill "$pid"
    wait "$pid" 2>/dev/null
    if [ $st1 != 1 ] || ! grep -q "^$name judged no case" "$T/$name.out" || grep -q "^warning:" "$T/$name.out"; then
        echo "kits_tcp: $name without --allow-unsupported-only: exit $st1"; cat "$T/$name.out"; fail=1
    elif [ $st2 != 0 ] || ! grep -q "0 unexpected: UNSUPPORTED" "$T/$name.ok"; then
        echo "kits_tcp: $name with --allow-unsupported-only: exit $st2"; cat "$T/$name.ok"; fail=1
    else
        echo "kits_tcp: $name over TCP: judged nothing, exit 1; with --allow-unsupported-only exit 0"
    fi
}
run_kit kit-c build/harness/adapters/kit/c/adapter
run_kit kit-python /usr/bin/python3 harness/adapters/kit/python/adapter.py
if command -v node >/dev/null 2>&1; then run_kit kit-node node harness/adapters/kit/node/adapter.mjs
else echo "kits_tcp: node not installed, the node kit skipped"; fi
exit $fail
