import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One line per event on stderr: `2026-11-25T11:02:29.123Z WARN  [loader] message key=value`.
/// systemd's journal adds its own timestamp, but a line also has to read well in a terminal or a file.
package struct StderrLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level
    package let label: String

    package init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var line = Self.timestamp()
        line += " "
        line += Self.levelName(event.level)
        line += " ["
        line += label
        line += "] "
        line += event.message.description
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() {
            line += " \(key)=\(merged[key]!)"
        }
        line += "\n"
        StandardError.write(line)
    }

    package static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info: "INFO "
        case .notice: "NOTE "
        case .warning: "WARN "
        case .error: "ERROR"
        case .critical: "CRIT "
        }
    }

    package static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var tm = tm()
        var seconds = ts.tv_sec
        gmtime_r(&seconds, &tm)
        var buffer = [CChar](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &tm)
        let base = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let millis = Int(ts.tv_nsec / 1_000_000)
        return base + "." + (millis < 10 ? "00" : millis < 100 ? "0" : "") + "\(millis)Z"
    }
}

package enum LoggingSetup {
    /// Parses `LOG_LEVEL` or `RUST_LOG` (`info`, or env_logger style `crate=debug,warn`).
    package static func level(from text: String) -> Logger.Level? {
        var chosen: Logger.Level?
        for part in levelParts(text) {
            if let level = named(part) { chosen = level }
        }
        return chosen
    }

    /// The level names `level(from:)` understands, as documented.
    package static let names = ["trace", "debug", "info", "notice", "warn", "warning", "error", "critical", "off"]

    /// Why `text` is not a log level setting (a part naming no level, or no
    /// part at all), or nil when every part names one: the configuration
    /// refuses what `level(from:)` would otherwise skip in silence.
    package static func problem(in text: String) -> String? {
        let parts = levelParts(text)
        if parts.isEmpty { return "no level given (one of \(names.joined(separator: ", ")))" }
        if let bad = parts.first(where: { named($0) == nil }) {
            return "\"\(bad)\" is not a level (one of \(names.joined(separator: ", ")), or crate=level)"
        }
        return nil
    }

    /// The level of each comma-separated part: what follows its last `=`.
    private static func levelParts(_ text: String) -> [String] {
        text.lowercased().split(separator: ",").map { part in
            (part.split(separator: "=", omittingEmptySubsequences: false).last.map(String.init) ?? String(part)).trimmingSpaces
        }
    }

    private static func named(_ name: String) -> Logger.Level? {
        switch name {
        case "trace": .trace
        case "debug": .debug
        case "info": .info
        case "notice": .notice
        case "warn", "warning": .warning
        case "error": .error
        case "critical", "off": .critical
        default: nil
        }
    }

    /// Installs the stderr handler once per process (swift-log allows one
    /// bootstrap; a second command run in the same process, as in tests, keeps
    /// the first level).
    package static func bootstrap(levelText: String) {
        let level = level(from: levelText) ?? .info
        bootstrapped.withLock { done in
            guard !done else { return }
            done = true
            LoggingSystem.bootstrap { label in StderrLogHandler(label: label, level: level) }
        }
    }

    private static let bootstrapped = Mutex(false)
}
