/// Literal matching on message bytes for the field extractors. Every index is
/// checked against the buffer, so a short or hostile message ends a match rather
/// than trapping.
extension UnsafeRawBufferPointer {
    /// Whether `literal` occurs at `index` (and fits before `end`).
    @inline(__always)
    func matches(_ literal: StaticString, at index: Int, end: Int? = nil) -> Bool {
        let length = literal.utf8CodeUnitCount
        let limit = Swift.min(end ?? count, count)
        guard index >= 0, index + length <= limit else { return false }
        let text = literal.utf8Start
        for offset in 0..<length where self[index + offset] != text[offset] {
            return false
        }
        return true
    }

    /// The start of the first `literal` in `self[from..<to]`, via memchr on its first byte.
    func firstMatch(of literal: StaticString, from start: Int, to end: Int) -> Int? {
        let length = literal.utf8CodeUnitCount
        guard length > 0 else { return nil }
        let first = literal.utf8Start[0]
        var index = Swift.max(0, start)
        let limit = Swift.min(end, count)
        while let hit = firstIndex(of: first, from: index, to: limit - length + 1) {
            if matches(literal, at: hit, end: limit) { return hit }
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
        let lower = Swift.max(0, start)
        var index = Swift.min(end, count) - length
        let first = literal.utf8Start[0]
        while index >= lower {
            if self[index] == first, matches(literal, at: index, end: end) { return index }
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
