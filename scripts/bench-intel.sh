#!/usr/bin/env bash
# The intel-run benchmark (docs/benchmarks.md#intel-run): builds in release mode,
# starts a throwaway PostgreSQL cluster (pg-bench, on a free port) and runs the
# IntelBench executable (Benchmarks/IntelBench): for 1 host and for 20 hosts in
# one scratch database, 14 days of raw rows at the default intervals and 30
# days of hourly rows per host, then the Intelligence plugin's analyzers
# (anomaly, slo) for the first host: the first run and 5 steady runs, with the
# EXPLAIN of the slowest statement; then, with 1 M log rows of the first host
# in the last 5 minutes, one run of each log analyzer (patterns, security,
# error spikes). Extra arguments go to IntelBench (e.g. --hosts 1,5,20
# --raw-days 3 --log-rows 0). Takes about 10 minutes on 2 cores (the 20 hosts'
# 26 M raw rows). The output is also written to .local/bench-intel.txt.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo"
bash scripts/setup.sh
swift build -c release --product IntelBench 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
swift build -c release --product IntelBench >/dev/null
bin=$(swift build -c release --show-bin-path)

dir=$(pg_dir pg-bench)
eval "$(bash scripts/pg-local.sh start "$dir")"
work=$(mktemp -d /tmp/pqc-bench.XXXXXX)
trap 'bash scripts/pg-local.sh stop "$dir"; rm -rf "$work"' EXIT
bench_config "$work/bench.toml"

out=.local/bench-intel.txt
mkdir -p .local
{
  echo "# bench-intel $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  "$bin/IntelBench" --config "$work/bench.toml" --log-rows 1000000 --rules-tables 1000 "$@"
} 2>&1 | tee "$out"
