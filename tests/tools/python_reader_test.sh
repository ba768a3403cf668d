#!/bin/sh
# SPDX-License-Identifier: MIT
# The second reader agrees with the product: a generated format-2 recording
# (two sessions' worth of allocations, frees and markers) read by
# read_recording.py gives the session figures `report --format json` gives;
# so does a recording `flight-agent run -o` made of /bin/sh.
# Usage: python_reader_test.sh FLIGHT_AGENT FLIGHT_INSPECTOR READ_RECORDING_PY
set -eu
agent=$1 inspector=$2 reader=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$agent" generate --platform psp --events 50000 --seed 7 -o "$dir/psp.fmr" --quiet
head -c 8 "$dir/psp.fmr" | grep -q FMR2
QT_QPA_PLATFORM=offscreen "$inspector" report "$dir/psp.fmr" --format json -o "$dir/report.json"
# Debian's python3 (python3-zstandard is a Debian package), whatever python3 PATH finds first
/usr/bin/python3 "$reader" "$dir/psp.fmr" --compare "$dir/report.json"
# A traced program's recording: its allocations' custom purpose
# (`unclassified`) in format 2's columns, as docs/recordings.md says.
"$agent" run --listen 127.0.0.1:0 -o "$dir/traced.fmr" -- /bin/sh -c 'ls / > /dev/null; echo traced' > /dev/null 2>&1
QT_QPA_PLATFORM=offscreen "$inspector" report "$dir/traced.fmr" --format json -o "$dir/traced.json"
/usr/bin/python3 "$reader" "$dir/traced.fmr" --compare "$dir/traced.json"
