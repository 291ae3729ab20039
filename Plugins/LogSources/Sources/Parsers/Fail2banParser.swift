import ByteKit

/// fail2ban.log: `YYYY-MM-DD HH:MM:SS,mmm fail2ban.module [pid]: LEVEL [jail] message`.
///
/// The module padding and the `[pid]` vary across versions
/// (`fail2ban.actions: NOTICE`, `fail2ban.actions[123]: NOTICE`,
/// `fail2ban.actions        [123]: NOTICE  `). Times are local. The jail and, for
/// ban actions, the action and the address become fields, which is what security
/// detection queries. Python tracebacks (`Traceback ...` and the lines after it until
/// the next record) and indented lines continue the previous record.
public struct Fail2banParser: LogLineParser {
    private let time: LogTimeContext
    private var localTimes = LocalTimeCache()
    private var fields: [LogField] = []
    private var hasOpenRecord = false
    private var inTraceback = false

    public init(time: LogTimeContext) {
        self.time = time
        fields.reserveCapacity(5)
    }

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        if line.isBlankLine { return .skip }
        fields.removeAll(keepingCapacity: true)
        var scanner = ByteScanner(line)
        guard let stamp = scanner.isoDateTime(fractionSeparators: (ASCII.comma, ASCII.dot)),
            scanner.skipBlanks() > 0
        else { return continuationOrUnparsed(line) }

        // Module: up to ':', '[' or a blank.
        let moduleStart = scanner.position
        while let byte = scanner.peek(), byte != ASCII.colon, byte != ASCII.openBracket, !ASCII.isBlank(byte) {
            scanner.position += 1
        }
        let moduleEnd = scanner.position
        guard moduleEnd > moduleStart else { return continuationOrUnparsed(line) }
        scanner.skipBlanks()
        if scanner.consume(ASCII.openBracket) {
            guard let pid = scanner.digits(maxCount: 10), scanner.consume(ASCII.closeBracket) else {
                return continuationOrUnparsed(line)
            }
            fields.append(LogField(.pid, .int(Int64(pid))))
        }
        guard scanner.consume(ASCII.colon), scanner.skipBlanks() > 0 else { return continuationOrUnparsed(line) }

        let levelStart = scanner.position
        while let byte = scanner.peek(), ASCII.isLetter(byte) { scanner.position += 1 }
        guard let level = LevelWord.level(line, from: levelStart, to: scanner.position) else {
            return continuationOrUnparsed(line)
        }
        guard let timestamp = stamp.localMicros(&localTimes, time) else { return .unparsed(line) }
        scanner.skipBlanks()
        let messageStart = scanner.position
        Fail2banJailMessage.appendFields(line, &scanner, to: &fields)

        hasOpenRecord = true
        inTraceback = false
        return ParseOutcome(
            kind: .record, timestampMicros: timestamp, level: level,
            component: LogText(line, moduleStart, moduleEnd),
            message: LogText(line, messageStart, line.trimmedEnd(from: messageStart, to: line.count)),
            fields: fields
        )
    }

    private mutating func continuationOrUnparsed(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        guard hasOpenRecord else { return .unparsed(line) }
        var scanner = ByteScanner(line)
        if scanner.consume(literal: "Traceback ") { inTraceback = true }
        guard inTraceback || ASCII.isBlank(line[0]) else { return .unparsed(line) }
        return ParseOutcome(kind: .continuation, message: LogText(line, 0, line.trimmedEnd(from: 0, to: line.count)))
    }
}
