#if canImport(Glibc)
import Glibc
#endif
import ByteKit
import CollectorCore

/// The daemon's `<state_dir>/stats.json` (StatsSnapshotWriter), read when the
/// console runs on the collector's machine: writer counters and per-tick
/// durations that the database does not hold.
package enum StatsFile {
    /// Nil when the file is missing, unreadable or not the expected shape.
    package static func read(path: String) -> CollectorMetrics? {
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
                ticks[m.key] = .init(runs: int(t["runs"]), failures: int(t["failures"]), skipped: int(t["skipped"]),
                                     consecutiveFailures: int(t["consecutive_failures"]), backoffSecs: dbl(t["backoff_secs"]),
                                     lastDurationSecs: dbl(t["last_duration_ms"]) / 1000, maxDurationSecs: dbl(t["max_duration_ms"]) / 1000,
                                     disabled: disabled)
            }
        }
        return CollectorMetrics(writtenAtMicros: int(root["written_at_us"]), bufferedRows: int(root["buffered_rows"]),
                                bufferedBytes: int(root["buffered_bytes"]), counters: counters, ticks: ticks)
    }
}
