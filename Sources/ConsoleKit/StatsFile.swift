#if canImport(Glibc)
import Glibc
#endif
import ByteKit

/// The daemon's `<state_dir>/stats.json` (StatsSnapshotWriter), read when the
/// console runs on the collector's machine: writer counters and per-tick
/// durations that the database does not hold.
package struct StatsFile: Sendable {
    package struct Tick: Sendable {
        package var runs: Int64
        package var failures: Int64
        package var skipped: Int64
        package var consecutiveFailures: Int64
        package var backoffSecs: Double
        package var lastDurationMs: Double
        package var maxDurationMs: Double
        package var disabled: Bool
    }

    package var writtenAt: String
    package var writtenAtMicros: Int64
    package var bufferedRows: Int64
    package var bufferedBytes: Int64
    package var counters: [String: Int64]
    package var ticks: [String: Tick]

    /// Nil when the file is missing, unreadable or not the expected shape.
    package static func read(path: String) -> StatsFile? {
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

    package static func parse(_ root: JSONValue) -> StatsFile? {
        guard root.isObject else { return nil }
        func int(_ v: JSONValue?) -> Int64 { if case .number(let n)? = v { return n.int64 ?? Int64(n.double ?? 0) } else { return 0 } }
        func dbl(_ v: JSONValue?) -> Double { if case .number(let n)? = v { return n.double ?? 0 } else { return 0 } }
        var counters: [String: Int64] = [:]
        if case .object(let members)? = root["counters"] { for m in members { counters[m.key] = int(m.value) } }
        var ticks: [String: Tick] = [:]
        if case .object(let members)? = root["ticks"] {
            for m in members {
                let t = m.value
                var disabled = false
                if case .bool(let b)? = t["disabled"] { disabled = b }
                ticks[m.key] = Tick(runs: int(t["runs"]), failures: int(t["failures"]), skipped: int(t["skipped"]),
                                    consecutiveFailures: int(t["consecutive_failures"]), backoffSecs: dbl(t["backoff_secs"]),
                                    lastDurationMs: dbl(t["last_duration_ms"]), maxDurationMs: dbl(t["max_duration_ms"]), disabled: disabled)
            }
        }
        let micros = int(root["written_at_us"])
        return StatsFile(writtenAt: LogTime.format(Double(micros) / 1e6) + " UTC", writtenAtMicros: micros,
                         bufferedRows: int(root["buffered_rows"]), bufferedBytes: int(root["buffered_bytes"]),
                         counters: counters, ticks: ticks)
    }
}
