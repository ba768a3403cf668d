#!/bin/sh
# SPDX-License-Identifier: MIT
# Overhead of the preload tracer (docs/performance.md, "Preload tracer"): the
# same programs plain, under `flight-agent run` (without and with -o) and
# under heaptrack, interleaved in one run so that all see the same load.
#   churn: heaptrack_churn (1 M malloc + 1 M free); its own loop time (it
#          prints it) and the whole command's wall time.
#   python: python3 building and dumping 100,000 dicts; the command's wall time.
# Prints the median of ROUNDS runs of each and its ratio to plain.
#
# Usage: tracer_overhead.sh FLIGHT_AGENT HEAPTRACK_CHURN [ROUNDS=5]
set -eu

AGENT=${1:?usage: tracer_overhead.sh FLIGHT_AGENT HEAPTRACK_CHURN [ROUNDS]}
CHURN=${2:?usage: tracer_overhead.sh FLIGHT_AGENT HEAPTRACK_CHURN [ROUNDS]}
ROUNDS=${3:-5}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
PY='import json; d = [dict(a=i, b=str(i)) for i in range(100000)]; print(len(json.dumps(d)))'

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# run NAME WORKLOAD COMMAND...: appends "loop_ms wall_ms" to $TMP/NAME.WORKLOAD
run() {
    name=$1; workload=$2; shift 2
    start=$(now_ms)
    "$@" > "$TMP/out" 2>&1 || { echo "failed: $*" >&2; cat "$TMP/out" >&2; exit 1; }
    end=$(now_ms)
    loop=$(sed -n 's/.*loop \([0-9.]*\) ms.*/\1/p' "$TMP/out" | head -n 1)
    echo "${loop:-0} $((end - start))" >> "$TMP/$name.$workload"
    rm -f "$TMP"/*.heaptrack.* "$TMP/rec.fmr"
}

for r in $(seq "$ROUNDS"); do
    for w in churn python; do
        if [ "$w" = churn ]; then set -- "$CHURN"; else set -- python3 -c "$PY"; fi
        run plain "$w" "$@"
        run flight "$w" "$AGENT" run --listen 127.0.0.1:0 -- "$@"
        run flight-o "$w" "$AGENT" run --listen 127.0.0.1:0 -o "$TMP/rec.fmr" -- "$@"
        run heaptrack "$w" heaptrack -o "$TMP/h.heaptrack" "$@"
    done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "rounds: $ROUNDS; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for w in churn python; do
    base_loop=$(cut -d' ' -f1 "$TMP/plain.$w" | median)
    base_wall=$(cut -d' ' -f2 "$TMP/plain.$w" | median)
    for name in plain flight flight-o heaptrack; do
        loop=$(cut -d' ' -f1 "$TMP/$name.$w" | median)
        wall=$(cut -d' ' -f2 "$TMP/$name.$w" | median)
        if [ "$w" = churn ]; then
            printf '%-7s %-10s loop %8.1f ms (%sx)   command %6.0f ms (%sx)\n' "$w" "$name" "$loop" \
                "$(ratio "$loop" "$base_loop")" "$wall" "$(ratio "$wall" "$base_wall")"
        else
            printf '%-7s %-10s command %6.0f ms (%sx)\n' "$w" "$name" "$wall" "$(ratio "$wall" "$base_wall")"
        fi
    done
done
