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
dir=$(pg_dir pg-test)
eval "$(bash scripts/pg-local.sh start "$dir")"
trap 'bash scripts/pg-local.sh stop "$dir"' EXIT
export PQC_TEST_REQUIRE_DB=1 PQC_TEST_BIN_DIR="$(swift build --show-bin-path)"
# XCTest only: a Swift Testing run with no tests would print a misleading last line.
if grep -rlq '^import Testing' Tests; then echo "test.sh: Swift Testing tests found; this suite is XCTest (see docs)" >&2; exit 1; fi
swift test --skip-build --disable-swift-testing "$@" 2>&1 | tee .local/test.log
status=${PIPESTATUS[0]}
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with [0-9]+ failures?" .local/test.log | tail -1)
total=$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/'); failed=$(echo "$summary" | sed -E 's/.*with ([0-9]+) failures?.*/\1/')
skipped=$(grep -cE "Test Case .* skipped" .local/test.log || true)
echo "tests: $(( ${total:-0} - ${failed:-0} - skipped )) passed, ${failed:-0} failed, $skipped skipped"
exit "$status"
