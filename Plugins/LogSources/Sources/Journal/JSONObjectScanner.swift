/// A strict-enough JSON reader for one line holding one object, written for
/// `journalctl -o json` output: it walks members in place, without building a tree
/// and without Foundation. Any malformation — truncated text, a raw control byte in
/// a string, trailing garbage, nesting deeper than `maximumDepth` — is a thrown
/// `JSONSyntaxError`, never a trap.
struct JSONObjectScanner {
    static let maximumDepth = 64

    private var scanner: ByteScanner
    private var finished = false
    private var expectComma = false

    init(_ line: UnsafeRawBufferPointer) throws(JSONSyntaxError) {
        scanner = ByteScanner(line)
        Self.skipWhitespace(&scanner)
        guard scanner.consume(ASCII.openBrace) else { throw .notAnObject }
    }

    /// The next member, or nil after the closing brace (and only whitespace after it).
    mutating func nextMember() throws(JSONSyntaxError) -> JSONMember? {
        guard !finished else { return nil }
        Self.skipWhitespace(&scanner)
        guard let byte = scanner.peek() else { throw .truncated }
        if byte == ASCII.closeBrace {
            scanner.position += 1
            Self.skipWhitespace(&scanner)
            guard scanner.isAtEnd else { throw .trailingBytes(at: scanner.position) }
            finished = true
            return nil
        }
        if expectComma {
            guard scanner.consume(ASCII.comma) else { throw .unexpectedByte(at: scanner.position) }
            Self.skipWhitespace(&scanner)
        }
        guard scanner.peek() == ASCII.quote else {
            throw scanner.isAtEnd ? .truncated : .unexpectedByte(at: scanner.position)
        }
        guard case .string(let keyStart, let keyEnd, _) = try Self.value(&scanner, depth: 1) else {
            throw .unexpectedByte(at: scanner.position)
        }
        Self.skipWhitespace(&scanner)
        guard scanner.consume(ASCII.colon) else {
            throw scanner.isAtEnd ? .truncated : .unexpectedByte(at: scanner.position)
        }
        Self.skipWhitespace(&scanner)
        let value = try Self.value(&scanner, depth: 1)
        expectComma = true
        return JSONMember(keyStart: keyStart, keyEnd: keyEnd, value: value)
    }

    /// The first element of the array at `start` (its `[`), or nil if it is empty.
    static func firstElement(_ line: UnsafeRawBufferPointer, arrayStart start: Int) throws(JSONSyntaxError) -> JSONValue? {
        var scanner = ByteScanner(line, from: start + 1)
        skipWhitespace(&scanner)
        if scanner.peek() == ASCII.closeBracket { return nil }
        return try value(&scanner, depth: 1)
    }

    // MARK: - Values

    static func value(_ scanner: inout ByteScanner, depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= maximumDepth else { throw .tooDeep }
        guard let byte = scanner.peek() else { throw .truncated }
        let start = scanner.position
        switch byte {
        case ASCII.quote:
            return try string(&scanner)
        case ASCII.openBracket:
            scanner.position += 1
            try members(&scanner, closing: ASCII.closeBracket, keyed: false, depth: depth)
            return .array(start: start, end: scanner.position)
        case ASCII.openBrace:
            scanner.position += 1
            try members(&scanner, closing: ASCII.closeBrace, keyed: true, depth: depth)
            return .object(start: start, end: scanner.position)
        case 0x74:  // t
            try literal(&scanner, "true")
            return .bool
        case 0x66:  // f
            try literal(&scanner, "false")
            return .bool
        case 0x6E:  // n
            try literal(&scanner, "null")
            return .null
        case ASCII.minus, ASCII.zero...ASCII.nine:
            return try number(&scanner)
        default:
            throw .unexpectedByte(at: start)
        }
    }

    private static func string(_ scanner: inout ByteScanner) throws(JSONSyntaxError) -> JSONValue {
        scanner.position += 1
        let start = scanner.position
        var hasEscapes = false
        while let byte = scanner.peek() {
            if byte == ASCII.quote {
                scanner.position += 1
                return .string(start: start, end: scanner.position - 1, hasEscapes: hasEscapes)
            }
            if byte == ASCII.backslash {
                hasEscapes = true
                scanner.position += 2
                continue
            }
            guard byte >= 0x20 else { throw .unexpectedByte(at: scanner.position) }
            scanner.position += 1
        }
        throw .truncated
    }

    private static func number(_ scanner: inout ByteScanner) throws(JSONSyntaxError) -> JSONValue {
        let start = scanner.position
        _ = scanner.consume(ASCII.minus)
        guard scanner.skipDigits() > 0 else {
            throw scanner.isAtEnd ? .truncated : .unexpectedByte(at: scanner.position)
        }
        if scanner.consume(ASCII.dot) {
            guard scanner.skipDigits() > 0 else { throw .unexpectedByte(at: scanner.position) }
        }
        if let exponent = scanner.peek(), exponent | 0x20 == 0x65 {  // e or E
            scanner.position += 1
            if !scanner.consume(ASCII.plus) { _ = scanner.consume(ASCII.minus) }
            guard scanner.skipDigits() > 0 else { throw .unexpectedByte(at: scanner.position) }
        }
        return .number(start: start, end: scanner.position)
    }

    private static func literal(_ scanner: inout ByteScanner, _ word: StaticString) throws(JSONSyntaxError) {
        guard scanner.consume(literal: word) else {
            throw scanner.remaining < word.utf8CodeUnitCount ? .truncated : .unexpectedByte(at: scanner.position)
        }
    }

    /// The elements of an array or the members of an object, after the opening byte.
    private static func members(
        _ scanner: inout ByteScanner, closing: UInt8, keyed: Bool, depth: Int
    ) throws(JSONSyntaxError) {
        skipWhitespace(&scanner)
        if scanner.consume(closing) { return }
        while true {
            skipWhitespace(&scanner)
            if keyed {
                guard scanner.peek() == ASCII.quote else {
                    throw scanner.isAtEnd ? .truncated : .unexpectedByte(at: scanner.position)
                }
                _ = try string(&scanner)
                skipWhitespace(&scanner)
                guard scanner.consume(ASCII.colon) else {
                    throw scanner.isAtEnd ? .truncated : .unexpectedByte(at: scanner.position)
                }
                skipWhitespace(&scanner)
            }
            _ = try value(&scanner, depth: depth + 1)
            skipWhitespace(&scanner)
            if scanner.consume(closing) { return }
            guard scanner.consume(ASCII.comma) else {
                throw scanner.isAtEnd ? .truncated : .unexpectedByte(at: scanner.position)
            }
        }
    }

    static func skipWhitespace(_ scanner: inout ByteScanner) {
        while let byte = scanner.peek(), byte == ASCII.space || byte == ASCII.tab || byte == 0x0A || byte == 0x0D {
            scanner.position += 1
        }
    }
}

extension ByteScanner {
    /// Skips a run of decimal digits; returns its length.
    @discardableResult
    mutating func skipDigits() -> Int {
        let start = position
        while position < end, ASCII.isDigit(bytes[position]) { position += 1 }
        return position - start
    }
}
