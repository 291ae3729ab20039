import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's logger: one line per event on stderr,
/// `2026-11-25T11:02:29.123Z WARN  [loader] message`. systemd's journal adds
/// its own timestamp, but a line also has to read well in a terminal or a file.
///
/// Its own, not swift-log's: the daemon and its plugins are built without the
/// implicit `_Concurrency` and `_StringProcessing` imports (Package.swift), so
/// none of those runtime libraries (and libdispatch) is loaded, about 1.5 MB of
/// resident pages; swift-log's module would link them back. The call sites
/// read as swift-log's (`logger.warning("...")`).
package struct Logger: Sendable {
    package enum Level: Int, Sendable, Comparable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical

        package static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        /// The fixed-width name in a line.
        package var name: String {
            switch self {
            case .trace: "TRACE"
            case .debug: "DEBUG"
            case .info: "INFO "
            case .notice: "NOTE "
            case .warning: "WARN "
            case .error: "ERROR"
            case .critical: "CRIT "
            }
        }
    }

    package let label: String

    package init(label: String) { self.label = label }

    package func trace(_ message: @autoclosure () -> String) { log(.trace, message) }
    package func debug(_ message: @autoclosure () -> String) { log(.debug, message) }
    package func info(_ message: @autoclosure () -> String) { log(.info, message) }
    package func notice(_ message: @autoclosure () -> String) { log(.notice, message) }
    package func warning(_ message: @autoclosure () -> String) { log(.warning, message) }
    package func error(_ message: @autoclosure () -> String) { log(.error, message) }
    package func critical(_ message: @autoclosure () -> String) { log(.critical, message) }

    package func log(_ level: Level, _ message: () -> String) {
        guard level >= LogOutput.level else { return }
        let text = message()
        if let sink = LogOutput.sink, sink(label, level, text) { return }
        StandardError.write(LogOutput.line(label: label, level: level, message: text))
    }
}

/// Where log lines go: the level in force and, for tests, a sink that sees
/// every line first (returning true swallows it).
package enum LogOutput {
    package typealias Sink = @Sendable (_ label: String, _ level: Logger.Level, _ message: String) -> Bool

    private static let levelValue = Atomic<Int>(Logger.Level.info.rawValue)
    private static let sinkValue = Mutex<Sink?>(nil)

    package static var level: Logger.Level {
        get { Logger.Level(rawValue: levelValue.load(ordering: .relaxed)) ?? .info }
        set { levelValue.store(newValue.rawValue, ordering: .relaxed) }
    }

    package static var sink: Sink? {
        get { sinkValue.withLock { $0 } }
        set { sinkValue.withLock { $0 = newValue } }
    }

    package static func line(label: String, level: Logger.Level, message: String) -> String {
        timestamp() + " " + level.name + " [" + label + "] " + message + "\n"
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

    /// Sets the level lines are written at (`info` when the text names none).
    package static func bootstrap(levelText: String) {
        setLevel(level(from: levelText) ?? .info)
    }

    /// Changes the level of every logger (a SIGHUP reload).
    package static func setLevel(_ level: Logger.Level) { LogOutput.level = level }

    package static var currentLevel: Logger.Level { LogOutput.level }
}
