import ByteKit

/// The prefix `tracing-subscriber`'s fmt layer writes, once colours are stripped:
/// `2026-02-15T00:00:54.808228Z  INFO pqcrypta_api::routes: msg`, with optional
/// spans (`INFO request{id=7}:auth: pqcrypta_api::routes: msg`) and, under journald,
/// often without the timestamp (`INFO pqcrypta_api::routes: msg`).
///
/// Without a timestamp the target is required, so an ordinary message starting with
/// "INFO" is not mistaken for one.
struct RustTracingPrefix {
    var level: LogLevel
    /// The target (module path), if written.
    var targetStart: Int
    var targetEnd: Int
    var messageStart: Int

    private static let maximumPrefixLength = 512

    init?(_ text: UnsafeRawBufferPointer) {
        var scanner = ByteScanner(text)
        var hasTimestamp = false
        if let first = scanner.peek(), ASCII.isDigit(first) {
            guard scanner.isoDateTime(fractionSeparators: (ASCII.dot, ASCII.dot)) != nil else { return nil }
            _ = scanner.numericZoneOffset()
            guard scanner.skipBlanks() > 0 else { return nil }
            hasTimestamp = true
        }
        scanner.skipBlanks()  // levels are right-aligned: " INFO", " WARN"
        let levelStart = scanner.position
        while let byte = scanner.peek(), ASCII.isUpper(byte) { scanner.position += 1 }
        guard let level = Self.level(text, levelStart, scanner.position), scanner.skipBlanks() > 0 else { return nil }
        self.level = level
        self.targetStart = scanner.position
        self.targetEnd = scanner.position
        self.messageStart = scanner.position

        // Segments separated by ": " outside braces: spans (with "{"), then the target.
        let limit = min(text.count, scanner.position + Self.maximumPrefixLength)
        var segmentStart = scanner.position
        var depth = 0
        var index = segmentStart
        while index + 1 < limit {
            let byte = text[index]
            if byte == ASCII.openBrace {
                depth += 1
            } else if byte == ASCII.closeBrace {
                depth = max(0, depth - 1)
            } else if depth == 0, byte == ASCII.colon, text[index + 1] == ASCII.space {
                if Self.isPath(text, segmentStart, index) {
                    targetStart = segmentStart
                    targetEnd = index
                    messageStart = index + 2
                    return
                }
                guard Self.isSpans(text, segmentStart, index) else { break }
                segmentStart = index + 2
                index += 2
                continue
            } else if depth == 0, byte == ASCII.space {
                break  // a blank outside braces before any ": ": no target here
            }
            index += 1
        }
        // No target: acceptable only when the timestamp already proved the format.
        guard hasTimestamp else { return nil }
    }

    private static func level(_ text: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> LogLevel? {
        guard end - start >= 4, end - start <= 5 else { return nil }
        var packed: UInt64 = 0
        for index in start..<end { packed = packed << 8 | UInt64(text[index]) }
        switch packed {
        case 0x494E_464F: return .info  // INFO
        case 0x5741_524E: return .warn  // WARN
        case 0x45_5252_4F52: return .error  // ERROR
        case 0x44_4542_5547, 0x54_5241_4345: return .debug  // DEBUG, TRACE
        default: return nil
        }
    }

    /// A Rust module path: `[A-Za-z0-9_]` and `::`.
    private static func isPath(_ text: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard end > start else { return false }
        for index in start..<end {
            let byte = text[index]
            guard ASCII.isAlphanumeric(byte) || byte == ASCII.underscore || byte == ASCII.colon else { return false }
        }
        return true
    }

    /// `span{...}:span2` chains: identifiers, colons and braced field lists, at least
    /// one of them braced.
    private static func isSpans(_ text: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard end > start, text[start..<end].contains(ASCII.openBrace) else { return false }
        var depth = 0
        for index in start..<end {
            let byte = text[index]
            if byte == ASCII.openBrace { depth += 1 } else if byte == ASCII.closeBrace { depth -= 1 } else if depth == 0,
                !(ASCII.isAlphanumeric(byte) || byte == ASCII.underscore || byte == ASCII.colon)
            {
                return false
            }
        }
        return true
    }
}
