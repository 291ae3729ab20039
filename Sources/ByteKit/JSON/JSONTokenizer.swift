/// The one JSON reader: a strict RFC 8259 cursor over bytes. The DOM parser, the
/// validator and the journal's flat object scanner are thin layers over it.
///
/// Strings are checked (terminated, no raw control byte, valid escapes) but not
/// decoded; their UTF-8 is not judged here: decoding and storing repair it with
/// `TextPolicy`, so a bad byte inside a string costs a U+FFFD, never the document.
/// Containers nest at most `maximumDepth` deep, and every failure is a thrown
/// `JSONError`, never a trap. `@inlinable` because the journal parser runs it for
/// every member of every line from another module.
public struct JSONTokenizer {
    public static let defaultMaximumDepth = 64

    public let bytes: UnsafeRawBufferPointer
    public var position: Int
    public let maximumDepth: Int

    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, from start: Int = 0, maximumDepth: Int = JSONTokenizer.defaultMaximumDepth) {
        self.bytes = bytes
        self.position = Swift.min(Swift.max(start, 0), bytes.count)
        self.maximumDepth = maximumDepth
    }

    @inlinable @inline(__always) public var isAtEnd: Bool { position >= bytes.count }

    @inlinable @inline(__always)
    public func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    @inlinable @inline(__always)
    public mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    @inlinable @inline(__always)
    public mutating func skipWhitespace() {
        let count = bytes.count
        while position < count {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    @inlinable @inline(__always)
    public func error(_ kind: JSONError.Kind) -> JSONError {
        JSONError(kind, at: position)
    }

    /// The error for a missing byte: the end of input, or what stands there instead.
    @inlinable
    public func unexpected(_ kind: JSONError.Kind) -> JSONError {
        isAtEnd ? error(.unexpectedEnd) : error(kind)
    }

    /// Throws unless another container may open inside `depth` open ones.
    @inlinable
    public func checkDepth(_ depth: Int) throws(JSONError) {
        guard depth < maximumDepth else { throw error(.tooDeep(limit: maximumDepth)) }
    }

    // MARK: - Values

    /// The value at the cursor (whitespace already skipped), with arrays and objects
    /// skipped whole; `depth` is how many containers are open around it.
    @inlinable
    public mutating func scanValue(depth: Int) throws(JSONError) -> JSONSpan {
        guard let byte = peek() else { throw error(.unexpectedEnd) }
        let start = position
        switch byte {
        case 0x22:  // "
            return try scanString()
        case 0x5B:  // [
            try skipContainer(closing: 0x5D, keyed: false, depth: depth)
            return .array(start: start, end: position)
        case 0x7B:  // {
            try skipContainer(closing: 0x7D, keyed: true, depth: depth)
            return .object(start: start, end: position)
        case 0x74:  // t
            try scanLiteral("true")
            return .bool(true)
        case 0x66:  // f
            try scanLiteral("false")
            return .bool(false)
        case 0x6E:  // n
            try scanLiteral("null")
            return .null
        case 0x2D, 0x30...0x39:  // - 0-9
            return try scanNumber()
        default:
            throw error(.unexpectedByte(byte))
        }
    }

    /// A string at its opening quote; the span excludes the quotes.
    @inlinable
    public mutating func scanString() throws(JSONError) -> JSONSpan {
        position += 1
        let start = position
        let count = bytes.count
        var hasEscapes = false
        while position < count {
            let byte = bytes[position]
            if byte == 0x22 {
                position += 1
                return .string(start: start, end: position - 1, hasEscapes: hasEscapes)
            }
            if byte == 0x5C {
                hasEscapes = true
                try skipEscape()
                continue
            }
            guard byte >= 0x20 else { throw error(.controlCharacter(byte)) }
            position += 1
        }
        throw error(.unterminatedString)
    }

    /// One escape at its backslash: `\" \\ \/ \b \f \n \r \t` or `\u` and four hex digits.
    @inlinable
    mutating func skipEscape() throws(JSONError) {
        guard position + 1 < bytes.count else {
            position = bytes.count
            throw error(.unterminatedEscape)
        }
        let escaped = bytes[position + 1]
        switch escaped {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
            position += 2
        case 0x75:  // u
            position += 2
            guard position + 4 <= bytes.count else { throw error(.truncatedUnicodeEscape) }
            for _ in 0..<4 {
                let byte = bytes[position]
                guard JSONStringDecoder.hexValue(byte) != nil else { throw error(.invalidHexDigit(byte)) }
                position += 1
            }
        default:
            position += 1
            throw error(.invalidEscape(escaped))
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    @inlinable
    public mutating func scanNumber() throws(JSONError) -> JSONSpan {
        let start = position
        _ = consume(0x2D)
        if !consume(0x30) {
            guard skipDigits() > 0 else { throw error(.expectedDigit) }
        }
        if consume(0x2E) {
            guard skipDigits() > 0 else { throw error(.expectedFractionDigit) }
        }
        if let byte = peek(), byte | 0x20 == 0x65 {  // e or E
            position += 1
            if !consume(0x2B) { _ = consume(0x2D) }
            guard skipDigits() > 0 else { throw error(.expectedExponentDigit) }
        }
        return .number(start: start, end: position)
    }

    @inlinable @inline(__always)
    mutating func skipDigits() -> Int {
        let start = position
        let count = bytes.count
        while position < count, bytes[position] &- 0x30 < 10 { position += 1 }
        return position - start
    }

    @inlinable
    public mutating func scanLiteral(_ word: StaticString) throws(JSONError) {
        let length = word.utf8CodeUnitCount
        guard position + length <= bytes.count else { throw error(.unexpectedEnd) }
        let expected = word.utf8Start
        for offset in 0..<length where bytes[position + offset] != expected[offset] {
            throw error(.invalidLiteral(expected: word))
        }
        position += length
    }

    /// Skips the array or object at its opening bracket, checking everything inside.
    /// Recursion is bounded by `maximumDepth`.
    @usableFromInline
    mutating func skipContainer(closing: UInt8, keyed: Bool, depth: Int) throws(JSONError) {
        try checkDepth(depth)
        position += 1
        skipWhitespace()
        if consume(closing) { return }
        while true {
            skipWhitespace()
            if keyed {
                guard peek() == 0x22 else { throw unexpected(.expectedKey) }
                _ = try scanString()
                skipWhitespace()
                guard consume(0x3A) else { throw unexpected(.expectedColon) }
                skipWhitespace()
            }
            _ = try scanValue(depth: depth + 1)
            skipWhitespace()
            if consume(closing) { return }
            guard consume(0x2C) else { throw unexpected(.expectedCommaOrClose(closing)) }
        }
    }
}
