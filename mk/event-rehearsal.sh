#!/bin/sh
# event-rehearsal.sh: docs/interop-event.md rehearsed on this machine, the bundled peers as the
# teams. Every team is a service on its own loopback port, reached as tcp://: the reference with
# stirmls serve --listen, the stdio peers behind stirmls-harness bridge. Two runs (two "sessions" of the day), each recording
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

# Every team is a TCP service on its own loopback port, as at an event: the reference with
# `stirmls serve --listen` (connections at once; a client's shutdown closes its connection only),
# each stdio peer behind `stirmls-harness bridge` (one adapter process per connection). The
# services start once and serve every run of the day with two workers (--jobs 2).
freeport() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PIDS=""
# At the end every service gets SIGTERM (it finishes what is in flight), and SIGKILL if it has not
# stopped within 5 s, so that no service outlives the rehearsal.
stop_services() {
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    for p in $PIDS; do
        i=0
        while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        kill -9 "$p" 2>/dev/null && echo "event-rehearsal: service $p did not stop within 5 s of SIGTERM: killed" >&2
    done
    return 0
}
trap stop_services EXIT INT TERM
wait_port() { # PORT NAME
    i=0
    until /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 1).close()" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 100 ]; then echo "event-rehearsal: $2 did not listen on 127.0.0.1:$1" >&2; exit 1; fi
        sleep 0.1
    done
}
team() { # NAME COMMAND...: start the team's service; sets IMPL to its --impl and --expectations
    name=$1
    shift
    port=$(freeport)
    if [ "$name" = stirmls ]; then
        "$O/stirmls" serve --listen "127.0.0.1:$port" >/dev/null 2>>"$OUT/$name-service.log" &
    else
        "$H" bridge --listen "127.0.0.1:$port" -- "$@" >/dev/null 2>>"$OUT/$name-service.log" &
    fi
    PIDS="$PIDS $!"
    wait_port "$port" "$name"
    IMPL="--impl $name=tcp://127.0.0.1:$port --expectations $name=harness/expectations/$name.yaml"
}
team stirmls
REF=$IMPL

# Session 1: the reference and the node team; session 2: the reference, python and secsipidx.
S1="" S2=""
if sh mk/node-peer.sh >/dev/null; then
    team node node harness/adapters/node/adapter.mjs
    S1=$IMPL
fi
if /usr/bin/python3 -c 'import jwcrypto, pyasn1_modules.rfc8226, OpenSSL' 2>/dev/null; then
    team python /usr/bin/python3 harness/adapters/python/adapter.py
    S2=$IMPL
fi
if pkg-config --exists secsipid-1 2>/dev/null && make -s -C harness/adapters/secsipidx >/dev/null 2>&1; then
    team secsipidx build/adapters/secsipidx/ssx-adapter
    S2="$S2 $IMPL"
fi
echo "event-rehearsal: every team on its own loopback port; session 1: stirmls${S1:+ node}; session 2: stirmls $(echo "$S2" | grep -o 'impl [a-z]*' | cut -c6- | tr '\n' ' ')"

session() { # NAME IMPLS...: one run, recording into OUT/recorded; exit 0 or 1 is a finished run
    name=$1
    shift
    # shellcheck disable=SC2086 # the implementation options are split on spaces
    $H run $REF "$@" $FILTERS --jobs 2 --out "$OUT/$name" --record "$OUT/recorded" >"$OUT/$name.txt" 2>&1
    st=$?
    if [ $st -gt 1 ]; then echo "event-rehearsal: $name exited $st" >&2; cat "$OUT/$name.txt" >&2; exit 1; fi
    tail -1 "$OUT/$name.txt"
}
# shellcheck disable=SC2086
session session1 $S1
# shellcheck disable=SC2086
session session2 $S2

$H merge --out "$OUT/merged" "$OUT/session1" "$OUT/session2" >"$OUT/merge.txt" 2>&1
st=$?
if [ $st -gt 1 ]; then echo "event-rehearsal: merge exited $st" >&2; cat "$OUT/merge.txt" >&2; exit 1; fi
tail -1 "$OUT/merge.txt"
$H diff --markdown "$OUT/session1" "$OUT/merged" >"$OUT/diff.md"
[ $? -le 1 ] || { echo "event-rehearsal: diff failed" >&2; exit 1; }
head -3 "$OUT/diff.md" | tail -1

# The recorded family replays against the reference with the verdicts it gave at the event
# (the same service, still up after the sessions' shutdown requests).
$H run $(echo "$REF" | cut -d' ' -f1-2) --vectors "$OUT/recorded" --out "$OUT/replay" >"$OUT/replay.txt" 2>&1
[ $? -le 1 ] || { echo "event-rehearsal: replay failed" >&2; cat "$OUT/replay.txt" >&2; exit 1; }
python3 harness/tests/replay_check.py "$OUT/recorded/recorded.json" "$OUT/replay/report.json" stirmls || exit 1
