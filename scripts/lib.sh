# Shared by the scripts: where the throwaway cluster lives.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# A directory under the repo the 'postgres' user can reach; if the checkout sits
# under a private folder (e.g. /root), fall back to /tmp.
pg_dir() {
  local name=$1 dir="$repo/.local/$1"
  mkdir -p "$repo/.local"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$repo/.local"; then
    dir="/tmp/pqcrypta-collector-$(echo "$repo" | md5sum | cut -c1-8)/$name"
    mkdir -p "$(dirname "$dir")"; chmod 755 "$(dirname "$dir")"
  fi
  echo "$dir"
}

# bench_config FILE [DATABASE]: a collector config naming only the cluster that
# pg-local.sh started (PGHOST, PGPORT, PGUSER; DATABASE defaults to PGDATABASE),
# and no DB_* or COLLECTOR_CONFIG from the caller's shell, so a benchmark can
# never point at another database.
bench_config() {
  cat >"$1" <<TOML
[database]
host = "$PGHOST"
port = $PGPORT
name = "${2:-$PGDATABASE}"
user = "$PGUSER"
password = ""
sslmode = "disable"
TOML
  unset DB_HOST DB_PORT DB_NAME DB_USER DB_PASS DB_PASSWORD DB_SSLMODE COLLECTOR_CONFIG
}

# bench_cluster: starts the benchmarks' throwaway cluster (pg-bench; PGHOST,
# PGPORT, ... exported) and makes a scratch directory $work; at exit the
# process $pid (when the caller set one) is stopped, then the cluster, and
# $work removed.
bench_cluster() {
  dir=$(pg_dir pg-bench)
  eval "$(bash scripts/pg-local.sh start "$dir")"
  work=$(mktemp -d /tmp/pqc-bench.XXXXXX)
  chmod 755 "$work"
  pid=""
  trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; bash scripts/pg-local.sh stop "$dir"; rm -rf "$work"' EXIT
}
