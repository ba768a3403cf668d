#!/bin/sh
# SPDX-License-Identifier: MIT
# The v8 source's cost to its target (issue #18, "never harm the target"): the
# lateness of a node program's setInterval loop (tests/data/v8/jitter.js) with
# no client on its inspector port, then with `flight-agent serve --source
# v8:...` sampling it every INTERVAL ms, ROUNDS times each, interleaved.
#   sh tests/benchmarks/v8_jitter.sh FLIGHT_AGENT [SECONDS] [ROUNDS] [INTERVAL_MS[/SAMPLING_BYTES]...]
# INTERVAL_MS/SAMPLING_BYTES passes --v8-sampling SAMPLING_BYTES (0: no
# allocation records); without it the agent's default (32768) applies.
# One line per run: the mode, jitter.js's JSON (ms) and, with the agent, the
# number of messages it published (samples + session start/end + markers).
set -eu
AGENT=$1
SECS=${2:-20}
ROUNDS=${3:-3}
shift $(( $# < 3 ? $# : 3 ))
INTERVALS=${*:-250}
JS=$(cd "$(dirname "$0")/../data/v8" && pwd)/jitter.js
TMP=$(mktemp -d)
trap 'kill $NODE_PID $AGENT_PID 2>/dev/null || true; rm -rf "$TMP"' EXIT INT TERM
NODE_PID=
AGENT_PID=

run() { # $1: "none", an interval in ms, or ms/sampling-bytes
    : > "$TMP/err"
    DURATION_MS=$((SECS * 1000)) node --inspect=127.0.0.1:0 "$JS" > "$TMP/out" 2> "$TMP/err" &
    NODE_PID=$!
    PORT=
    while [ -z "$PORT" ]; do
        PORT=$(sed -n 's|^Debugger listening on ws://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$TMP/err")
        kill -0 $NODE_PID 2>/dev/null || { cat "$TMP/err" >&2; exit 1; }
        [ -n "$PORT" ] || sleep 0.05   # polling node's stderr for its port line
    done
    if [ "$1" != none ]; then
        SAMPLING=
        case $1 in */*) SAMPLING="--v8-sampling ${1#*/}" ;; esac
        # shellcheck disable=SC2086 # SAMPLING is two words or none
        "$AGENT" serve --listen 127.0.0.1:0 --interval "${1%/*}" $SAMPLING --source "v8:127.0.0.1:$PORT" > /dev/null 2> "$TMP/agent.err" &
        AGENT_PID=$!
    fi
    wait $NODE_PID
    PUBLISHED=
    if [ -n "$AGENT_PID" ]; then
        wait $AGENT_PID || true
        AGENT_PID=
        PUBLISHED=" agent: $(sed -n 's/.*stopped (\([0-9]*\) messages published.*/\1/p' "$TMP/agent.err") messages"
    fi
    echo "$1 $(cat "$TMP/out")$PUBLISHED"
}

for r in $(seq "$ROUNDS"); do
    run none
    for i in $INTERVALS; do run "$i"; done
done
