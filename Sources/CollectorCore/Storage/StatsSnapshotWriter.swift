#if canImport(Glibc)
import Glibc
#endif

/// Writes the collector's own stats (per tick: runs, failures, skipped, backoff;
/// writer counters) to `<state_dir>/stats.json`, replaced atomically, so an
/// operator sees them even while the database is down.
package struct StatsSnapshotWriter: Sendable {
    package let directory: String
    package let stats: StatsRegistry
    package let writer: BatchWriter

    package var path: String { directory + "/stats.json" }

    package func write() {
        mkdir(directory, 0o755)
        var json = "{\"written_at_us\":\(WallClock.nowMicros()),\"buffered_rows\":\(writer.bufferedRows),\"buffered_bytes\":\(writer.bufferedBytes),\"counters\":{"
        json += stats.countersSnapshot().sorted { $0.key < $1.key }.map { "\(JSONText.quote($0.key)):\($0.value)" }.joined(separator: ",")
        json += "},\"ticks\":{"
        json += stats.snapshot().sorted { $0.key < $1.key }.map { id, s in
            "\(JSONText.quote(id)):{\"runs\":\(s.runs),\"failures\":\(s.failures),\"consecutive_failures\":\(s.consecutiveFailures),\"skipped\":\(s.skipped),\"backoff_secs\":\(s.backoffSecs),\"last_duration_ms\":\(Double(s.lastDurationNanos) / 1e6),\"max_duration_ms\":\(Double(s.maxDurationNanos) / 1e6),\"disabled\":\(s.disabled),\"last_error\":\(JSONText.quote(s.lastError))}"
        }.joined(separator: ",")
        json += "}}\n"
        let tmp = path + ".tmp"
        guard let f = fopen(tmp, "w") else { return }
        fputs(json, f)
        fclose(f)
        rename(tmp, path)
    }
}

package enum JSONText {
    /// A JSON string literal for any Swift string. NUL is dropped: jsonb cannot hold it.
    package static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\u{0}": continue
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0}"..."\u{1F}":
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
