#!/usr/bin/env bash
# Every bench in turn, then the markdown report (bench/results/report.md). About 15 minutes.
# Prerequisites: `apt-get install -y wrk`; `pip install -r requirements.txt -r bench/requirements.txt`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
"$PY" -m bench.round_trips
"$PY" -m bench.webhook_load "$@"
"$PY" -m bench.latency
"$PY" -m bench.contention
"$PY" -m bench.slow_bank
"$PY" -m bench.report
