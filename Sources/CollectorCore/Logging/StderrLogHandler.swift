import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One line per event on stderr: `2026-11-25T11:02:29.123Z WARN  [loader] message key=value`.
/// systemd's journal adds its own timestamp, but a line also has to read well in a terminal or a file.
package struct StderrLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    /// The process-wide level (`LoggingSetup.setLevel`, changed by a reload)
    /// unless this logger was given its own.
    package var logLevel: Logger.Level {
        get { own ?? LoggingSetup.currentLevel }
        set { own = newValue }
    }
    private var own: Logger.Level?
    package let label: String

    package init(label: String, level: Logger.Level? = nil) {
        self.label = label
        self.own = level
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
        for part in text.lowercased().split(separator: ",") {
            let level = part.split(separator: "=").last.map(String.init) ?? String(part)
            switch level.trimmingSpaces {
            case "trace": chosen = .trace
            case "debug": chosen = .debug
            case "info": chosen = .info
            case "notice": chosen = .notice
            case "warn", "warning": chosen = .warning
            case "error": chosen = .error
            case "critical", "off": chosen = .critical
            default: continue
            }
        }
        return chosen
    }

    /// Installs the stderr handler once per process (swift-log allows one
    /// bootstrap; a second command run in the same process, as in tests, keeps
    /// the first level).
    package static func bootstrap(levelText: String) {
        let level = level(from: levelText) ?? .info
        bootstrapped.withLock { done in
            guard !done else { return }
            done = true
            setLevel(level)
            LoggingSystem.bootstrap { label in StderrLogHandler(label: label) }
        }
    }

    /// Changes the level of every logger that has none of its own (SIGHUP reload).
    package static func setLevel(_ level: Logger.Level) {
        liveLevel.store(Logger.Level.allCases.firstIndex(of: level) ?? 2, ordering: .relaxed)
    }

    package static var currentLevel: Logger.Level {
        let all = Logger.Level.allCases
        let i = liveLevel.load(ordering: .relaxed)
        return all.indices.contains(i) ? all[i] : .info
    }

    private static let liveLevel = Atomic<Int>(2)  // .info

    private static let bootstrapped = Mutex(false)
}
