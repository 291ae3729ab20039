#!/usr/bin/env bash
# The console's page benchmark (docs/console.md#tests-and-measurements): every
# page of a release pqcrypta-console timed over HTTP on a full database.
#   1. starts a throwaway cluster (pg-bench) and fills a database the way the
#      opt-in test ConsolePageBenchmark does (HistoryGenerator: 20 hosts, raw
#      rows for 14 days at one a minute, hourly rollups for 30 days, daily for a
#      year, LOG_ROWS log rows over the last week, default the issue's 10 M;
#      about 2 minutes), keeping it;
#   2. builds pqcrypta-console in release mode and serves that database;
#   3. fetches each page RUNS times (default 15) after a warm-up with curl and
#      prints the median and worst in milliseconds.
# Exit status 1 when a page's median is 200 ms or more (the issue's bound), 0
# otherwise. Output also in .local/bench-console.txt.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo"
bash scripts/setup.sh
runs=${RUNS:-15}
log_rows=${LOG_ROWS:-10000000}

swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
swift build -c release --product pqcrypta-console 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
swift build -c release --product pqcrypta-console >/dev/null  # fail here, loudly, if the build failed
bin=$(swift build -c release --show-bin-path)

bench_cluster

# The fill is the test's (one generator for tests and benchmark), run alone and kept.
PQC_TEST_BIN_DIR=$(swift build --show-bin-path) PQC_CONSOLE_BENCH=1 PQC_CONSOLE_BENCH_KEEP=1 PQC_CONSOLE_BENCH_FILL_ONLY=1 \
  PQC_CONSOLE_BENCH_LOG_ROWS=$log_rows swift test --skip-build --filter ConsoleTests.ConsolePageBenchmark >"$work/fill.txt" 2>&1 \
  || { cat "$work/fill.txt"; exit 2; }
db=$(sed -n 's/.*bench: kept database \([a-z0-9_]*\).*/\1/p' "$work/fill.txt" | tail -1)
[ -n "$db" ] || { cat "$work/fill.txt"; echo "no database kept" >&2; exit 2; }

bench_config "$work/console.toml" "$db"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin/pqcrypta-console" --config "$work/console.toml" --listen "127.0.0.1:$port" >"$work/console.log" 2>&1 &
pid=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/static/console.css" && break; sleep 0.2; done

week_ago=$(date -u -d '6 days ago' '+%Y-%m-%dT%H:%M')
pages=(
  / "/host/host-07?range=1h" "/host/host-07?range=24h" "/host/host-07?range=7d" "/host/host-07?range=30d" "/host/host-07?range=1y"
  /alerts "/alerts?status=all&q=cpu" /recommendations /slos /logs "/logs?level=error" "/logs?q=login"
  "/logs?host=host-03&source=auth" /health /metrics
  "/logs?from=$week_ago" "/logs?level=error&from=$week_ago" "/logs?q=login&from=$week_ago"
  "/logs?host=host-03&from=$week_ago" "/logs?q=no-such-text&from=$week_ago" "/logs?host=host-19&from=$week_ago"
)
out=.local/bench-console.txt
mkdir -p .local
{
  echo "# bench-console $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), release console"
  grep 'bench: filled' "$work/fill.txt" || true
  echo "| Page | median ms | worst ms |"
  echo "|---|---:|---:|"
  for page in "${pages[@]}"; do
    curl -s -o /dev/null "http://127.0.0.1:$port$page"
    times=$(for _ in $(seq "$runs"); do
      curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$port$page"
    done)
    if grep -qv '^200 ' <<<"$times"; then echo "error: $page answered $(grep -v '^200 ' <<<"$times" | head -1)"; fi
    read -r median worst < <(awk '{print $2 * 1000}' <<<"$times" | sort -n | awk '{v[NR] = $1} END {printf "%.1f %.1f\n", v[int(NR / 2) + 1], v[NR]}')
    echo "| \`$page\` | $median | $worst |"
  done
  echo "# load average $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out"
# A page that failed, or whose median is 200 ms or more, fails the run.
! grep -q '^error:' "$out" || exit 1
awk -F'|' '$3 + 0 >= 200 {bad = 1} END {exit bad}' "$out" || { echo "a page's median is 200 ms or more" >&2; exit 1; }
