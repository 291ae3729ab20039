import PluginABI

/// The fixed level set of `collector.log_entries.level`.
package enum LogLevelName: String, Sendable, CaseIterable {
    case debug, info, notice, warn, error, fatal

    package init(_ level: UInt32) {
        switch pqc_level(level) {
        case PQC_LEVEL_DEBUG: self = .debug
        case PQC_LEVEL_NOTICE: self = .notice
        case PQC_LEVEL_WARN: self = .warn
        case PQC_LEVEL_ERROR: self = .error
        case PQC_LEVEL_FATAL: self = .fatal
        default: self = .info
        }
    }

    package var severity: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

/// A context field of a parsed line.
package enum FieldValue: Sendable, Equatable {
    case null, bool(Bool), int(Int64), double(Double), text(String)
}

/// One parser result, copied out of the plugin's borrowed memory.
package struct ParsedLine: Sendable, Equatable {
    package enum Kind: Sendable, Equatable { case record, continuation, skip, unparsed }
    package var kind: Kind
    /// Microseconds since the epoch; 0 when the parser did not know.
    package var timestampMicros: Int64 = 0
    package var level: LogLevelName = .info
    package var component: String?
    package var message: String = ""
    package var fields: [(key: String, value: FieldValue)] = []
    package var fingerprint: String?

    package static func == (a: ParsedLine, b: ParsedLine) -> Bool {
        a.kind == b.kind && a.timestampMicros == b.timestampMicros && a.level == b.level && a.component == b.component
            && a.message == b.message && a.fingerprint == b.fingerprint
            && a.fields.map(\.key) == b.fields.map(\.key) && a.fields.map(\.value) == b.fields.map(\.value)
    }
}
