#!/usr/bin/env bash
# End-to-end log ingestion benchmark (docs/benchmarks.md): LINES syslog lines
# (default 500000, built from the real sample ../shared/data/logs/loghub/Linux_2k.log
# when present) are ingested by the daemon's own LogIngester with the LogSources
# syslog parser (parse + fingerprint + COPY + position commits), then the same
# parsed rows are exported and loaded again with `psql \copy` into the same
# table, which is the limit. Prints rows/s of each and the ratio (target >= 0.8).
# The schema is the bundled plugins' (INGEST_SCHEMA=core: the host's migrations only).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$repo"
bash scripts/setup.sh
swift build -c release >/dev/null
bin=$(swift build -c release --show-bin-path)
dir=$(pg_dir pg-bench)
eval "$(bash scripts/pg-local.sh start "$dir")"
# Durable like a production server (the test clusters run with fsync=off).
"$PQC_PG_BIN/psql" -X -q -c "ALTER SYSTEM SET fsync = on" -c "SELECT pg_reload_conf()" >/dev/null
trap 'bash scripts/pg-local.sh stop "$dir"' EXIT
work=$(mktemp -d); chmod 755 "$work"
lines=${LINES_TOTAL:-500000}
sample=../shared/data/logs/loghub/Linux_2k.log
python3 - "$work/input.log" "$lines" "$sample" <<'PY'
import os, sys, random
out, n, sample = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(7)
if os.path.exists(sample):
    base = [l.rstrip("\r\n") for l in open(sample, encoding="utf-8", errors="replace") if l.strip()]
else:
    base = ["Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4",
            "Jun 15 04:06:18 combo su(pam_unix)[21416]: session opened for user cyrus by (uid=0)",
            "Jul  1 09:00:55 calvisitor kernel: [ 1102.351256] usb 1-1: new high-speed USB device number 3 using ehci-pci"]
with open(out, "w") as f:
    for i in range(n):
        f.write(base[i % len(base)].replace("combo", "host%d" % (i % 17)) + " seq=%d\n" % i)
PY
cols="host, ts, source, level, component, message, context, fingerprint"
db=collector_bench_ingest
echo "input: $lines lines, $(du -h "$work/input.log" | cut -f1)"
DB_HOST=127.0.0.1 DB_PORT=$PGPORT DB_USER=postgres DB_PASS= "$bin/IngestBench" --config /dev/null \
  --file "$work/input.log" --parser syslog --plugin "$bin/libLogSources.so" --scratch-db $db ${INGEST_SCHEMA:+--schema $INGEST_SCHEMA} | tee "$work/ingest.txt"
psql -d $db -qc "\copy (SELECT $cols FROM collector.log_entries) TO '$work/rows.copy'"
psql -d $db -qc "TRUNCATE collector.log_entries" -c "CHECKPOINT"
start=$(date +%s.%N)
psql -d $db -qc "\copy collector.log_entries ($cols) FROM '$work/rows.copy'"
end=$(date +%s.%N)
python3 - "$work/ingest.txt" "$lines" "$start" "$end" <<'PY'
import re, sys
ingest = float(re.search(r": (\d+) rows/s", open(sys.argv[1]).read()).group(1))
n = int(sys.argv[2]); copy = n / (float(sys.argv[4]) - float(sys.argv[3]))
print("psql \\copy of the same rows: %d rows/s" % copy)
print("end-to-end / \\copy = %.2f (target >= 0.80)" % (ingest / copy))
PY
rm -rf "$work"
