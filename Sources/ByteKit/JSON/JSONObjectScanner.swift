/// The flat scan of one line holding one JSON object (`journalctl -o json`): it
/// hands out the members in place, without building a tree. Nested values are
/// checked and skipped whole. Any malformation (truncated text, a raw control byte
/// in a string, trailing garbage, nesting deeper than `maximumDepth`) is a thrown
/// `JSONError`.
public struct JSONObjectScanner {
    /// One `"key": value`; the key is its raw bytes `keyStart..<keyEnd`, undecoded.
    public struct Member {
        public var keyStart: Int
        public var keyEnd: Int
        public var value: JSONSpan

        @inlinable
        public init(keyStart: Int, keyEnd: Int, value: JSONSpan) {
            self.keyStart = keyStart
            self.keyEnd = keyEnd
            self.value = value
        }
    }

    @usableFromInline var tokenizer: JSONTokenizer
    @usableFromInline var finished = false
    @usableFromInline var expectComma = false

    @inlinable
    public init(_ line: UnsafeRawBufferPointer, maximumDepth: Int = JSONTokenizer.defaultMaximumDepth) throws(JSONError) {
        tokenizer = JSONTokenizer(line, maximumDepth: maximumDepth)
        tokenizer.skipWhitespace()
        guard tokenizer.consume(0x7B) else { throw tokenizer.error(.notAnObject) }
    }

    /// The next member, or nil after the closing brace (and only whitespace after it).
    @inlinable
    public mutating func nextMember() throws(JSONError) -> Member? {
        guard !finished else { return nil }
        tokenizer.skipWhitespace()
        guard let byte = tokenizer.peek() else { throw tokenizer.error(.unexpectedEnd) }
        if byte == 0x7D {
            tokenizer.position += 1
            tokenizer.skipWhitespace()
            guard tokenizer.isAtEnd else { throw tokenizer.error(.trailingData) }
            finished = true
            return nil
        }
        if expectComma {
            guard tokenizer.consume(0x2C) else { throw tokenizer.error(.expectedCommaOrClose(0x7D)) }
            tokenizer.skipWhitespace()
        }
        guard tokenizer.peek() == 0x22 else { throw tokenizer.unexpected(.expectedKey) }
        guard case .string(let keyStart, let keyEnd, _) = try tokenizer.scanString() else {
            throw tokenizer.error(.expectedKey)
        }
        tokenizer.skipWhitespace()
        guard tokenizer.consume(0x3A) else { throw tokenizer.unexpected(.expectedColon) }
        tokenizer.skipWhitespace()
        let value = try tokenizer.scanValue(depth: 1)
        expectComma = true
        return Member(keyStart: keyStart, keyEnd: keyEnd, value: value)
    }

    /// The first element of the array whose `[` is at `start`, or nil if it is empty.
    @inlinable
    public static func firstElement(_ line: UnsafeRawBufferPointer, arrayStart start: Int) throws(JSONError) -> JSONSpan? {
        var tokenizer = JSONTokenizer(line, from: start + 1)
        tokenizer.skipWhitespace()
        if tokenizer.peek() == 0x5D { return nil }
        return try tokenizer.scanValue(depth: 1)
    }
}
