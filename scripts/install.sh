#!/usr/bin/env bash
# Installs pqcrypta-collector from a build: binaries, plugins, the plugin
# header and its pkg-config file, a commented default config, the migrations,
# the systemd units and the commands' help. Run as root for a real install;
# into a --destdir (packaging, CI) as anyone.
#
#   scripts/install.sh [--prefix /usr/local] [--destdir DIR] [--bin-dir DIR] [--sysconfdir /etc]
#   scripts/install.sh --uninstall [--prefix ...] [--destdir ...] [--purge]
#
# --bin-dir: where `swift build -c release` put the products (default: its
# --show-bin-path; this script does not build). Every installed path is listed
# in PREFIX/share/pqcrypta-collector/install-manifest, which --uninstall
# removes; the config (possibly edited) stays unless --purge.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
prefix=/usr/local destdir="" bindir="" sysconfdir=/etc uninstall=0 purge=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --destdir) destdir=${2:?--destdir needs a directory}; shift 2 ;;
    --bin-dir) bindir=${2:?--bin-dir needs a directory}; shift 2 ;;
    --sysconfdir) sysconfdir=${2:?--sysconfdir needs a directory}; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    --purge) purge=1; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 64 ;;
  esac
done
case "$prefix" in /*) ;; *) echo "install.sh: --prefix must be absolute, not '$prefix'" >&2; exit 64 ;; esac
root=${destdir%/}
share=$prefix/share/pqcrypta-collector
manifest=$root$share/install-manifest
plugindir=$prefix/lib/pqcrypta-collector/plugins
config=$sysconfdir/pqcrypta/collector.toml

if [ $uninstall = 1 ]; then
  [ -f "$manifest" ] || { echo "install.sh: nothing installed under $root$prefix (no $manifest)" >&2; exit 1; }
  while read -r path; do
    [ "$path" = "$config" ] && [ $purge = 0 ] && { echo "kept $root$path (--purge removes it)"; continue; }
    rm -f "$root$path"
  done <"$manifest"
  rm -f "$manifest"
  for d in "$root$plugindir" "$root$prefix/lib/pqcrypta-collector" "$root$prefix/include/pqcrypta-collector" \
           "$root$share/migrations" "$root$share" "$root$prefix/share/doc/pqcrypta-collector"; do
    rmdir "$d" 2>/dev/null || true
  done
  echo "uninstalled from $root$prefix"
  exit 0
fi

if [ -z "$bindir" ]; then bindir=$(cd "$here" && swift build -c release --show-bin-path); fi
[ -x "$bindir/pqcrypta-collector" ] || { echo "install.sh: no pqcrypta-collector in $bindir (build first: swift build -c release)" >&2; exit 1; }

# Root-owned when run as root: the daemon refuses plugins others can write.
owner=(); [ "$(id -u)" = 0 ] && owner=(-o root -g root)
installed=()
put() { # put MODE SOURCE TARGET (TARGET without the destdir)
  install -D -m "$1" "${owner[@]}" "$2" "$root$3"
  installed+=("$3")
}
subst() { # the installed paths instead of the defaults /usr/local and /etc
  sed -e "s#/usr/local#$prefix#g" -e "s#/etc/pqcrypta#$sysconfdir/pqcrypta#g" -e "s#@PLUGINDIR@#$plugindir#g" "$1"
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for exe in pqcrypta-collector pqcrypta-console pqcrypta-backtest; do
  [ -x "$bindir/$exe" ] && put 0755 "$bindir/$exe" "$prefix/bin/$exe"
done
for so in "$bindir"/lib*.so; do
  # Plugins are the libraries exporting the entry point (not SwiftPM's other products).
  grep -q pqc_plugin_entry "$so" 2>/dev/null && put 0644 "$so" "$plugindir/$(basename "$so")"
done
install -d -m 0755 "$root$plugindir"
put 0644 "$here/Sources/PluginABI/include/pqcrypta_plugin.h" "$prefix/include/pqcrypta-collector/pqcrypta_plugin.h"
put 0644 "$here/Sources/PluginTestKit/include/pqcrypta_plugin_testkit.h" "$prefix/include/pqcrypta-collector/pqcrypta_plugin_testkit.h"
version=$("$bindir/pqcrypta-collector" version | awk '{print $2}')
cat >"$tmp/pqcrypta-plugin.pc" <<PC
prefix=$prefix
includedir=\${prefix}/include
plugindir=\${prefix}/lib/pqcrypta-collector/plugins

Name: pqcrypta-plugin
Description: C ABI for pqcrypta-collector plugins (header only; link nothing)
Version: $version
Cflags: -I\${includedir}/pqcrypta-collector
PC
put 0644 "$tmp/pqcrypta-plugin.pc" "$prefix/lib/pkgconfig/pqcrypta-plugin.pc"
for m in "$here"/migrations/*.sql; do put 0644 "$m" "$share/migrations/$(basename "$m")"; done
for unit in "$here"/Examples/systemd/*.service; do
  subst "$unit" >"$tmp/$(basename "$unit")"
  put 0644 "$tmp/$(basename "$unit")" "$prefix/lib/systemd/system/$(basename "$unit")"
done
for ex in hello_parser.c hello_parser_test.c; do
  put 0644 "$here/Examples/hello-parser/$ex" "$prefix/share/doc/pqcrypta-collector/examples/$ex"
done
for doc in README.md docs/writing-a-plugin.md; do put 0644 "$here/$doc" "$prefix/share/doc/pqcrypta-collector/$(basename "$doc")"; done
# Man-style help: every command's --help, in one page.
{
  "$bindir/pqcrypta-collector" --help
  for cmd in run check-config migrate plugins "plugin check" parse status version; do
    printf '\n\n== pqcrypta-collector %s ==\n\n' "$cmd"
    # shellcheck disable=SC2086
    "$bindir/pqcrypta-collector" $cmd --help
  done
} >"$tmp/commands.txt"
put 0644 "$tmp/commands.txt" "$prefix/share/doc/pqcrypta-collector/commands.txt"
# The config: commented defaults, readable by the service's group only; an existing one is kept.
if [ -e "$root$config" ]; then
  subst "$here/Examples/config/collector.toml" >"$root$config.default"
  chmod 0640 "$root$config.default"
  installed+=("$config.default")
  echo "kept $root$config; the defaults are in $root$config.default"
else
  subst "$here/Examples/config/collector.toml" >"$tmp/collector.toml"
  put 0640 "$tmp/collector.toml" "$config"
  [ "$(id -u)" = 0 ] && getent group pqcrypta >/dev/null && chgrp pqcrypta "$root$config"
fi
mkdir -p "$(dirname "$manifest")"
printf '%s\n' "${installed[@]}" >"$manifest"
echo "installed ${#installed[@]} files under $root$prefix (config: $root$config)"
echo "third-party plugins: cc \$(pkg-config --cflags pqcrypta-plugin) -shared -fPIC my.c -o my.so  (PKG_CONFIG_PATH=$root$prefix/lib/pkgconfig)"
