#!/usr/bin/env bash
# Runs the collector on an embedded default: installs what is missing, builds
# in release mode, starts a throwaway PostgreSQL under .local/ (on a free port),
# writes .local/collector.toml pointing at it and at the built plugins, and
# runs the daemon in the foreground (Ctrl-C stops it; the cluster keeps its
# data for the next run; `scripts/pg-local.sh stop .local/pg` stops it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo"
bash scripts/setup.sh
swift build -c release
bin=$(swift build -c release --show-bin-path)
dir=$(pg_dir pg)
eval "$(bash scripts/pg-local.sh start "$dir")"
mkdir -p .local/state
cat >.local/collector.toml <<TOML
# Written by scripts/run-local.sh for the throwaway cluster in $dir.
[database]
host = "127.0.0.1"
port = $PGPORT
name = "collector"
user = "postgres"
password = ""

[collector]
processes = ["postgres", "pqcrypta-collector", "sshd", "cron"]
state_dir = "$repo/.local/state"

[plugins]
dir = "$bin"

# The 'postgresql' source reads the throwaway cluster's own log.
[[logs.sources]]
name = "postgresql"
path = "$PQC_PG_LOG"
TOML
echo "collector: database on 127.0.0.1:$PGPORT (psql -h 127.0.0.1 -p $PGPORT -U postgres collector)" >&2
exec "$bin/pqcrypta-collector" run --config .local/collector.toml
