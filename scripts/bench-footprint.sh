#!/usr/bin/env bash
# The daemon's footprint (docs/benchmarks.md#daemon-footprint): RSS and CPU of
# the release daemon with every bundled plugin at the default intervals, logs
# off, against a throwaway cluster (pg-bench). With HISTORY=1 (the default) the
# database first gets the intel benchmark's history for the daemon's host (14
# days of raw rows at the default intervals, 30 days of hourly rows; IntelBench
# --keep), so the 5-minute intel runs (anomaly, slo) work on a full database.
#   DURATION  seconds to run (default 660: two intel runs and two pg_extended runs)
#   HISTORY   1 (default) or 0 (an empty database)
# Prints RSS every 30 s and, at the end, RSS after 45 s, the peak (VmHWM) and
# CPU time over the run; also written to .local/bench-footprint.txt.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo"
bash scripts/setup.sh
swift build -c release 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
swift build -c release >/dev/null
bin=$(swift build -c release --show-bin-path)
duration=${DURATION:-660}

bench_cluster
db=collector_footprint
bench_config "$work/admin.toml"
if [ "${HISTORY:-1}" = 1 ]; then
  swift build -c release --product IntelBench >/dev/null
  "$bin/IntelBench" --config "$work/admin.toml" --hosts 1 --runs 1 --keep --scratch-db $db >"$work/history.txt"
  sed -n 2,3p "$work/history.txt"
else
  "$PQC_PG_BIN/psql" -X -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
fi
cat >"$work/collector.toml" <<TOML
[database]
host = "$PGHOST"
port = $PGPORT
name = "$db"
user = "$PGUSER"
sslmode = "disable"
[collector]
hostname = "host01"
state_dir = "$work"
[logs]
enabled = false
[plugins]
dir = "$bin"
TOML
"$bin/pqcrypta-collector" migrate --config "$work/collector.toml" >/dev/null
out=.local/bench-footprint.txt
mkdir -p .local
{
  echo "# bench-footprint $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), history ${HISTORY:-1}, ${duration} s"
  "$bin/pqcrypta-collector" run --config "$work/collector.toml" 2>"$work/daemon.log" & pid=$!
  hz=$(getconf CLK_TCK)
  cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
  rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
  sleep 45
  rss45=$(rss)
  echo "t=45s RSS ${rss45} kB"
  t=45
  while [ $t -lt "$duration" ]; do
    sleep 30; t=$((t + 30))
    kill -0 $pid 2>/dev/null || { echo "the daemon exited"; cat "$work/daemon.log"; exit 1; }
    echo "t=${t}s RSS $(rss) kB"
  done
  ticks=$(cpu); hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
  # Where the CPU went: each thread (ticks are named after their job) by utime + stime.
  by_thread=$(for task in /proc/$pid/task/*; do
    awk -v hz="$hz" '{ name = $0; sub(/^[^(]*\(/, "", name); rest = name; sub(/\).*/, "", name)
      sub(/^.*\) /, "", rest); split(rest, f, " "); printf "%s\t%.0f\n", name, (f[12] + f[13]) * 1000 / hz }' "$task/stat"
  done | sort -t$'\t' -k2 -rn | head -8 | awk -F'\t' '{ printf "%s%s %s ms", (NR > 1 ? ", " : ""), $1, $2 }')
  runs=$("$PQC_PG_BIN/psql" -X -At -d $db -c "SELECT count(*) FROM collector.slo_tracking WHERE host = 'host01'")
  kill $pid; wait $pid 2>/dev/null || true; pid=""
  awk -v r45="$rss45" -v hwm="$hwm" -v ticks="$ticks" -v hz="$hz" -v d="$duration" -v runs="$runs" 'BEGIN {
    printf "RSS after 45 s: %.1f MB; peak (VmHWM): %.1f MB; CPU: %.0f ms over %d s = %.3f %% of one core (start-up included); slo_tracking rows written: %d\n",
      r45 / 1000, hwm / 1000, ticks * 1000 / hz, d, ticks / hz / d * 100, runs }'
  echo "CPU by thread: $by_thread"
  grep -c "" "$work/daemon.log" | xargs echo "daemon log lines:"
} 2>&1 | tee "$out"
