import ByteKit

/// Apache httpd error logs.
///
/// 2.4: `[Sat Jul 20 21:34:49.453232 2013] [module:level] [pid N:tid M] [client IP:port] AHnnnnn: msg`
/// 2.2: `[Wed Jul 17 23:20:45 2013] [level] [client IP] msg`
///
/// Times are local (the server's zone) and go through the injected conversion. The
/// module becomes the component; pid, tid, client IP/port and the AHnnnnn code become
/// fields. Lines httpd writes without a prefix (startup warnings on stderr) are
/// unparsed, so they are still stored. With `ErrorLog syslog` the same body follows
/// a syslog header (`Feb 15 16:23:00 srv httpd[22034]: [authz_core:error] ...`), which
/// is read too, so a source pointed at such a file gets the same fields.
public struct ApacheErrorParser: LogLineParser {
    private let time: LogTimeContext
    private var localTimes = LocalTimeCache()
    private var fields: [LogField] = []
    private var syslogHeader: SyslogParser

    public init(time: LogTimeContext) {
        self.time = time
        self.syslogHeader = SyslogParser(time: time)
        fields.reserveCapacity(6)
    }

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        if line.isBlankLine { return .skip }
        fields.removeAll(keepingCapacity: true)
        var scanner = ByteScanner(line)
        guard scanner.consume(ASCII.openBracket) else { return parseViaSyslog(line) }
        guard let timestamp = parseTimestamp(&scanner), scanner.consume(ASCII.closeBracket) else {
            return .unparsed(line)
        }
        return parseBody(line, &scanner, timestamp)
    }

    /// `ErrorLog syslog`: a syslog header, then `[module:level] ...` without a timestamp.
    private mutating func parseViaSyslog(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        let header = syslogHeader.parse(line)
        guard header.kind == .record, let messageBase = header.message.bytes.baseAddress,
            let lineBase = line.baseAddress, header.message.bytes.first == ASCII.openBracket
        else { return .unparsed(line) }
        for field in header.fields where field.key == .host {
            fields.append(field)
        }
        var scanner = ByteScanner(line, from: lineBase.distance(to: messageBase))
        return parseBody(line, &scanner, header.timestampMicros)
    }

    /// Everything after the timestamp: `[module:level] [pid ...] [client ...] message`.
    private mutating func parseBody(
        _ line: UnsafeRawBufferPointer, _ scanner: inout ByteScanner, _ timestamp: Int64
    ) -> ParseOutcome {
        var level = LogLevel.unknown
        var component: LogText?
        var isVersion24 = false
        scanner.skipBlanks()
        if let (tokenStart, tokenEnd) = Self.bracketToken(line, scanner.position) {
            if let colon = line.firstIndex(of: ASCII.colon, from: tokenStart, to: tokenEnd) {
                // 2.4 "[module:level]"; the module is empty for some ("[:error]" from mod_php).
                if let named = LevelWord.level(line, from: colon + 1, to: tokenEnd) {
                    level = named
                    isVersion24 = true
                    if colon > tokenStart { component = LogText(line, tokenStart, colon) }
                    scanner.position = tokenEnd + 1
                }
            } else if let named = LevelWord.level(line, from: tokenStart, to: tokenEnd) {
                level = named  // 2.2 "[level]"
                scanner.position = tokenEnd + 1
            }
        }
        parseTags(line, &scanner, addressesHavePorts: isVersion24)

        scanner.skipBlanks()
        let messageStart = scanner.position
        let startsWithStatus = scanner.peek() == ASCII.openParen
        if startsWithStatus {
            addClientAfterStatus(line, messageStart, addressesHavePorts: isVersion24)
        }
        if let code = Self.errorCode(line, messageStart, afterStatus: startsWithStatus) {
            fields.append(LogField(.errorCode, .text(code)))
        }
        let message = LogText(line, messageStart, line.trimmedEnd(from: messageStart, to: line.count))
        return ParseOutcome(
            kind: .record, timestampMicros: timestamp, level: level, component: component, message: message,
            fields: fields
        )
    }

    /// `Sat Jul 20 21:34:49[.453232] 2013` (the weekday is not checked).
    private mutating func parseTimestamp(_ scanner: inout ByteScanner) -> Int64? {
        guard scanner.remaining > 24 else { return nil }
        scanner.position += 3  // weekday
        guard scanner.skipBlanks() > 0, let month = scanner.monthName(), scanner.skipBlanks() > 0,
            let day = scanner.digits(maxCount: 2), scanner.skipBlanks() > 0,
            let clock = scanner.clockTime()
        else { return nil }
        var micros = 0
        if scanner.consume(ASCII.dot) {
            guard let fraction = scanner.fractionMicros() else { return nil }
            micros = fraction
        }
        guard scanner.skipBlanks() > 0, let year = scanner.fixedDigits(4) else { return nil }
        return localTimes.micros(
            time, year: year, month: month, day: day, hour: clock.hour, minute: clock.minute,
            second: clock.second, microsecond: micros
        )
    }

    /// `[pid N(:tid M)]`, `[client ADDR]`, `[remote ADDR]` in any order; stops at the
    /// first thing that is not one of them (the message may itself start with `[`).
    private mutating func parseTags(_ line: UnsafeRawBufferPointer, _ scanner: inout ByteScanner, addressesHavePorts: Bool) {
        while true {
            scanner.skipBlanks()
            guard let (tokenStart, tokenEnd) = Self.bracketToken(line, scanner.position) else { break }
            var token = ByteScanner(UnsafeRawBufferPointer(rebasing: line[..<tokenEnd]), from: tokenStart)
            if token.consume(literal: "pid ") {
                guard let pid = token.digits(maxCount: 10) else { break }
                fields.append(LogField(.pid, .int(Int64(pid))))
                if token.consume(literal: ":tid "), let tid = token.digits(maxCount: 18) {
                    fields.append(LogField(.tid, .int(Int64(tid))))
                }
            } else if token.consume(literal: "client ") || token.consume(literal: "remote ") {
                let isClient = line[tokenStart] == 0x63  // "c"
                if isClient || !fields.contains(where: { $0.key == .clientIP }) {
                    addAddress(line, from: token.position, to: tokenEnd, hasPort: addressesHavePorts)
                }
            } else {
                break
            }
            scanner.position = tokenEnd + 1
        }
    }

    /// 2.4 puts the APR status before the client: `(13)Permission denied: [client 1.2.3.4:5]
    /// AH00035: ...`. The message keeps it all; the address still becomes a field.
    private mutating func addClientAfterStatus(_ line: UnsafeRawBufferPointer, _ start: Int, addressesHavePorts: Bool) {
        let searchEnd = min(line.count, start + 256)
        var index = start
        while let colon = line.firstIndex(of: ASCII.colon, from: index, to: searchEnd) {
            var cursor = ByteScanner(UnsafeRawBufferPointer(rebasing: line[..<searchEnd]), from: colon + 1)
            if cursor.consume(literal: " [client "),
                let (tokenStart, tokenEnd) = Self.bracketToken(line, colon + 2)
            {
                addAddress(line, from: tokenStart + 7, to: tokenEnd, hasPort: addressesHavePorts)
                return
            }
            index = colon + 1
        }
    }

    /// `1.2.3.4:5678` and `::1:59840` (2.4 always appends the port, IPv6 unbracketed),
    /// `[2001:db8::1]:5678`, or `1.2.3.4` and `2001:db8::1` (2.2, never a port).
    private mutating func addAddress(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int, hasPort: Bool) {
        guard start < end else { return }
        var ipStart = start
        var ipEnd = end
        var portStart: Int?
        if line[start] == ASCII.openBracket {
            guard let close = line.firstIndex(of: ASCII.closeBracket, from: start, to: end) else { return }
            ipStart = start + 1
            ipEnd = close
            if close + 1 < end, line[close + 1] == ASCII.colon { portStart = close + 2 }
        } else if hasPort {
            // The port follows the last colon.
            var colon = end - 1
            while colon > start, line[colon] != ASCII.colon { colon -= 1 }
            if colon > start, colon + 1 < end {
                ipEnd = colon
                portStart = colon + 1
            }
        } else if let colon = line.firstIndex(of: ASCII.colon, from: start, to: end),
            line.firstIndex(of: ASCII.colon, from: colon + 1, to: end) == nil
        {
            ipEnd = colon  // one colon: a 2.2-style line with a port after all
            portStart = colon + 1
        }
        guard ipEnd > ipStart else { return }
        fields.append(LogField(.clientIP, .text(LogText(line, ipStart, ipEnd))))
        if let portStart {
            var port = ByteScanner(UnsafeRawBufferPointer(rebasing: line[..<end]), from: portStart)
            if let value = port.digits(maxCount: 5), port.isAtEnd {
                fields.append(LogField(.clientPort, .int(Int64(value))))
            }
        }
    }

    /// The contents of `[...]` starting at `start`, as (first byte, index of `]`).
    /// The closing bracket is the last one before the next `] ` or the line's end, so
    /// `[client [::1]:80]` is one token.
    private static func bracketToken(_ line: UnsafeRawBufferPointer, _ start: Int) -> (Int, Int)? {
        guard start < line.count, line[start] == ASCII.openBracket else { return nil }
        let searchEnd = min(line.count, start + 256)
        var index = start + 1
        while let close = line.firstIndex(of: ASCII.closeBracket, from: index, to: searchEnd) {
            if close + 1 == line.count || line[close + 1] == ASCII.space { return (start + 1, close) }
            index = close + 1
        }
        return nil
    }

    /// `AHnnnnn:` at the start of the message, or after an APR status
    /// (`(2)No such file or directory: AH01597: ...`).
    private static func errorCode(_ line: UnsafeRawBufferPointer, _ start: Int, afterStatus: Bool) -> LogText? {
        if let code = errorCode(line, at: start) { return code }
        guard afterStatus else { return nil }
        let searchEnd = min(line.count, start + 256)
        var index = start
        while let colon = line.firstIndex(of: ASCII.colon, from: index, to: searchEnd) {
            if colon + 1 < line.count, line[colon + 1] == ASCII.space, let code = errorCode(line, at: colon + 2) {
                return code
            }
            index = colon + 1
        }
        return nil
    }

    private static func errorCode(_ line: UnsafeRawBufferPointer, at start: Int) -> LogText? {
        guard start + 8 <= line.count, line[start] == 0x41, line[start + 1] == 0x48,  // "AH"
            line[start + 7] == ASCII.colon
        else { return nil }
        for index in (start + 2)..<(start + 7) where !ASCII.isDigit(line[index]) {
            return nil
        }
        return LogText(line, start, start + 7)
    }
}
