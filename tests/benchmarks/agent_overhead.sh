#!/bin/sh
# SPDX-License-Identifier: MIT
# CPU cost of `flight-agent serve --source process:PID` (docs/performance.md,
# "Live sessions"): the agent samples a real long-running child process every
# --interval ms (250); its CPU time (utime + stime of /proc/<agent>/stat) is
# read after a warm-up and again DURATION seconds later.
#   % of one core = cpu seconds / wall seconds x 100   (target: < 1 %)
#
# Usage: agent_overhead.sh FLIGHT_AGENT [DURATION_S=60] [INTERVAL_MS=250] [CLIENT]
#   CLIENT: optional path of live_throughput_benchmark; when given, a client
#   (LiveSession) stays connected for the whole measurement (`client` mode), so
#   the agent also encodes and sends every sample.
set -eu

AGENT=${1:?usage: agent_overhead.sh FLIGHT_AGENT [DURATION_S] [INTERVAL_MS] [CLIENT]}
DURATION=${2:-60}
INTERVAL=${3:-250}
CLIENT=${4:-}
WARMUP=2

TMP=$(mktemp -d)
SAMPLED=""
AGENT_PID=""
CLIENT_PID=""
cleanup() {
    for pid in $CLIENT_PID $AGENT_PID $SAMPLED; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

# The sampled process: python3 holding SAMPLED_MIB (env, default 64) MiB,
# touched, for 10 minutes; `sleep 600` when SAMPLED_MIB=0 or without python3.
# (The agent's cost per sample grows with the resident pages of the sampled
# process: the kernel walks its page tables to produce /proc/PID/smaps.)
MIB=${SAMPLED_MIB:-64}
if [ "$MIB" -gt 0 ] && command -v python3 >/dev/null 2>&1; then
    python3 -c "import time; b = bytearray($MIB << 20); time.sleep(600)" &
else
    sleep 600 &
fi
SAMPLED=$!
sleep 0.5

"$AGENT" serve --listen 127.0.0.1:0 --source "process:$SAMPLED" --interval "$INTERVAL" \
    >"$TMP/agent.out" 2>"$TMP/agent.err" &
AGENT_PID=$!

i=0
until grep -q '^listening on ' "$TMP/agent.out" 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -gt 100 ] || ! kill -0 "$AGENT_PID" 2>/dev/null; then
        echo "agent did not start:" >&2
        cat "$TMP/agent.err" >&2
        exit 1
    fi
    sleep 0.1
done
URL=$(sed -n 's/^listening on //p' "$TMP/agent.out")

if [ -n "$CLIENT" ]; then
    "$CLIENT" client --url "$URL" --seconds $((DURATION + WARMUP + 5)) >"$TMP/client.out" 2>&1 &
    CLIENT_PID=$!
fi

sleep "$WARMUP"

# utime + stime (clock ticks): fields 14 and 15, counted after the ")" of comm.
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
now_ns() { date +%s%N; }

TCK=$(getconf CLK_TCK)
c0=$(cpu_ticks "$AGENT_PID"); t0=$(now_ns)
sleep "$DURATION"
c1=$(cpu_ticks "$AGENT_PID"); t1=$(now_ns)
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$AGENT_PID/status")
srss=$(awk '/^VmRSS/ { print $2 }' "/proc/$SAMPLED/status")

awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v tck="$TCK" -v iv="$INTERVAL" \
    -v rss="$rss" -v srss="$srss" -v client="${CLIENT:+yes}" 'BEGIN {
    cpu = (c1 - c0) / tck; wall = (t1 - t0) / 1e9;
    printf "agent process:PID, interval %d ms, client connected: %s, sampled VmRSS %d KiB\n", iv, (client == "" ? "no" : client), srss;
    printf "wall %.2f s, agent cpu %.3f s (%d ticks of 1/%d s), samples ~%d\n", wall, cpu, c1 - c0, tck, wall * 1000 / iv;
    printf "agent cpu = %.3f %% of one core (target < 1 %%); per sample %.3f ms; agent VmRSS %d KiB\n",
           cpu / wall * 100, cpu * 1000 / (wall * 1000 / iv), rss;
}'
