#!/usr/bin/env bash
# Plugin isolation benchmark (docs/benchmarks.md, "Plugin isolation"): the
# LogSources syslog parser in process against the same parser in a plugin
# runner, through the daemon's own code (LogSource, LineBatch, RunnerClient)
# up to the COPY bytes; no database. LINES (default 500000) syslog lines built
# from the real sample ../shared/data/logs/loghub/Linux_2k.log when present.
# Prints lines/s of each and the ratio (target >= 0.50).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo"
swift build -c release --product pqcrypta-collector >/dev/null
swift build -c release --product LogSources >/dev/null
swift build -c release --product IsolationBench >/dev/null
bin=$(swift build -c release --show-bin-path)
sample=../shared/data/logs/loghub/Linux_2k.log
input=()
if [ -f "$sample" ]; then input=(--input "$sample"); fi
"$bin/IsolationBench" --plugin "$bin/libLogSources.so" --parser syslog --collector "$bin/pqcrypta-collector" \
  --lines "${LINES:-500000}" "${input[@]}"
