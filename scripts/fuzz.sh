#!/usr/bin/env bash
# libFuzzer over every parser a byte from outside reaches: the TOML parser and
# config loader, ByteKit's JSON reader/validator/object scanner, the journal
# cursor scanner, the COPY encoder, the AppMetrics bodies and each LogSources
# parser (Fuzz/PQCFuzz; docs/fuzzing.md).
#
#   scripts/fuzz.sh [SECONDS]          each target for SECONDS (default 60); e.g. 3600 for an hour each
#   scripts/fuzz.sh --runs N           each target for N inputs (the short fixed run CI uses)
#   scripts/fuzz.sh ... -- TARGET...   only these targets
#
# Builds PQCFuzz with -sanitize=fuzzer (debug: Swift's bounds checks on unsafe
# buffers stay on) into .build-fuzz, seeds each target from the real-log
# fixtures (Tests/*/Fixtures, ../shared/data/logs) and keeps what it learns in
# .build-fuzz/corpus/TARGET, so later runs start from there. A crash or broken
# invariant stops that target with its input in .build-fuzz/artifacts/; the
# script then exits 1. The last line sums executions per target.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo"

limit=(-max_total_time=60); label="60 s"
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    # A fixed seed: the same inputs on every run, so CI's short run cannot fail at random.
    --runs) limit=(-runs="$2" -seed=1); label="$2 runs"; shift 2 ;;
    --) shift; targets=("$@"); break ;;
    *[!0-9]*|'') echo "usage: scripts/fuzz.sh [SECONDS | --runs N] [-- TARGET...]" >&2; exit 64 ;;
    *) limit=(-max_total_time="$1"); label="$1 s"; shift ;;
  esac
done

scratch="$repo/.build-fuzz"; mkdir -p "$scratch"
if ! PQC_FUZZ=1 swift build --scratch-path "$scratch" --product PQCFuzz \
     -Xswiftc -sanitize=fuzzer >"$scratch/build.log" 2>&1; then
  grep -E 'error' "$scratch/build.log" >&2 || tail -20 "$scratch/build.log" >&2
  echo "fuzz: build failed (log: $scratch/build.log)" >&2; exit 1
fi
bin="$(PQC_FUZZ=1 swift build --scratch-path "$scratch" --show-bin-path)/PQCFuzz"
[ ${#targets[@]} -gt 0 ] || read -r -a targets <<<"$("$bin" 2>&1 | sed -n 's/^targets: //p')"

# Seeds: real inputs, cut into pieces of 20 lines so each mutation stays cheap.
fixtures="$repo/Tests/Fixtures/logs"
shared="$repo/../shared/data/logs"
seed_files() {
  case $1 in
    toml) ls "$repo"/Examples/*/*.toml 2>/dev/null; echo "$repo/Fuzz/Seeds/collector.toml" ;;
    json|app-metrics) ls "$repo"/Tests/AppMetricsTests/Fixtures/*.json; ls "$shared"/journald/*.json 2>/dev/null ;;
    journal-scanner|parser-journalctl) echo "$fixtures/journalctl-pqcrypta-api.json"; ls "$shared"/journald/*.json 2>/dev/null ;;
    copy) ls "$fixtures"/*.log ;;
    parser-postgresql) echo "$fixtures/postgresql-15.log"; ls "$shared"/pgbadger/*.log 2>/dev/null ;;
    parser-syslog) ls "$fixtures"/sshd-*.log "$fixtures"/netfilter-*.log "$fixtures"/syslog-*.log; ls "$shared"/loghub/*.log 2>/dev/null ;;
    parser-apache_error) echo "$fixtures/apache-2.4-error.log" ;;
    parser-simple_timestamp) echo "$fixtures/simple-timestamp.log" ;;
    parser-fail2ban) echo "$fixtures/fail2ban-1.0.2.log" ;;
    parser-certbot) echo "$fixtures/certbot-2.1.0-letsencrypt.log" ;;
  esac
}

status=0; summary=()
for target in "${targets[@]}"; do
  seeds="$scratch/seeds/$target" corpus="$scratch/corpus/$target"
  rm -rf "$seeds"; mkdir -p "$seeds" "$corpus" "$scratch/artifacts"
  while read -r file; do
    [ -f "$file" ] || continue
    case $target in
      toml|json|app-metrics) cp "$file" "$seeds/$(basename "$file")" ;;
      *) split -l 20 -a 4 "$file" "$seeds/$(basename "$file")." ;;
    esac
  done < <(seed_files "$target")
  log="$scratch/$target.log"
  # One input at most 64 KiB and 10 s; past 2 GB RSS is a finding too.
  if PQC_FUZZ_TARGET=$target "$bin" "${limit[@]}" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$scratch/artifacts/$target-" "$corpus" "$seeds" >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (see $log and $scratch/artifacts/)"; status=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  summary+=("$(printf '%-26s %10s executions %8s/s  %s' "$target" "${runs:-?}" "${secs:-?}" "$result")")
  echo "fuzz: ${summary[-1]}" >&2
done
printf '%s\n' "fuzz ($label each):" "${summary[@]}"
exit "$status"
