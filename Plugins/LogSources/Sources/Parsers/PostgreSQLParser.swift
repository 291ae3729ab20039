import ByteKit

/// PostgreSQL stderr logs with any common `log_line_prefix`:
/// `%m [%p] %q%u@%d ` (the spec's), `%t [%p]: [%l-1] user=%u,db=%d `, `%t [%p-%l] `,
/// `%m [%p] user=%u,db=%d,app=%a,client=%h `, pgbadger's `[queryid=...]`, or none.
///
/// The prefix is not configured but read: the line starts with an optional timestamp
/// (`%m`/`%t`, with the zone PostgreSQL prints), then the first `SEVERITY:  ` ends
/// the prefix, and the tokens between give pid, user, database, application and client.
///
/// Multi-line entries: PostgreSQL starts each further line of a message with a tab,
/// and writes DETAIL/HINT/STATEMENT/CONTEXT/QUERY/LOCATION as separate prefixed lines
/// of the same entry. Both continue the previous record (an attachment line of another
/// backend's pid starts a record of its own); attachments with nothing after the
/// keyword are skipped rather than stored as empty messages.
public struct PostgreSQLParser: LogLineParser {
    /// The prefix, and so the severity word, is within this many bytes of the start.
    private static let maximumPrefixLength = 1024

    private let time: LogTimeContext
    private var localTimes = LocalTimeCache()
    private var fields: [LogField] = []
    private var hasOpenRecord = false
    private var lastPid: Int64?

    public init(time: LogTimeContext) {
        self.time = time
        fields.reserveCapacity(6)
    }

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        fields.removeAll(keepingCapacity: true)
        if let first = line.first, ASCII.isBlank(first) {
            return indentedLine(line)
        }
        if line.isBlankLine { return .skip }

        var scanner = ByteScanner(line)
        var timestamp: Int64 = 0
        if let stamp = scanner.isoDateTime(fractionSeparators: (ASCII.dot, ASCII.dot)) {
            timestamp = zoned(stamp, &scanner) ?? 0
        }
        let prefixStart = scanner.position
        guard let (severity, wordStart, messageStart) = Self.findSeverity(line, from: prefixStart) else {
            return .unparsed(line)
        }
        let pid = parsePrefix(line, from: prefixStart, to: wordStart)
        let messageEnd = line.trimmedEnd(from: messageStart, to: line.count)

        switch severity {
        case .attachment:
            // "HINT:  " with nothing after it adds nothing to the entry.
            guard messageEnd > messageStart else { return .skip }
            // The keyword stays in the text: the merged message reads "...\nDETAIL:  ...".
            let samePid = pid == nil || lastPid == nil || pid == lastPid
            if hasOpenRecord, samePid {
                return ParseOutcome(kind: .continuation, message: LogText(line, wordStart, messageEnd))
            }
            // An orphan (the entry's first line was before our offset, or another pid's):
            // keep it, keyword included, as a record of its own.
            hasOpenRecord = true
            lastPid = pid
            return ParseOutcome(
                kind: .record, timestampMicros: timestamp, level: .unknown, message: LogText(line, wordStart, messageEnd),
                fields: fields
            )
        case .entry(let level):
            hasOpenRecord = true
            lastPid = pid
            return ParseOutcome(
                kind: .record, timestampMicros: timestamp, level: level, message: LogText(line, messageStart, messageEnd),
                fields: fields
            )
        }
    }

    /// A line starting with a tab or spaces: the next line of a multi-line message.
    /// PostgreSQL inserts one tab after each newline of a message; it is removed so the
    /// text reads as written (spaces, from tab-expanding tools, are kept).
    private func indentedLine(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        guard hasOpenRecord else {
            return line.isBlankLine ? .skip : .unparsed(line)
        }
        let start = line[0] == ASCII.tab ? 1 : 0
        return ParseOutcome(kind: .continuation, message: LogText(line, start, line.trimmedEnd(from: start, to: line.count)))
    }

    /// The zone after `%m`/`%t`: ` UTC`, ` MSK`, ` +03`, ` -0530`; local time otherwise.
    private mutating func zoned(_ stamp: CivilStamp, _ scanner: inout ByteScanner) -> Int64? {
        guard scanner.peek() == ASCII.space, let first = scanner.peek(at: 1) else {
            return stamp.localMicros(&localTimes, time)
        }
        let start = scanner.position
        scanner.position += 1
        if first == ASCII.plus || first == ASCII.minus {
            if let offset = scanner.numericZoneOffset(), scanner.peek().map(ASCII.isBlank) ?? true {
                return stamp.micros(offsetSeconds: offset)
            }
            scanner.position = start
            return stamp.localMicros(&localTimes, time)
        }
        let wordStart = scanner.position
        while let byte = scanner.peek(), ASCII.isLetter(byte) { scanner.position += 1 }
        let wordEnd = scanner.position
        guard wordEnd > wordStart, wordEnd - wordStart <= 5, ASCII.isUpper(scanner.bytes[wordStart]),
            scanner.peek().map(ASCII.isBlank) ?? true
        else {
            scanner.position = start
            return stamp.localMicros(&localTimes, time)
        }
        if let offset = ZoneAbbreviation.offsetSeconds(scanner.bytes, from: wordStart, to: wordEnd) {
            return stamp.micros(offsetSeconds: offset)
        }
        // A zone we cannot name: the configured local zone is the best guess.
        return stamp.localMicros(&localTimes, time)
    }

    /// The first `WORD:  ` with WORD a PostgreSQL severity, as (severity, word start,
    /// message start).
    private static func findSeverity(
        _ line: UnsafeRawBufferPointer, from start: Int
    ) -> (PostgresSeverity, Int, Int)? {
        let limit = min(line.count, start + maximumPrefixLength)
        var index = start
        while let colon = line.firstIndex(of: ASCII.colon, from: index, to: limit) {
            index = colon + 1
            // PostgreSQL writes two spaces after the severity; accept one, or the end.
            guard colon + 1 == line.count || line[colon + 1] == ASCII.space else { continue }
            var wordStart = colon
            while wordStart > start, ASCII.isAlphanumeric(line[wordStart - 1]) { wordStart -= 1 }
            guard wordStart == start || line[wordStart - 1] == ASCII.space,
                let severity = PostgresSeverity(line, from: wordStart, to: colon)
            else { continue }
            var messageStart = colon + 1
            while messageStart < line.count, line[messageStart] == ASCII.space { messageStart += 1 }
            return (severity, wordStart, messageStart)
        }
        return nil
    }

    /// Reads the prefix tokens between the timestamp and the severity into `fields`;
    /// returns the pid.
    private mutating func parsePrefix(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int64? {
        var pid: Int64?
        var index = start
        while index < end {
            while index < end, line[index] == ASCII.space { index += 1 }
            let tokenStart = index
            while index < end, line[index] != ASCII.space { index += 1 }
            var tokenEnd = index
            if tokenEnd > tokenStart, line[tokenEnd - 1] == ASCII.colon { tokenEnd -= 1 }
            guard tokenEnd > tokenStart else { continue }
            if line[tokenStart] == ASCII.openBracket, line[tokenEnd - 1] == ASCII.closeBracket {
                bracketToken(line, from: tokenStart + 1, to: tokenEnd - 1, pid: &pid)
            } else if line.firstIndex(of: ASCII.equals, from: tokenStart, to: tokenEnd) != nil {
                keyValueToken(line, from: tokenStart, to: tokenEnd)
            } else if let at = line.firstIndex(of: ASCII.at, from: tokenStart, to: tokenEnd) {
                addName(.user, line, tokenStart, at)
                addName(.database, line, at + 1, tokenEnd)
            } else if let open = line.firstIndex(of: ASCII.openParen, from: tokenStart, to: tokenEnd),
                line[tokenEnd - 1] == ASCII.closeParen
            {
                // %r: host(port)
                addName(.clientIP, line, tokenStart, open)
                var port = ByteScanner(UnsafeRawBufferPointer(rebasing: line[..<(tokenEnd - 1)]), from: open + 1)
                if let value = port.digits(maxCount: 5), port.isAtEnd {
                    fields.append(LogField(.clientPort, .int(Int64(value))))
                }
            }
        }
        if let pid { fields.append(LogField(.pid, .int(pid))) }
        return pid
    }

    /// `[1234]` (pid), `[1234-5]` (%p-%l), `[5-1]` (%l-1 after the pid), `[queryid=N]`.
    private mutating func bracketToken(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int, pid: inout Int64?) {
        let inner = UnsafeRawBufferPointer(rebasing: line[..<end])
        var scanner = ByteScanner(inner, from: start)
        if let number = scanner.digits(maxCount: 10) {
            if pid == nil, scanner.isAtEnd || scanner.peek() == ASCII.minus {
                pid = Int64(number)
            }
            return
        }
        if scanner.consume(literal: "queryid=") {
            fields.append(LogField(.queryID, .text(LogText(line, scanner.position, end))))
        }
    }

    /// `user=alice,db=app,app=psql,client=10.0.0.1` (any subset, any order).
    private mutating func keyValueToken(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int) {
        var pairStart = start
        while pairStart < end {
            let pairEnd = line.firstIndex(of: ASCII.comma, from: pairStart, to: end) ?? end
            if let equals = line.firstIndex(of: ASCII.equals, from: pairStart, to: pairEnd) {
                if let key = Self.prefixKey(LogText(line, pairStart, equals)) {
                    addName(key, line, equals + 1, pairEnd)
                }
            }
            pairStart = pairEnd + 1
        }
    }

    private static func prefixKey(_ key: LogText) -> FieldKey? {
        var packed: UInt64 = 0
        guard key.count <= 8 else { return nil }
        for byte in key.bytes { packed = packed << 8 | UInt64(ASCII.lowercased(byte)) }
        switch packed {
        case 0x75_7365_72: return .user  // user
        case 0x6462: return .database  // db
        case 0x6461_7461_6261_7365: return .database  // database
        case 0x61_7070: return .application  // app
        case 0x63_6C69_656E_74, 0x686F_7374, 0x72_656D_6F74_65: return .clientIP  // client, host, remote
        default: return nil
        }
    }

    /// Adds a name unless it is empty or PostgreSQL's `[unknown]` placeholder.
    private mutating func addName(_ key: FieldKey, _ line: UnsafeRawBufferPointer, _ start: Int, _ end: Int) {
        guard end > start else { return }
        if line[start] == ASCII.openBracket, line[end - 1] == ASCII.closeBracket { return }  // [unknown], [local]
        fields.append(LogField(key, .text(LogText(line, start, end))))
    }
}
