import ByteKit

/// syslog files (auth.log, kern.log, syslog): RFC 3164 `Mon DD HH:MM:SS host tag[pid]: msg`,
/// the same with an RFC 3339 timestamp (rsyslog's high-precision file format), and RFC
/// 5424 `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`.
///
/// Files rarely carry the `<PRI>` prefix; when they do it gives the level, otherwise the
/// message may imply one (`error:`, sshd's failed logins: `ProgramFields`, the table
/// in docs/log-fields.md) and the level stays unknown when it does not. sshd and
/// kernel firewall lines get their security fields there too. The tag (component) may contain spaces
/// ("syslogd 1.4.1: restart.") and parentheses ("sshd(pam_unix)[19939]:").
public struct SyslogParser: LogLineParser {
    /// A tag is at most this long and has at most this many spaces; past that the
    /// "tag" is really a message that has a colon in it.
    private static let maximumTagLength = 64
    private static let maximumTagSpaces = 2

    private let time: LogTimeContext
    private var localTimes = LocalTimeCache()
    private var years = YearInference()
    private var fields: [LogField] = []

    public init(time: LogTimeContext) {
        self.time = time
        fields.reserveCapacity(12)
    }

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        if line.isBlankLine { return .skip }
        fields.removeAll(keepingCapacity: true)
        var scanner = ByteScanner(line)

        var level = LogLevel.unknown
        if let priority = Self.priority(&scanner) {
            level = LogLevel(syslogSeverity: priority & 7)
            fields.append(LogField(.facility, .int(Int64(priority >> 3))))
            if scanner.consume(literal: "1 ") {
                return parseRFC5424(line, &scanner, level)
            }
        }

        guard let timestamp = parseTimestamp(&scanner), scanner.skipBlanks() > 0 else {
            return .unparsed(line)
        }
        return parseHeaderAndMessage(line, &scanner, timestamp, level)
    }

    // MARK: - RFC 3164 and ISO-timestamped files

    /// `Mon DD HH:MM:SS[.frac]` (year inferred) or `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
    private mutating func parseTimestamp(_ scanner: inout ByteScanner) -> Int64? {
        if let first = scanner.peek(), ASCII.isDigit(first) {
            guard let stamp = scanner.isoDateTime(fractionSeparators: (ASCII.dot, ASCII.dot)) else { return nil }
            if let offset = scanner.numericZoneOffset() {
                return stamp.micros(offsetSeconds: offset)
            }
            return stamp.localMicros(&localTimes, time)
        }
        guard let month = scanner.monthName(), scanner.skipBlanks() > 0,
            let day = scanner.digits(maxCount: 2), scanner.skipBlanks() > 0,
            let clock = scanner.clockTime()
        else { return nil }
        var micros = 0
        if scanner.peek() == ASCII.dot, let digit = scanner.peek(at: 1), ASCII.isDigit(digit) {
            scanner.position += 1
            micros = scanner.fractionMicros() ?? 0
        }
        guard let year = years.year(month: month, day: day, hour: clock.hour, time) else { return nil }
        return localTimes.micros(
            time, year: year, month: month, day: day, hour: clock.hour, minute: clock.minute,
            second: clock.second, microsecond: micros
        )
    }

    /// `host tag[pid]: message` after the timestamp. The host is omitted by some
    /// writers (`Jun 14 15:16:01 sshd[42]: ...`), recognised by the token being a tag.
    private mutating func parseHeaderAndMessage(
        _ line: UnsafeRawBufferPointer, _ scanner: inout ByteScanner, _ timestamp: Int64, _ level: LogLevel
    ) -> ParseOutcome {
        let end = line.count
        let firstToken = scanner.position
        scanner.skipNonBlanks()
        let firstTokenEnd = scanner.position
        var tagStart = firstToken
        if firstTokenEnd > firstToken, line[firstTokenEnd - 1] != ASCII.colon {
            fields.append(LogField(.host, .text(LogText(line, firstToken, firstTokenEnd))))
            scanner.skipBlanks()
            tagStart = scanner.position
        }

        var component: LogText?
        var messageStart = tagStart
        if let tag = Self.tag(line, from: tagStart) {
            component = LogText(line, tagStart, tag.end)
            if let pid = tag.pid { fields.append(LogField(.pid, .int(pid))) }
            messageStart = tag.messageStart
        }
        var body = ByteScanner(line, from: messageStart)
        body.skipBlanks()
        let message = LogText(line, body.position, line.trimmedEnd(from: body.position, to: end))
        var level = level
        ProgramFields.enrich(component: component, message: message, level: &level, fields: &fields)
        return ParseOutcome(
            kind: .record, timestampMicros: timestamp, level: level, component: component, message: message,
            fields: fields
        )
    }

    /// The tag that starts at `start`: `name:` or `name[pid]:`, name without `[`/`:`.
    private static func tag(_ line: UnsafeRawBufferPointer, from start: Int) -> (end: Int, pid: Int64?, messageStart: Int)? {
        let limit = min(line.count, start + maximumTagLength)
        var spaces = 0
        var index = start
        while index < limit {
            let byte = line[index]
            if byte == ASCII.colon {
                guard index > start, index + 1 == line.count || ASCII.isBlank(line[index + 1]) else { return nil }
                return (index, nil, index + 1)
            }
            if byte == ASCII.openBracket {
                guard index > start else { return nil }
                var cursor = ByteScanner(line, from: index + 1)
                let pid = cursor.digits(maxCount: 10)
                guard cursor.consume(ASCII.closeBracket) else { return nil }
                // "name[pid]:" normally; "name[pid] message" seen from some daemons.
                _ = cursor.consume(ASCII.colon)
                return (index, pid.map { Int64($0) }, cursor.position)
            }
            if byte == ASCII.space {
                spaces += 1
                if spaces > maximumTagSpaces { return nil }
            } else if byte < ASCII.space {
                return nil
            }
            index += 1
        }
        return nil
    }

    // MARK: - RFC 5424

    /// `<PRI>` at the start: the priority number (facility * 8 + severity).
    private static func priority(_ scanner: inout ByteScanner) -> Int? {
        guard scanner.peek() == ASCII.lessThan else { return nil }
        let start = scanner.position
        scanner.position += 1
        guard let value = scanner.digits(maxCount: 3), value <= 191, scanner.consume(ASCII.greaterThan) else {
            scanner.position = start
            return nil
        }
        return value
    }

    private mutating func parseRFC5424(
        _ line: UnsafeRawBufferPointer, _ scanner: inout ByteScanner, _ level: LogLevel
    ) -> ParseOutcome {
        var timestamp: Int64 = 0
        if scanner.consume(ASCII.minus) {
            timestamp = 0
        } else {
            guard let stamp = scanner.isoDateTime(fractionSeparators: (ASCII.dot, ASCII.dot)),
                let offset = scanner.numericZoneOffset(),
                let micros = stamp.micros(offsetSeconds: offset)
            else { return .unparsed(line) }
            timestamp = micros
        }
        guard scanner.consume(ASCII.space) else { return .unparsed(line) }
        let host = Self.headerToken(line, &scanner)
        let app = Self.headerToken(line, &scanner)
        let processID = Self.headerToken(line, &scanner)
        _ = Self.headerToken(line, &scanner)  // MSGID: not worth a field
        guard let hostRange = host, let appRange = app, let procRange = processID else { return .unparsed(line) }
        if !hostRange.isEmpty {
            fields.append(LogField(.host, .text(hostRange)))
        }
        if !procRange.isEmpty {
            var digits = ByteScanner(procRange.bytes)
            if let pid = digits.digits(maxCount: 10), digits.isAtEnd {
                fields.append(LogField(.pid, .int(Int64(pid))))
            }
        }
        guard Self.skipStructuredData(line, &scanner) else { return .unparsed(line) }
        scanner.skipBlanks()
        // A UTF-8 BOM may start the message.
        if scanner.remaining >= 3, line[scanner.position] == 0xEF, line[scanner.position + 1] == 0xBB,
            line[scanner.position + 2] == 0xBF
        {
            scanner.position += 3
        }
        let message = LogText(line, scanner.position, line.trimmedEnd(from: scanner.position, to: line.count))
        let component = appRange.isEmpty ? nil : appRange
        var level = level
        ProgramFields.enrich(component: component, message: message, level: &level, fields: &fields)
        return ParseOutcome(
            kind: .record, timestampMicros: timestamp, level: level, component: component, message: message,
            fields: fields
        )
    }

    /// One space-terminated header token, empty for the NILVALUE "-"; nil if missing.
    private static func headerToken(_ line: UnsafeRawBufferPointer, _ scanner: inout ByteScanner) -> LogText? {
        let start = scanner.position
        scanner.skipNonBlanks()
        let end = scanner.position
        guard end > start else { return nil }
        _ = scanner.consume(ASCII.space)
        if end - start == 1, line[start] == ASCII.minus { return .empty }
        return LogText(line, start, end)
    }

    /// `-` or `[id param="value" ...]...`, values may hold escaped `\]` and `\"`.
    private static func skipStructuredData(_ line: UnsafeRawBufferPointer, _ scanner: inout ByteScanner) -> Bool {
        if scanner.consume(ASCII.minus) { return true }
        var sawElement = false
        while scanner.peek() == ASCII.openBracket {
            sawElement = true
            scanner.position += 1
            var inQuotes = false
            var closed = false
            while let byte = scanner.peek() {
                scanner.position += 1
                if inQuotes {
                    if byte == ASCII.backslash {
                        scanner.position += 1
                    } else if byte == ASCII.quote {
                        inQuotes = false
                    }
                } else if byte == ASCII.quote {
                    inQuotes = true
                } else if byte == ASCII.closeBracket {
                    closed = true
                    break
                }
            }
            guard closed else { return false }
        }
        return sawElement
    }
}
