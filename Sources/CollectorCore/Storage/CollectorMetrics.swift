#if canImport(Glibc)
import Glibc
#endif
import ByteKit

/// The collector's own figures at one moment (what stats.json holds), and
/// their Prometheus form. One mapping for both writers of it: the daemon's
/// node_exporter textfile (`[collector] prometheus_textfile`) and the
/// console's `/metrics`, which reads the same figures back from stats.json.
package struct CollectorMetrics: Sendable {
    package struct Tick: Sendable {
        package var runs: Int64
        package var failures: Int64
        package var skipped: Int64
        package var consecutiveFailures: Int64
        package var backoffSecs: Double
        package var lastDurationSecs: Double
        package var maxDurationSecs: Double
        package var disabled: Bool

        package init(runs: Int64, failures: Int64, skipped: Int64, consecutiveFailures: Int64, backoffSecs: Double,
                     lastDurationSecs: Double, maxDurationSecs: Double, disabled: Bool) {
            self.runs = runs
            self.failures = failures
            self.skipped = skipped
            self.consecutiveFailures = consecutiveFailures
            self.backoffSecs = backoffSecs
            self.lastDurationSecs = lastDurationSecs
            self.maxDurationSecs = maxDurationSecs
            self.disabled = disabled
        }
    }

    package var writtenAtMicros: Int64
    package var bufferedRows: Int64
    package var bufferedBytes: Int64
    /// Host-wide counters by dotted name (`writer.rows_written`).
    package var counters: [String: Int64]
    /// By tick id (`system_metrics/sys`).
    package var ticks: [String: Tick]

    package init(writtenAtMicros: Int64, bufferedRows: Int64, bufferedBytes: Int64, counters: [String: Int64], ticks: [String: Tick]) {
        self.writtenAtMicros = writtenAtMicros
        self.bufferedRows = bufferedRows
        self.bufferedBytes = bufferedBytes
        self.counters = counters
        self.ticks = ticks
    }

    /// The daemon's figures now.
    package static func capture(stats: StatsRegistry, writer: BatchWriter) -> CollectorMetrics {
        var ticks: [String: Tick] = [:]
        for (id, s) in stats.snapshot() {
            ticks[id] = Tick(runs: Int64(s.runs), failures: Int64(s.failures), skipped: Int64(s.skipped),
                             consecutiveFailures: Int64(s.consecutiveFailures), backoffSecs: Double(s.backoffSecs),
                             lastDurationSecs: Double(s.lastDurationNanos) / 1e9, maxDurationSecs: Double(s.maxDurationNanos) / 1e9,
                             disabled: s.disabled)
        }
        return CollectorMetrics(
            writtenAtMicros: WallClock.nowMicros(), bufferedRows: Int64(writer.bufferedRows), bufferedBytes: Int64(writer.bufferedBytes),
            counters: stats.countersSnapshot().mapValues { Int64($0) }, ticks: ticks)
    }

    /// Appends the families. `tickPrefix` names the per-tick families
    /// (`pqc_tick_` in the textfile; the console, whose `pqc_tick_*` come from
    /// `collector.plugin_stats` for every host, passes `pqc_stats_tick_` and
    /// `withTickCounters: false` so the two never collide).
    package func append(to p: inout PrometheusText, host: String, tickPrefix: String = "pqc_tick_", withTickCounters: Bool = true) {
        let h = [("host", host)]
        p.family("pqc_stats_written_timestamp_seconds", .gauge, "When the collector took these figures (Unix time).")
        p.sample("pqc_stats_written_timestamp_seconds", h, Double(writtenAtMicros) / 1e6)
        p.family("pqc_writer_buffered_rows", .gauge, "Rows buffered by the writer, not yet in the database.")
        p.sample("pqc_writer_buffered_rows", h, bufferedRows)
        p.family("pqc_writer_buffered_bytes", .gauge, "Bytes buffered by the writer.")
        p.sample("pqc_writer_buffered_bytes", h, bufferedBytes)
        for (name, value) in counters.sorted(by: { $0.key < $1.key }) {
            let metric = "pqc_" + PrometheusText.metricName(String(name.map { $0 == "." ? "_" : $0 })) + "_total"
            p.family(metric, .counter, "Collector counter \(name) since start.")
            p.sample(metric, h, value)
        }
        let sorted = ticks.sorted(by: { $0.key < $1.key })
        func labels(_ id: String) -> [(String, String)] {
            let parts = id.split(separator: "/", maxSplits: 1).map(String.init)
            return h + (parts.count == 2 ? [("plugin", parts[0]), ("tick", parts[1])] : [("plugin", ""), ("tick", id)])
        }
        var families: [(String, PrometheusText.Kind, String, (Tick) -> Double)] = []
        if withTickCounters {
            families += [
                ("runs_total", .counter, "Runs of the tick since start.", { Double($0.runs) }),
                ("failures_total", .counter, "Failed runs since start.", { Double($0.failures) }),
                ("skipped_total", .counter, "Runs skipped because the previous one was still running.", { Double($0.skipped) }),
                ("consecutive_failures", .gauge, "Failures in a row; 0 once a run succeeds.", { Double($0.consecutiveFailures) }),
                ("backoff_seconds", .gauge, "Current backoff before the next run.", { $0.backoffSecs }),
                ("last_duration_seconds", .gauge, "Duration of the last run.", { $0.lastDurationSecs }),
            ]
        }
        families += [
            ("max_duration_seconds", .gauge, "Longest run since start.", { $0.maxDurationSecs }),
            ("disabled", .gauge, "1 when the host disabled the tick.", { $0.disabled ? 1 : 0 }),
        ]
        for (suffix, kind, help, value) in families {
            p.family(tickPrefix + suffix, kind, help)
            for (id, t) in sorted { p.sample(tickPrefix + suffix, labels(id), value(t)) }
        }
    }

    /// Writes the textfile for node_exporter's textfile collector: to a
    /// temporary name in the same directory, then renamed, so node_exporter
    /// never reads half a file. False when the file cannot be written.
    @discardableResult
    package func writeTextfile(path: String, host: String) -> Bool {
        var p = PrometheusText()
        append(to: &p, host: host)
        let tmp = path + ".tmp"
        guard let f = fopen(tmp, "w") else { return false }
        let ok = fputs(p.text, f) >= 0
        fclose(f)
        guard ok, rename(tmp, path) == 0 else {
            unlink(tmp)
            return false
        }
        return true
    }

    // MARK: Reading stats.json back (status, the console)

    /// Nil when the file is missing, unreadable or not the expected shape.
    package static func read(statsJSON path: String) -> CollectorMetrics? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n <= 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > 16 << 20 { return nil }
        }
        guard case .success(let root) = JSONParser.parse(bytes) else { return nil }
        return parse(root)
    }

    package static func parse(_ root: JSONValue) -> CollectorMetrics? {
        guard root.isObject else { return nil }
        func int(_ v: JSONValue?) -> Int64 { if case .number(let n)? = v { return n.int64 ?? Int64(n.double ?? 0) } else { return 0 } }
        func dbl(_ v: JSONValue?) -> Double { if case .number(let n)? = v { return n.double ?? 0 } else { return 0 } }
        var counters: [String: Int64] = [:]
        if case .object(let members)? = root["counters"] { for m in members { counters[m.key] = int(m.value) } }
        var ticks: [String: CollectorMetrics.Tick] = [:]
        if case .object(let members)? = root["ticks"] {
            for m in members {
                let t = m.value
                var disabled = false
                if case .bool(let b)? = t["disabled"] { disabled = b }
                ticks[m.key] = Tick(runs: int(t["runs"]), failures: int(t["failures"]), skipped: int(t["skipped"]),
                                     consecutiveFailures: int(t["consecutive_failures"]), backoffSecs: dbl(t["backoff_secs"]),
                                     lastDurationSecs: dbl(t["last_duration_ms"]) / 1000, maxDurationSecs: dbl(t["max_duration_ms"]) / 1000,
                                     disabled: disabled)
            }
        }
        return CollectorMetrics(writtenAtMicros: int(root["written_at_us"]), bufferedRows: int(root["buffered_rows"]),
                                bufferedBytes: int(root["buffered_bytes"]), counters: counters, ticks: ticks)
    }
}
