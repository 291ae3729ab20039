/// The fixed severity set of ingested log records.
///
/// Raw values are those of `pqc_level` in `pqcrypta_plugin.h`, so the plugin glue
/// passes `level.rawValue` through unchanged.
public enum LogLevel: UInt32, Sendable, CaseIterable, Comparable {
    /// The line said nothing about severity; stored as "info".
    case unknown = 0
    case debug = 1
    case info = 2
    case notice = 3
    case warn = 4
    case error = 5
    case fatal = 6

    /// The name stored in `collector.log_entries.level` (and hashed into fingerprints).
    public var storedName: String {
        switch self {
        case .unknown, .info: return "info"
        case .debug: return "debug"
        case .notice: return "notice"
        case .warn: return "warn"
        case .error: return "error"
        case .fatal: return "fatal"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// Syslog / journald priority (RFC 5424 severity 0-7) to the fixed set.
    /// emerg, alert and crit are all "the service is going down" and become fatal.
    public init(syslogSeverity severity: Int) {
        switch severity {
        case 0, 1, 2: self = .fatal
        case 3: self = .error
        case 4: self = .warn
        case 5: self = .notice
        case 6: self = .info
        case 7: self = .debug
        default: self = .unknown
        }
    }
}
