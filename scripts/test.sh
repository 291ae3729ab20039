#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, builds
# the daemon and its plugins, then runs the tests on a matrix of PostgreSQL
# versions, each in a throwaway cluster (scripts/pg-local.sh) stopped after its run:
#   - the full suite once, on Debian's PostgreSQL (15);
#   - the database-backed suites ($matrix_filters below) on each other version
#     in PQC_PG_VERSIONS (comma list, default 14,15,16,17,18; versions other
#     than Debian's come from PyPI wheels, scripts/pg-versions.sh).
# PQC_PG_VERSIONS=15 is the quick local run (no matrix). The last line sums every
# run: `tests: N passed, N failed, N skipped`; the exit status is non-zero if any
# run failed. Each version also writes its tier table (VersionMatrixTests) under
# .local/pg-matrix/, rendered by scripts/pg-matrix-doc.sh (docs/postgresql-versions.md).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo"
export PQC_PG_VERSIONS=${PQC_PG_VERSIONS:-14,15,16,17,18}
bash scripts/setup.sh
swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
swift build --build-tests >/dev/null  # fail here, loudly, if the build failed
# The README's run command builds in release mode: a release-only break fails here.
swift build -c release 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
swift build -c release >/dev/null
export PQC_TEST_REQUIRE_DB=1 PQC_TEST_BIN_DIR="$(swift build --show-bin-path)"
export PQC_MATRIX_DIR="$repo/.local/pg-matrix"
rm -rf "$PQC_MATRIX_DIR"; mkdir -p "$PQC_MATRIX_DIR"

# What runs on the extra versions: every suite whose SQL meets the server
# (migrations, writer, rollups, retention and partitions, findings, log ingestion,
# the daemon against a real database, PGStats, AppMetrics' rows, the health
# rules' catalog SQL). Left to the
# default version only: parsers and pure logic (no SQL), and OutageTests (it
# stops and restarts clusters: a minute of waiting, no version-specific SQL).
matrix_filters=(
  --filter 'HostTests\.(MigratorTests|BatchWriterTests|RollupTests|StorageJobsTests|FindingStoreTests|LogIngesterTests|LogSourcesIngestTests|LogCrashTests|DaemonTests)'
  --filter 'PGStatsTests\.'
  --filter 'AppMetricsTests\.AppMetricsPluginTests'
  --filter 'IntelligenceTests\.RulesDBTests'
)

passed=0; failed=0; skipped=0; status=0
printf 'version\trelease\tsuites\tpassed\tfailed\tskipped\tseconds\n' >"$PQC_MATRIX_DIR/runs.tsv"

# run_tests VERSION BINDIR SUITES [swift test arguments...]: one cluster, one `swift test`.
run_tests() {
  local v=$1 bin=$2 suites=$3; shift 3
  local dir log=".local/test-pg$v.log" started rc
  dir=$(pg_dir "pg-test-$v")
  echo "=== PostgreSQL $v ($suites): $bin" >&2
  (
    exports=$(bash scripts/pg-local.sh start "$dir" "$bin") || exit 1
    eval "$exports"
    trap 'bash scripts/pg-local.sh stop "$dir" "$bin"' EXIT
    swift test --skip-build "$@" 2>&1 | tee "$log"
    exit "${PIPESTATUS[0]}"
  ) && rc=0 || rc=$?
  # XCTest and Swift Testing both run; add up both.
  local xc xc_total xc_failed xc_skipped st st_total st_failed total f s
  xc=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with" "$log" | tail -1)
  xc_total=$(echo "$xc" | sed -nE 's/.*Executed ([0-9]+) tests?.*/\1/p'); xc_failed=$(echo "$xc" | sed -nE 's/.*with ([0-9]+) failures?.*/\1/p')
  xc_skipped=$(echo "$xc" | sed -nE 's/.*with ([0-9]+) tests? skipped.*/\1/p')
  st=$(grep -E "Test run with [0-9]+ tests?" "$log" | tail -1)
  st_total=$(echo "$st" | sed -nE 's/.*Test run with ([0-9]+) tests?.*/\1/p')
  st_failed=$(grep -cE "^✘ Test .*(failed|recorded)" "$log" || true)
  total=$(( ${xc_total:-0} + ${st_total:-0} )); f=$(( ${xc_failed:-0} + ${st_failed:-0} )); s=${xc_skipped:-0}
  # A run that failed without a counted failure (crash, cluster did not start) counts as one.
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  passed=$(( passed + total - (${xc_failed:-0} + ${st_failed:-0}) - s )); failed=$(( failed + f )); skipped=$(( skipped + s ))
  [ "$rc" -eq 0 ] || status=1
  local release; release=$("$bin/postgres" -V | sed -E 's/^[^0-9]*([0-9][0-9.]*).*/\1/')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$v" "$release" "$suites" "$(( total - (${xc_failed:-0} + ${st_failed:-0}) - s ))" "$f" "$s" "$SECONDS" \
    >>"$PQC_MATRIX_DIR/runs.tsv"
  echo "=== PostgreSQL $v: $(( total - (${xc_failed:-0} + ${st_failed:-0}) - s )) passed, $f failed, $s skipped (exit $rc)" >&2
}

default_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
default_v=$(basename "$(dirname "$default_bin")")
SECONDS=0
run_tests "$default_v" "$default_bin" all "$@"
missing=()
for v in ${PQC_PG_VERSIONS//,/ }; do
  [ "$v" = "$default_v" ] && continue
  if ! bin=$(bash scripts/pg-versions.sh bin "$v"); then missing+=("$v"); continue; fi
  SECONDS=0
  run_tests "$v" "$bin" database "${matrix_filters[@]}"
done
[ ${#missing[@]} -eq 0 ] || echo "test: PostgreSQL ${missing[*]} not installed (scripts/pg-versions.sh install): left out of this run" >&2
bash scripts/pg-matrix-doc.sh "$PQC_MATRIX_DIR/postgresql-versions.md" >/dev/null 2>&1 &&
  { cmp -s "$PQC_MATRIX_DIR/postgresql-versions.md" docs/postgresql-versions.md ||
    echo "test: the version matrix differs from docs/postgresql-versions.md (scripts/pg-matrix-doc.sh updates it after a full run)" >&2; } || true
# Every fuzz target for PQC_FUZZ_RUNS inputs (default 2000, a fixed seed; 0 skips)
# after the tests (scripts/fuzz.sh, docs/fuzzing.md): about a minute from a fresh
# clone, build included. A finding fails the run.
if [ "${PQC_FUZZ_RUNS:-2000}" -gt 0 ]; then
  bash scripts/fuzz.sh --runs "${PQC_FUZZ_RUNS:-2000}" || { status=1; failed=$(( failed + 1 )); }
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
