/// A forward cursor over the bytes of a /proc file. All parsers are built on
/// it so no String is created until a value is known to be wanted.
struct ByteScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    var isAtEnd: Bool { index >= bytes.count }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Skips spaces and tabs, never a newline.
    mutating func skipBlanks() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    }

    /// Moves past the next newline (or to the end).
    mutating func skipLine() {
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == 0x0A { return }
        }
    }

    var isAtLineEnd: Bool { index >= bytes.count || bytes[index] == 0x0A }

    /// True when the bytes at the cursor start with `prefix`.
    func hasPrefix(_ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { expected in
            guard bytes.count - index >= expected.count else { return false }
            for offset in 0..<expected.count where bytes[index + offset] != expected[offset] {
                return false
            }
            return true
        }
    }

    /// Parses an unsigned decimal after optional blanks; nil when there are no
    /// digits. Saturates instead of trapping on absurdly long numbers.
    mutating func readUInt64() -> UInt64? {
        skipBlanks()
        var value: UInt64 = 0
        let start = index
        while index < bytes.count {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { break }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(UInt64(digit))
            value = (overflowA || overflowB) ? UInt64.max : sum
            index += 1
        }
        return index > start ? value : nil
    }

    /// Parses a signed decimal (stat's priority and nice fields can be negative).
    mutating func readInt64() -> Int64? {
        skipBlanks()
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard let magnitude = readUInt64() else { return nil }
        let clamped = Int64(clamping: magnitude)
        return negative ? -clamped : clamped
    }

    /// Parses "12.34" style decimals (loadavg). Computed as one division of
    /// exact integers so the result equals the literal's nearest Double.
    mutating func readDecimal() -> Double? {
        guard let whole = readUInt64() else { return nil }
        guard index < bytes.count, bytes[index] == UInt8(ascii: ".") else { return Double(whole) }
        index += 1
        var scaled = whole
        var scale: UInt64 = 1
        while index < bytes.count, scale < 1_000_000_000_000 {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { break }
            scaled = scaled &* 10 &+ UInt64(digit)
            scale &*= 10
            index += 1
        }
        while index < bytes.count, bytes[index] &- 0x30 < 10 { index += 1 }
        return Double(scaled) / Double(scale)
    }

    /// The range of the next run of non-blank, non-newline bytes.
    mutating func readField() -> Range<Int> {
        skipBlanks()
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A { break }
            index += 1
        }
        return start..<index
    }

    /// Advances to the first `byte` on the current line and returns whether it
    /// was found; the cursor stays on it.
    mutating func advance(toByte byte: UInt8) -> Bool {
        while index < bytes.count, bytes[index] != 0x0A {
            if bytes[index] == byte { return true }
            index += 1
        }
        return false
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    func equals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { expected in
            guard range.count == expected.count else { return false }
            for offset in 0..<expected.count where bytes[range.lowerBound + offset] != expected[offset] {
                return false
            }
            return true
        }
    }
}
