import ByteKit

/// Let's Encrypt's letsencrypt.log: `YYYY-MM-DD HH:MM:SS,mmm:LEVEL:module:message`.
///
/// Certbot logs multi-line messages (HTTP responses, JSON bodies, CSR dumps) and
/// Python tracebacks as lines without the prefix: every such line continues the
/// previous record. Times are local (Python logging's default formatter).
public struct CertbotParser: LogLineParser {
    private let time: LogTimeContext
    private var localTimes = LocalTimeCache()
    private var hasOpenRecord = false

    public init(time: LogTimeContext) {
        self.time = time
    }

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        if line.isBlankLine { return .skip }
        var scanner = ByteScanner(line)
        guard let stamp = scanner.isoDateTime(fractionSeparators: (ASCII.comma, ASCII.dot)),
            scanner.consume(ASCII.colon)
        else { return continuationOrUnparsed(line) }
        let levelStart = scanner.position
        guard scanner.advance(to: ASCII.colon),
            let level = LevelWord.level(line, from: levelStart, to: scanner.position)
        else { return continuationOrUnparsed(line) }
        scanner.position += 1
        let moduleStart = scanner.position
        guard scanner.advance(to: ASCII.colon), scanner.position > moduleStart else {
            return continuationOrUnparsed(line)
        }
        let moduleEnd = scanner.position
        scanner.position += 1
        guard let timestamp = stamp.localMicros(&localTimes, time) else { return .unparsed(line) }
        hasOpenRecord = true
        return ParseOutcome(
            kind: .record, timestampMicros: timestamp, level: level,
            component: LogText(line, moduleStart, moduleEnd),
            message: LogText(line, scanner.position, line.trimmedEnd(from: scanner.position, to: line.count))
        )
    }

    private func continuationOrUnparsed(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        guard hasOpenRecord else { return .unparsed(line) }
        return ParseOutcome(kind: .continuation, message: LogText(line, 0, line.trimmedEnd(from: 0, to: line.count)))
    }
}
