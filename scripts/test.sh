#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, builds
# the daemon and its plugins, starts a throwaway PostgreSQL, runs `swift test`
# against it, and stops it again.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo"
bash scripts/setup.sh
swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
swift build --build-tests >/dev/null  # fail here, loudly, if the build failed
# The README's run command builds in release mode: a release-only break fails here.
swift build -c release 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' || true
swift build -c release >/dev/null
dir=$(pg_dir pg-test)
eval "$(bash scripts/pg-local.sh start "$dir")"
trap 'bash scripts/pg-local.sh stop "$dir"' EXIT
export PQC_TEST_REQUIRE_DB=1 PQC_TEST_BIN_DIR="$(swift build --show-bin-path)"
# XCTest and Swift Testing both run; the last line sums them up.
set +e
swift test --skip-build "$@" 2>&1 | tee .local/test.log
status=${PIPESTATUS[0]}
set -e
xc=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with" .local/test.log | tail -1)
xc_total=$(echo "$xc" | sed -nE 's/.*Executed ([0-9]+) tests?.*/\1/p'); xc_failed=$(echo "$xc" | sed -nE 's/.*with ([0-9]+) failures?.*/\1/p')
xc_skipped=$(echo "$xc" | sed -nE 's/.*with ([0-9]+) tests? skipped.*/\1/p')
st=$(grep -E "Test run with [0-9]+ tests?" .local/test.log | tail -1)
st_total=$(echo "$st" | sed -nE 's/.*Test run with ([0-9]+) tests?.*/\1/p')
st_failed=$(grep -cE "^✘ Test .*(failed|recorded)" .local/test.log || true)
total=$(( ${xc_total:-0} + ${st_total:-0} )); failed=$(( ${xc_failed:-0} + ${st_failed:-0} )); skipped=${xc_skipped:-0}
echo "tests: $(( total - failed - skipped )) passed, $failed failed, $skipped skipped"
exit "$status"
