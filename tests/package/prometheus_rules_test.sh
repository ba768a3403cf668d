#!/bin/bash
# SPDX-License-Identifier: MIT
# The shipped alert rules (packaging/prometheus): promtool checks them and runs
# their unit tests; then a copy with the critical-pressure rule's `for` changed
# must fail those tests, so they do pin what the rules say.
# Usage: prometheus_rules_test.sh PACKAGING_PROMETHEUS_DIR
set -euo pipefail
dir=$1
if ! command -v promtool >/dev/null; then
  echo "promtool not found: install Debian's prometheus package (packaging/debian-build-deps.txt)" >&2
  exit 1
fi
cd "$dir"
promtool check rules flight-memory.rules.yml
promtool test rules flight-memory.rules.test.yml

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp flight-memory.rules.yml flight-memory.rules.test.yml "$scratch/"
sed -i '0,/for: 1m/s//for: 3m/' "$scratch/flight-memory.rules.yml"
if (cd "$scratch" && promtool test rules flight-memory.rules.test.yml) >"$scratch/out" 2>&1; then
  echo "the rule tests passed with the critical-pressure alert waiting 3 minutes instead of 1" >&2
  exit 1
fi
grep -q FlightMemoryPressureCritical "$scratch/out"
echo "OK: rules checked, their tests pass, and a changed rule fails them"
