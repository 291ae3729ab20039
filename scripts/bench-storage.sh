#!/usr/bin/env bash
# The storage benchmark (docs/benchmarks.md): builds the collector in release
# mode, starts a throwaway PostgreSQL cluster (pg-bench, on a free port), and
# runs the StorageBench executable (Benchmarks/StorageBench) twice against a scratch database:
#   - collector.system_metrics_raw, METRIC_ROWS rows (default 200000)
#   - collector.log_entries, LOG_ROWS rows (default 1000000), then the
#     log_entries index alternatives and the intelligence queries.
# Each table is written through (a) the daemon's own path (metric rows: the
# BatchWriter flushing at batch_size 100 while a producer thread encodes; log
# rows: the log ingester's streamed COPY, 20000 rows per commit), (a') the
# BatchWriter flushing exactly 100 rows at a time, (b) multi-row INSERT ...
# VALUES in batches of 100 and (c) psql \copy of the same rows from a file; log
# rows also through (b*), the spec's INSERT into the spec's four btrees.
# ROWS=N sets both row counts; extra arguments go to both runs (e.g.
# --no-indexes, --query-runs 9, --log-indexes brin+3p). The cluster is stopped
# at the end; the output is also written to .local/bench-storage.txt.
# Takes about 5 minutes on a 2-core machine (plus the first release build).
# Target ratios (COPY >= 5x INSERT, >= 0.8x psql \copy) are reported as ok/MISSED
# in the output; the exit status is non-zero only if a run failed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo"
bash scripts/setup.sh
swift build -c release 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
swift build -c release >/dev/null  # fail here, loudly, if the build failed
bin=$(swift build -c release --show-bin-path)

metric_rows=${METRIC_ROWS:-${ROWS:-200000}}
log_rows=${LOG_ROWS:-${ROWS:-1000000}}

dir=$(pg_dir pg-bench)
eval "$(bash scripts/pg-local.sh start "$dir")"
# Durable like a production server (the test clusters run with fsync=off):
# per-statement commits, the spec's way, then pay for their WAL flushes.
"$PQC_PG_BIN/psql" -X -q -c "ALTER SYSTEM SET fsync = on" -c "SELECT pg_reload_conf()" >/dev/null
work=$(mktemp -d /tmp/pqc-bench.XXXXXX)
chmod 755 "$work"
trap 'bash scripts/pg-local.sh stop "$dir"; rm -rf "$work"' EXIT

bench_config "$work/bench.toml"

out=.local/bench-storage.txt
mkdir -p .local
started=$(date +%s)
{
  echo "# bench-storage $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  "$bin/StorageBench" --config "$work/bench.toml" --table metric --rows "$metric_rows" \
    --psql "$PQC_PG_BIN/psql" --work-dir "$work" "$@"
  "$bin/StorageBench" --config "$work/bench.toml" --table log --rows "$log_rows" \
    --psql "$PQC_PG_BIN/psql" --work-dir "$work" "$@"
  echo
  echo "# done in $(( $(date +%s) - started )) s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out"
