import ByteKit

/// Script logs (health checks, blocklist sync, bot detection):
/// `[YYYY-MM-DD HH:MM:SS] message` or `YYYY-MM-DD HH:MM:SS message`.
///
/// Times are local. A severity word leading the message (`ERROR:`, `[WARN]`,
/// `WARNING -`) gives the level and is consumed; it must be upper case or bracketed so
/// that an ordinary first word ("Alert sent to ops") is not taken for one.
/// Indented lines continue the previous record (a script's multi-line output).
public struct SimpleTimestampParser: LogLineParser {
    private let time: LogTimeContext
    private var localTimes = LocalTimeCache()
    private var hasOpenRecord = false

    public init(time: LogTimeContext) {
        self.time = time
    }

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        if line.isBlankLine { return .skip }
        var scanner = ByteScanner(line)
        let bracketed = scanner.consume(ASCII.openBracket)
        guard let stamp = scanner.isoDateTime(), let timestamp = Self.zoned(stamp, &scanner, &localTimes, time),
            !bracketed || scanner.consume(ASCII.closeBracket)
        else {
            return continuationOrUnparsed(line)
        }
        guard scanner.isAtEnd || scanner.skipBlanks() > 0 || bracketed else { return continuationOrUnparsed(line) }
        scanner.skipBlanks()
        hasOpenRecord = true
        let level = Self.leadingLevel(line, &scanner)
        let message = LogText(line, scanner.position, line.trimmedEnd(from: scanner.position, to: line.count))
        return ParseOutcome(kind: .record, timestampMicros: timestamp, level: level, message: message)
    }

    /// An optional zone after the time (`Z`, `+02:00`, ` UTC`); local time without one.
    private static func zoned(
        _ stamp: CivilStamp, _ scanner: inout ByteScanner, _ cache: inout LocalTimeCache, _ time: LogTimeContext
    ) -> Int64? {
        if let offset = scanner.numericZoneOffset() {
            return stamp.micros(offsetSeconds: offset)
        }
        if scanner.peek() == ASCII.space, scanner.peek(at: 1) == 0x55, scanner.peek(at: 2) == 0x54,
            scanner.peek(at: 3) == 0x43  // " UTC"
        {
            let after = scanner.peek(at: 4)
            if after == nil || after == ASCII.space || after == ASCII.closeBracket {
                scanner.position += 4
                return stamp.micros(offsetSeconds: 0)
            }
        }
        return stamp.localMicros(&cache, time)
    }

    /// `ERROR`, `ERROR:`, `[ERROR]`, `WARNING -` at the message start.
    private static func leadingLevel(_ line: UnsafeRawBufferPointer, _ scanner: inout ByteScanner) -> LogLevel {
        let start = scanner.position
        let bracketed = scanner.consume(ASCII.openBracket)
        let wordStart = scanner.position
        while let byte = scanner.peek(), ASCII.isAlphanumeric(byte) { scanner.position += 1 }
        let wordEnd = scanner.position
        var isUpper = true
        for index in wordStart..<wordEnd where ASCII.isLetter(line[index]) && !ASCII.isUpper(line[index]) {
            isUpper = false
        }
        let closed = !bracketed || scanner.consume(ASCII.closeBracket)
        guard closed, bracketed || isUpper, let level = LevelWord.level(line, from: wordStart, to: wordEnd) else {
            scanner.position = start
            return .unknown
        }
        _ = scanner.consume(ASCII.colon)
        scanner.skipBlanks()
        if scanner.peek() == ASCII.minus, scanner.peek(at: 1) == ASCII.space {
            scanner.position += 2
        }
        // The word must end there: "ERRORS found" is a message, not a level.
        if scanner.position == wordEnd, let next = scanner.peek(), !ASCII.isBlank(next) {
            scanner.position = start
            return .unknown
        }
        scanner.skipBlanks()
        return level
    }

    private func continuationOrUnparsed(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        guard hasOpenRecord, ASCII.isBlank(line[0]) else { return .unparsed(line) }
        return ParseOutcome(kind: .continuation, message: LogText(line, 0, line.trimmedEnd(from: 0, to: line.count)))
    }
}
