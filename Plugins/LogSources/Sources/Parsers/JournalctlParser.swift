import ByteKit

/// `journalctl -o json` output: one JSON object per line.
///
/// `MESSAGE` may be a string, a byte array (binary or non-UTF-8 payloads, decoded as
/// lossy UTF-8), null (too long without `--all`) or an array of values (a field
/// given twice; the first wins). Terminal escapes are stripped, and a Rust
/// `tracing` prefix in the message gives the level and the component (its target)
/// in place of `PRIORITY` and `SYSLOG_IDENTIFIER`. `__REALTIME_TIMESTAMP` is the time.
/// The cursor is the host's business (positions), not a context field.
///
/// Strings without escapes are handed out as ranges of the line; anything decoded
/// lives in the parser's scratch buffer until the next call.
public struct JournalctlParser: LogLineParser {
    private var scratch = ScratchBuffer()
    private var fields: [LogField] = []

    public init() {
        fields.reserveCapacity(12)
    }

    public mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        if line.isBlankLine { return .skip }
        // Value semantics: a copied parser gets its own scratch before writing.
        if !isKnownUniquelyReferenced(&scratch) { scratch = ScratchBuffer() }
        // Decoding never grows text beyond 1.5x (a byte array's invalid bytes become
        // U+FFFD), and several strings share the buffer: 3x the line is always enough.
        scratch.reset(reserving: line.count * 3 + 64)
        fields.removeAll(keepingCapacity: true)
        do {
            return try parseObject(line)
        } catch {
            return .unparsed(line)
        }
    }

    private mutating func parseObject(_ line: UnsafeRawBufferPointer) throws(JSONError) -> ParseOutcome {
        var object = try JSONObjectScanner(line)
        var message = LogText.empty
        var level = LogLevel.unknown
        var timestamp: Int64 = 0
        var identifier: LogText?
        var command: LogText?

        while let member = try object.nextMember() {
            guard let key = JournalKey(line, from: member.keyStart, to: member.keyEnd) else { continue }
            switch key {
            case .message:
                message = try decodeMessage(line, member.value)
            case .priority:
                if let digits = text(line, member.value), let value = Self.integer(digits), value <= 7 {
                    level = LogLevel(syslogSeverity: Int(value))
                }
            case .realtimeTimestamp:
                if let digits = text(line, member.value), let value = Self.integer(digits) {
                    timestamp = value
                }
            case .pid:
                if let digits = text(line, member.value), let value = Self.integer(digits) {
                    fields.append(LogField(.pid, .int(value)))
                }
            case .syslogIdentifier:
                identifier = text(line, member.value)
                identifier.map { fields.append(LogField(.syslogIdentifier, .text($0))) }
            case .systemdUnit:
                text(line, member.value).map { fields.append(LogField(.unit, .text($0))) }
            case .hostname:
                text(line, member.value).map { fields.append(LogField(.host, .text($0))) }
            case .command:
                command = text(line, member.value)
            }
        }

        var component = identifier ?? command
        if let tracing = RustTracingPrefix(message.bytes) {
            level = tracing.level
            if tracing.targetEnd > tracing.targetStart {
                component = LogText(message.bytes, tracing.targetStart, tracing.targetEnd)
            }
            message = LogText(message.bytes, tracing.messageStart, message.count)
        }
        message = LogText(message.bytes, 0, message.bytes.trimmedEnd(from: 0, to: message.count))
        // sshd and kernel firewall fields come from SYSLOG_IDENTIFIER, not a tracing target.
        ProgramFields.enrich(component: identifier, message: message, level: &level, fields: &fields)
        return ParseOutcome(
            kind: .record, timestampMicros: timestamp, level: level, component: component, message: message,
            fields: fields
        )
    }

    /// The MESSAGE value as clean text: unescaped or byte-decoded, valid UTF-8 for
    /// byte arrays, terminal escapes removed.
    private mutating func decodeMessage(_ line: UnsafeRawBufferPointer, _ value: JSONSpan) throws(JSONError) -> LogText {
        switch value {
        case .string(let start, let end, let hasEscapes):
            let hasEscapeByte = line.firstIndex(of: ASCII.escape, from: start, to: end) != nil
            guard hasEscapes || hasEscapeByte else { return LogText(line, start, end) }
            let decodedStart = scratch.count
            JSONStringDecoder.appendUnescaped(line, from: start, to: end, to: &scratch)
            return stripEscapes(from: decodedStart)
        case .array(let start, let end):
            guard let first = try JSONObjectScanner.firstElement(line, arrayStart: start) else { return .empty }
            switch first {
            case .number:
                return decodeBytes(line, start, end)
            case .string, .array:
                // The field was logged more than once: take the first value.
                return try decodeMessage(line, first)
            default:
                return .empty
            }
        default:
            return .empty  // null: journald dropped a long message (run without --all)
        }
    }

    private mutating func decodeBytes(_ line: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> LogText {
        let rawStart = scratch.count
        guard JournalByteArray.append(line, from: start, to: end, to: scratch) else {
            scratch.truncate(to: rawStart)
            return .empty
        }
        let raw = scratch.text(from: rawStart, to: scratch.count)
        if UTF8Repair.isValid(raw.bytes) {
            return stripEscapes(from: rawStart)
        }
        let repairedStart = scratch.count
        UTF8Repair.appendRepaired(raw.bytes, to: &scratch)
        return stripEscapes(from: repairedStart)
    }

    /// Strips terminal escapes from the scratch bytes after `start`, in place.
    private mutating func stripEscapes(from start: Int) -> LogText {
        let region = scratch.mutableBytes(from: start, to: scratch.count)
        let length = ANSIEscapeStripper.strip(region)
        scratch.truncate(to: start + length)
        return scratch.text(from: start, to: start + length)
    }

    /// A string value as text (unescaped into scratch if needed); nil for non-strings.
    private mutating func text(_ line: UnsafeRawBufferPointer, _ value: JSONSpan) -> LogText? {
        switch value {
        case .string(let start, let end, let hasEscapes):
            guard hasEscapes else { return LogText(line, start, end) }
            let decodedStart = scratch.count
            JSONStringDecoder.appendUnescaped(line, from: start, to: end, to: &scratch)
            return scratch.text(from: decodedStart, to: scratch.count)
        case .number(let start, let end):
            return LogText(line, start, end)
        default:
            return nil
        }
    }

    private static func integer(_ text: LogText) -> Int64? {
        var scanner = ByteScanner(text.bytes)
        guard let value = scanner.digits(maxCount: 18), scanner.isAtEnd else { return nil }
        return Int64(value)
    }
}
