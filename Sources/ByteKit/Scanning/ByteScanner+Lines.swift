/// Line-oriented reads for files of many lines (/proc): fields end at a blank or
/// a newline, and searches stop at the end of the current line.
extension ByteScanner {
    @inlinable public var isAtLineEnd: Bool { position >= end || bytes[position] == 0x0A }

    /// Moves past the next newline (or to the end).
    @inlinable
    public mutating func skipLine() {
        while position < end {
            let byte = bytes[position]
            position += 1
            if byte == 0x0A { return }
        }
    }

    /// The range of the next run of non-blank, non-newline bytes, after optional blanks.
    @inlinable
    public mutating func readField() -> Range<Int> {
        skipBlanks()
        let start = position
        while position < end {
            let byte = bytes[position]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A { break }
            position += 1
        }
        return start..<position
    }

    /// Advances to the first `byte` on the current line and returns whether it was
    /// found; the cursor stays on it (or on the newline / end when not found).
    @inlinable
    public mutating func advanceOnLine(to byte: UInt8) -> Bool {
        while position < end, bytes[position] != 0x0A {
            if bytes[position] == byte { return true }
            position += 1
        }
        return false
    }

    /// The bytes of `range` as a String (invalid UTF-8 repaired).
    @inlinable
    public func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Whether the bytes of `range` are exactly `literal`.
    @inlinable
    public func equals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard range.count == count, range.lowerBound >= 0, range.upperBound <= end else { return false }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[range.lowerBound + offset] != start[offset] {
            return false
        }
        return true
    }
}
