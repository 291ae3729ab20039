#if canImport(Glibc)
import Glibc
#endif
import ByteKit

/// Writes the collector's own stats (per tick: runs, failures, skipped, backoff;
/// writer counters) to `<state_dir>/stats.json`, replaced atomically, so an
/// operator sees them even while the database is down.
package struct StatsSnapshotWriter: Sendable {
    package let directory: String
    package let stats: StatsRegistry
    package let writer: BatchWriter
    /// `[collector] prometheus_textfile`: the same figures for node_exporter; empty = none.
    package var textfile = ""
    /// The `host` label of the textfile's samples.
    package var host = ""

    package var path: String { directory + "/stats.json" }

    package func write() {
        mkdir(directory, 0o755)
        var json = JSONWriter(capacity: 1024)
        json.beginObject()
        json.key("written_at_us"); json.value(WallClock.nowMicros())
        json.key("buffered_rows"); json.value(writer.bufferedRows)
        json.key("buffered_bytes"); json.value(writer.bufferedBytes)
        json.key("spooled_bytes"); json.value(writer.spooledBytes)
        json.key("counters")
        json.beginObject()
        for (name, count) in stats.countersSnapshot().sorted(by: { $0.key < $1.key }) {
            json.key(name); json.value(count)
        }
        json.endObject()
        json.key("ticks")
        json.beginObject()
        for (id, s) in stats.snapshot().sorted(by: { $0.key < $1.key }) {
            json.key(id)
            json.beginObject()
            json.key("runs"); json.value(s.runs)
            json.key("failures"); json.value(s.failures)
            json.key("consecutive_failures"); json.value(s.consecutiveFailures)
            json.key("skipped"); json.value(s.skipped)
            json.key("backoff_secs"); json.value(s.backoffSecs)
            json.key("last_duration_ms"); json.value(exactly: Double(s.lastDurationNanos) / 1e6)
            json.key("max_duration_ms"); json.value(exactly: Double(s.maxDurationNanos) / 1e6)
            json.key("disabled"); json.value(s.disabled)
            json.key("last_error"); json.value(s.lastError)
            json.endObject()
        }
        json.endObject()
        json.endObject()
        let text = json.text + "\n"
        let tmp = path + ".tmp"
        guard let f = fopen(tmp, "w") else { return }
        fputs(text, f)
        fclose(f)
        rename(tmp, path)
        if !textfile.isEmpty { CollectorMetrics.capture(stats: stats, writer: writer).writeTextfile(path: textfile, host: host) }
    }
}
