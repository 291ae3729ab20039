/// Literal matching on message bytes for the field extractors. Every index is
/// checked against the buffer, so a short or hostile message ends a match rather
/// than trapping.
extension UnsafeRawBufferPointer {
    /// Whether `literal` occurs at `index` (and fits before `end`). Inline rather than
    /// memcmp: most calls fail on the first byte, where a call would cost more than
    /// the comparison.
    @inline(__always)
    func matches(_ literal: StaticString, at index: Int, end: Int? = nil) -> Bool {
        let length = literal.utf8CodeUnitCount
        let limit = Swift.min(end ?? count, count)
        guard index >= 0, index + length <= limit, let base = baseAddress else { return false }
        let text = literal.utf8Start
        guard base.load(fromByteOffset: index, as: UInt8.self) == text[0] else { return false }
        // Eight bytes at a time for the long literals ("authentication failure;").
        var offset = 0
        let literalBytes = UnsafeRawPointer(text)
        while offset + 8 <= length {
            guard base.loadUnaligned(fromByteOffset: index + offset, as: UInt64.self)
                == literalBytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            else { return false }
            offset += 8
        }
        while offset < length {
            guard base.load(fromByteOffset: index + offset, as: UInt8.self) == text[offset] else { return false }
            offset += 1
        }
        return true
    }

    /// The start of the first `literal` in `self[from..<to]`, via memchr on one of its
    /// bytes: `anchor` (an offset into the literal), by default its first non-blank,
    /// since spaces are the commonest byte of a log message.
    func firstMatch(of literal: StaticString, from start: Int, to end: Int, anchor: Int? = nil) -> Int? {
        let length = literal.utf8CodeUnitCount
        guard length > 0 else { return nil }
        let text = literal.utf8Start
        var offset = Swift.min(Swift.max(anchor ?? 0, 0), length - 1)
        if anchor == nil { while offset < length - 1, text[offset] == ASCII.space { offset += 1 } }
        let anchorByte = text[offset]
        let lower = Swift.max(0, start)
        let limit = Swift.min(end, count)
        var index = lower + offset
        while let hit = firstIndex(of: anchorByte, from: index, to: limit - (length - offset) + 1) {
            if matches(literal, at: hit - offset, end: limit) { return hit - offset }
            index = hit + 1
        }
        return nil
    }

    /// The start of the last `literal` in `self[from..<to]`. The attacker-controlled
    /// part of an sshd line (the user name) always comes before the address sshd
    /// appends, so searching from the right finds sshd's own words, not a user's.
    func lastMatch(of literal: StaticString, from start: Int, to end: Int) -> Int? {
        let length = literal.utf8CodeUnitCount
        guard length > 0 else { return nil }
        let text = literal.utf8Start
        var offset = 0
        while offset < length - 1, text[offset] == ASCII.space { offset += 1 }
        let anchorByte = text[offset]
        let lower = Swift.max(0, start)
        let limit = Swift.min(end, count)
        var index = limit - length
        while index >= lower {
            if self[index + offset] == anchorByte, matches(literal, at: index, end: limit) { return index }
            index -= 1
        }
        return nil
    }

    /// The end of the token starting at `start`: the next space or tab, or `end`.
    @inline(__always)
    func tokenEnd(from start: Int, to end: Int) -> Int {
        var index = Swift.max(0, start)
        let limit = Swift.min(end, count)
        while index < limit, self[index] != ASCII.space, self[index] != ASCII.tab { index += 1 }
        return index
    }

    /// The start of the token ending at `end`: just after the previous space, or `start`.
    @inline(__always)
    func tokenStart(endingAt end: Int, from start: Int) -> Int {
        var index = Swift.min(end, count)
        let lower = Swift.max(0, start)
        while index > lower, self[index - 1] != ASCII.space, self[index - 1] != ASCII.tab { index -= 1 }
        return index
    }

    /// Up to 5 decimal digits at `start` as a port number, or nil.
    func port(at start: Int, to end: Int) -> Int64? {
        var value: Int64 = 0
        var index = Swift.max(0, start)
        let limit = Swift.min(end, count, index + 5)
        while index < limit, ASCII.isDigit(self[index]) {
            value = value * 10 + Int64(self[index] - ASCII.zero)
            index += 1
        }
        guard index > start, value <= 65_535 else { return nil }
        if index < Swift.min(end, count), ASCII.isDigit(self[index]) { return nil }
        return value
    }
}

extension LogText {
    /// Immortal text for the fixed values extractors emit (event and action names):
    /// a string literal outlives every parse, so borrowing it is always valid.
    init(literal: StaticString) {
        self.init(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}
