#!/usr/bin/env bash
# The long outage (issue 15, docs/architecture.md#outages-and-the-disk-spool):
# OutageTests.testSpoolCarriesRowsThroughAnOutageTwoKillsAndAStopWithTheDatabaseDown
# with an outage of OUTAGE_SECS (default 600) instead of the suite's 60: a
# daemon writing heartbeats every second, 40 kB/s of plugin rows and a log
# source; PostgreSQL stopped; a SIGKILL halfway through the outage and another
# during the replay; then a stop with the database down and a start with it up.
# It prints the log lines stored (all, once), the heartbeats inside the outage
# and the segments left when the replay was killed. The test starts and stops
# a cluster of its own; the one started here only satisfies the suite's check.
# Takes OUTAGE_SECS plus about a minute (plus the first debug build).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo"
bash scripts/setup.sh
swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
dir=$(pg_dir pg-outage)
eval "$(bash scripts/pg-local.sh start "$dir")"
trap 'bash scripts/pg-local.sh stop "$dir"' EXIT
export PQC_TEST_REQUIRE_DB=1 PQC_TEST_BIN_DIR="$(swift build --show-bin-path)" PQC_OUTAGE_SECS=${OUTAGE_SECS:-600}
swift test --skip-build --filter 'HostTests.OutageTests/testSpoolCarriesRowsThroughAnOutageTwoKillsAndAStopWithTheDatabaseDown' 2>&1 \
  | grep -E '^spool:|error|passed|failed'
