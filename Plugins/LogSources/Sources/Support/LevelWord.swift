/// Severity words as the formats spell them ("ERROR", "warning", "crit", "DEBUG3",
/// "trace5", "HEAVYDEBUG"), matched case-insensitively, to the fixed level set.
enum LevelWord {
    /// The level named by `bytes[start..<end]`, or nil if it is not a severity word.
    static func level(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> LogLevel? {
        let length = end - start
        guard length >= 3, length <= 13, start >= 0, end <= bytes.count else { return nil }
        // Numbered debug levels: PostgreSQL DEBUG1-5, Apache trace1-8.
        var wordEnd = end
        if ASCII.isDigit(bytes[end - 1]) {
            wordEnd -= 1
        }
        var packed: UInt64 = 0
        var high: UInt64 = 0
        for index in start..<wordEnd {
            let byte = bytes[index]
            guard ASCII.isLetter(byte) else { return nil }
            high = high << 8 | packed >> 56
            packed = packed << 8 | UInt64(byte | 0x20)
        }
        if wordEnd != end {
            guard high == 0, packed == debugWord || packed == traceWord else { return nil }
            return .debug
        }
        for entry in table where entry.low == packed && entry.high == high {
            return entry.level
        }
        return nil
    }

    static func level(_ text: LogText) -> LogLevel? {
        level(text.bytes, from: 0, to: text.count)
    }

    private static let debugWord = pack16("debug").low
    private static let traceWord = pack16("trace").low

    /// Known words, most frequent first.
    private static let table: [(high: UInt64, low: UInt64, level: LogLevel)] = {
        let words: [(StaticString, LogLevel)] = [
            ("info", .info), ("error", .error), ("warning", .warn), ("warn", .warn), ("notice", .notice),
            ("debug", .debug), ("err", .error), ("crit", .fatal), ("critical", .fatal), ("alert", .fatal),
            ("emerg", .fatal), ("emergency", .fatal), ("fatal", .fatal), ("panic", .fatal), ("severe", .fatal),
            ("trace", .debug), ("verbose", .debug), ("heavydebug", .debug), ("tracedebug", .debug),
            ("information", .info), ("informational", .info), ("msg", .info),
        ]
        return words.map { word, level in
            let packed = pack16(word)
            return (packed.high, packed.low, level)
        }
    }()

    private static func pack16(_ word: StaticString) -> (high: UInt64, low: UInt64) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        let start = word.utf8Start
        for index in 0..<word.utf8CodeUnitCount {
            high = high << 8 | low >> 56
            low = low << 8 | UInt64(start[index])
        }
        return (high, low)
    }
}
