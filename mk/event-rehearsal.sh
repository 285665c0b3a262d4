#!/bin/sh
# event-rehearsal.sh: docs/interop-event.md rehearsed on this machine, the bundled peers as the
# teams. The reference listens on its own loopback port (stirmls serve --listen) and is reached as
# tcp://; the peers' adapters speak stdio only (a TCP bridge for stdio adapters is not in the
# harness yet), so the harness starts them. Two runs (two "sessions" of the day), each recording
# what the producers made; the day's merge; diff from the first session to the merged day; the
# recorded family replayed against the reference, whose verdicts must be those it gave during the
# event.
#   sh mk/event-rehearsal.sh            reduced (make check): generate/* and passport-sig/*
#   FULL=1 OUT=DIR sh mk/event-rehearsal.sh   the committed example's families
# Run from the repository root. Exit 0 when the flow worked and the replay agreed.
set -u
O=${O:-build}
H=$O/stirmls-harness
OUT=${OUT:-$O/event-rehearsal}
if [ "${FULL:-}" = 1 ]; then
    set -- --filter 'generate/*' --filter 'passport-sig/*' --filter 'cert-path/*' --filter 'mky/*' \
        --filter 'keypackage/*'
else
    set -- --filter 'generate/*' --filter 'passport-sig/*'
fi
FILTERS="$*"
rm -rf "$OUT"
mkdir -p "$OUT"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1780272000} # the recorded cases' date: stable output

# Team "stirmls": the reference as a TCP server on a free loopback port. `stirmls serve --listen`
# takes one connection at a time and ends at the harness's shutdown request, so it is started
# again for each harness run, and the runs use one worker (--jobs 1): a second worker's connection
# would wait behind the first and be lost when it shuts the server down.
PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null' EXIT INT TERM
serve() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
    "$O/stirmls" serve --listen "127.0.0.1:$PORT" 2>>"$OUT/stirmls-serve.log" &
    SERVER=$!
    i=0
    until /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1).close()" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 50 ]; then echo "event-rehearsal: stirmls serve --listen 127.0.0.1:$PORT did not listen" >&2; exit 1; fi
        sleep 0.1
    done
}
REF="--impl stirmls=tcp://127.0.0.1:$PORT --expectations stirmls=harness/expectations/stirmls.yaml"

# Session 1: the reference and the node team; session 2: the reference, python and secsipidx.
S1="" S2=""
if sh mk/node-peer.sh >/dev/null; then
    S1="--impl node=node\tharness/adapters/node/adapter.mjs --expectations node=harness/expectations/node.yaml"
fi
if /usr/bin/python3 -c 'import jwcrypto, pyasn1_modules.rfc8226, OpenSSL' 2>/dev/null; then
    S2="--impl python=/usr/bin/python3\tharness/adapters/python/adapter.py --expectations python=harness/expectations/python.yaml"
fi
if pkg-config --exists secsipid-1 2>/dev/null && make -s -C harness/adapters/secsipidx >/dev/null 2>&1; then
    S2="$S2 --impl secsipidx=build/adapters/secsipidx/ssx-adapter --expectations secsipidx=harness/expectations/secsipidx.yaml"
fi
echo "event-rehearsal: stirmls on tcp://127.0.0.1:$PORT; session 1:${S1:+ node}; session 2: $(echo "$S2" | grep -o 'impl [a-z]*' | cut -c6- | tr '\n' ' ')"

session() { # NAME IMPLS...: one run, recording into OUT/recorded; exit 0 or 1 is a finished run
    name=$1
    shift
    # shellcheck disable=SC2086 # the implementation options are split on spaces, tabs are kept
    serve
    $H run $REF "$@" $FILTERS --jobs 1 --out "$OUT/$name" --record "$OUT/recorded" >"$OUT/$name.txt" 2>&1
    st=$?
    if [ $st -gt 1 ]; then echo "event-rehearsal: $name exited $st" >&2; cat "$OUT/$name.txt" >&2; exit 1; fi
    tail -1 "$OUT/$name.txt"
}
# $S1/$S2 carry tabs inside a command (node<TAB>adapter.mjs): the harness splits a command on any
# white space, while the shell splits these options on spaces only.
IFS=' '
# shellcheck disable=SC2086
session session1 $(printf '%b' "$S1")
# shellcheck disable=SC2086
session session2 $(printf '%b' "$S2")
unset IFS

$H merge --out "$OUT/merged" "$OUT/session1" "$OUT/session2" >"$OUT/merge.txt" 2>&1
st=$?
if [ $st -gt 1 ]; then echo "event-rehearsal: merge exited $st" >&2; cat "$OUT/merge.txt" >&2; exit 1; fi
tail -1 "$OUT/merge.txt"
$H diff --markdown "$OUT/session1" "$OUT/merged" >"$OUT/diff.md"
[ $? -le 1 ] || { echo "event-rehearsal: diff failed" >&2; exit 1; }
head -3 "$OUT/diff.md" | tail -1

# The recorded family replays against the reference with the verdicts it gave at the event.
serve
$H run --impl "stirmls=tcp://127.0.0.1:$PORT" --vectors "$OUT/recorded" --out "$OUT/replay" >"$OUT/replay.txt" 2>&1
[ $? -le 1 ] || { echo "event-rehearsal: replay failed" >&2; cat "$OUT/replay.txt" >&2; exit 1; }
python3 harness/tests/replay_check.py "$OUT/recorded/recorded.json" "$OUT/replay/report.json" stirmls || exit 1
