#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for running and testing the collector.
#   scripts/pg-local.sh start DIR [BINDIR] -> creates (once) and starts a cluster in DIR on a free
#                                      port; prints shell exports (PGHOST, PGPORT, ...)
#   scripts/pg-local.sh stop DIR [BINDIR]
# BINDIR (or PQC_PG_BIN_DIR) is the server's bin directory: Debian's newest by
# default, or one that scripts/pg-versions.sh installed (`pg-versions.sh bin 18`).
# The same flags and settings work on PostgreSQL 14 to 18. pg_stat_statements is
# preloaded and created only where the build ships it (PQC_PG_STATEMENTS=1/0 says which).
# PostgreSQL refuses to run as root, so the server runs as the 'postgres' user.
# The server logs to DIR/postgresql.log with the spec's log_line_prefix, so the
# collector's 'postgresql' log source can read a real PostgreSQL log.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data directory}
# The server outlives this script: close every descriptor we inherited beyond
# stdio, or it would hold the caller's pipes (and test runners' wait sockets) open.
for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] 2>/dev/null && eval "exec $n>&-" 2>/dev/null || true; done
bin=${3:-${PQC_PG_BIN_DIR:-}}
# A cluster remembers the server it was made with (a data directory runs only under its own major version).
[ -n "$bin" ] || [ ! -s "$dir/bindir" ] || bin=$(cat "$dir/bindir")
[ -n "$bin" ] || bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ -x "$bin/postgres" ] || { echo "pg-local: no PostgreSQL server in $bin" >&2; exit 1; }
major=$("$bin/postgres" -V | sed -E 's/^[^0-9]*([0-9]+).*/\1/')
statements=0
[ -f "$("$bin/pg_config" --sharedir)/extension/pg_stat_statements.control" ] && statements=1
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

case "$cmd" in
start)
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; chmod 700 "$dir"; fi
  if [ -s "$dir/data/PG_VERSION" ] && [ "$(cat "$dir/data/PG_VERSION")" != "$major" ]; then
    echo "pg-local: $dir holds a PostgreSQL $(cat "$dir/data/PG_VERSION") cluster, not $major ($bin): use another DIR" >&2; exit 1
  fi
  if [ ! -s "$dir/data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.out" 2>&1 || { cat "$dir/initdb.out" >&2; exit 1; }
    echo "$bin" >"$dir/bindir"
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
$([ $statements = 1 ] && echo "shared_preload_libraries = 'pg_stat_statements'")
log_line_prefix = '%m [%p] %q%u@%d '
log_min_duration_statement = 1000
fsync = off
CONF
  fi
  port_file="$dir/port"
  if [ -s "$port_file" ] && as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    port=$(cat "$port_file")
  else
    port=$(free_port)
    echo "$port" >"$port_file"
    # The server must not inherit our stdout/stderr: a caller reading them to EOF would wait forever.
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -o "-p $port" -w -t 60 start >"$dir/pg_ctl.out" 2>&1 ||
      { cat "$dir/pg_ctl.out" >&2; tail -20 "$dir/postgresql.log" >&2; exit 1; }
  fi
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc "select 1 from pg_database where datname='collector'" | grep -q 1 ||
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "create database collector" >/dev/null
  [ $statements = 0 ] || "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d collector -qc "create extension if not exists pg_stat_statements" >/dev/null
  echo "export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=collector PQC_PG_DIR=$dir PQC_PG_BIN=$bin PQC_PG_LOG=$dir/postgresql.log PQC_PG_STATEMENTS=$statements PQC_PG_MAJOR=$major"
  ;;
stop)
  [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  ;;
*) echo "usage: $0 start|stop DIR [BINDIR]" >&2; exit 2 ;;
esac
