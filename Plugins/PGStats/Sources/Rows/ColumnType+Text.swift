import PluginKit

/// How a target column's text cell becomes a row value. Queries return every
/// value as text; the type of the target column decides the conversion.
/// Timestamps are selected as microseconds since the epoch (`SQLText.micros`),
/// so no DateStyle or TimeZone setting changes the reading; PG_LSN passes on as
/// its text form.
extension ColumnType {
    func value(from text: String?) -> RowValue {
        guard let text else { return .null }
        switch self {
        case .int: return Self.integer(text).map { .int($0) } ?? .null
        case .double: return Double(text).map { .double($0) } ?? .null
        case .text, .lsn: return .text(text)
        case .bool: return Self.boolean(text).map { .bool($0) } ?? .null
        case .timestamp: return Self.integer(text).map { .timestamp(micros: $0) } ?? .null
        case .json: return .json(text)
        }
    }

    /// An integer from PostgreSQL text: "42", or a numeric such as "42.0" or
    /// "1e3" (sums and pg_lsn differences are numeric) when it fits in 64 bits.
    static func integer(_ text: String) -> Int64? {
        if let exact = Int64(text) { return exact }
        guard let d = Double(text), d.isFinite, d.magnitude < 9.2e18 else { return nil }
        return Int64(d.rounded())
    }

    /// PostgreSQL's boolean text output ("t"/"f").
    static func boolean(_ text: String) -> Bool? {
        switch text {
        case "t", "true": true
        case "f", "false": false
        default: nil
        }
    }
}
