import ByteKit

/// The word before `:  ` in a PostgreSQL stderr/csv-less log line.
///
/// The first group starts an entry; the second (`DETAIL`, `HINT`, `STATEMENT`, ...)
/// is a further line of the entry just logged, which PostgreSQL writes with the full
/// prefix again.
enum PostgresSeverity {
    case entry(LogLevel)
    case attachment

    /// Parses the upper-case word in `bytes[start..<end]`.
    init?(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) {
        let length = end - start
        guard length >= 3, length <= 9, start >= 0, end <= bytes.count else { return nil }
        var packed: UInt64 = 0
        for index in start..<end {
            let byte = bytes[index]
            guard ASCII.isUpper(byte) || ASCII.isDigit(byte) else { return nil }
            packed = packed << 8 | UInt64(byte)
        }
        for entry in Self.table where entry.packed == packed {
            self = entry.severity
            return
        }
        return nil
    }

    private static let table: [(packed: UInt64, severity: PostgresSeverity)] = {
        let words: [(StaticString, PostgresSeverity)] = [
            ("LOG", .entry(.info)), ("STATEMENT", .attachment), ("ERROR", .entry(.error)), ("DETAIL", .attachment),
            ("HINT", .attachment), ("CONTEXT", .attachment), ("WARNING", .entry(.warn)), ("FATAL", .entry(.fatal)),
            ("QUERY", .attachment), ("LOCATION", .attachment), ("NOTICE", .entry(.notice)), ("INFO", .entry(.info)),
            ("PANIC", .entry(.fatal)), ("DEBUG", .entry(.debug)), ("DEBUG1", .entry(.debug)),
            ("DEBUG2", .entry(.debug)), ("DEBUG3", .entry(.debug)), ("DEBUG4", .entry(.debug)),
            ("DEBUG5", .entry(.debug)),
        ]
        return words.map { word, severity in
            var packed: UInt64 = 0
            let start = word.utf8Start
            for index in 0..<word.utf8CodeUnitCount { packed = packed << 8 | UInt64(start[index]) }
            return (packed, severity)
        }
    }()
}
