/// Numbers at the cursor. Two families: the log parsers' exact-width readers
/// (`fixedDigits`, `digits(maxCount:)`, `fractionMicros`), which never skip
/// anything, and the /proc readers (`readUInt64`, `readInt64`, `readDecimal`),
/// which skip leading blanks and saturate instead of trapping on absurd input.
extension ByteScanner {
    /// Exactly `count` decimal digits as a number.
    @inlinable @inline(__always)
    public mutating func fixedDigits(_ count: Int) -> Int? {
        guard remaining >= count else { return nil }
        var value = 0
        for offset in 0..<count {
            let digit = bytes[position + offset] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        position += count
        return value
    }

    /// One to `maxCount` decimal digits as a number (a longer run does not match).
    /// At most 18 digits are ever read, so the value cannot overflow.
    @inlinable @inline(__always)
    public mutating func digits(maxCount requested: Int) -> Int? {
        let maxCount = Swift.min(requested, 18)
        var value = 0
        var count = 0
        while position + count < end {
            let digit = bytes[position + count] &- 0x30
            guard digit < 10 else { break }
            count += 1
            if count > maxCount { return nil }
            value = value * 10 + Int(digit)
        }
        guard count > 0 else { return nil }
        position += count
        return value
    }

    /// Skips a run of decimal digits; returns its length.
    @inlinable @inline(__always)
    @discardableResult
    public mutating func skipDigits() -> Int {
        let start = position
        while position < end, bytes[position] &- 0x30 < 10 { position += 1 }
        return position - start
    }

    /// A fraction's digits after the separator, as microseconds (digits beyond six
    /// are read and dropped; nanoseconds are common).
    @inlinable
    public mutating func fractionMicros() -> Int? {
        var micros = 0
        var count = 0
        while position < end {
            let digit = bytes[position] &- 0x30
            guard digit < 10 else { break }
            if count < 6 { micros = micros * 10 + Int(digit) }
            count += 1
            position += 1
        }
        guard count > 0 else { return nil }
        var scale = count
        while scale < 6 {
            micros *= 10
            scale += 1
        }
        return micros
    }

    /// An unsigned decimal after optional blanks; nil when there are no digits.
    /// Saturates at `UInt64.max` on absurdly long numbers.
    @inlinable
    public mutating func readUInt64() -> UInt64? {
        skipBlanks()
        var value: UInt64 = 0
        let start = position
        while position < end {
            let digit = bytes[position] &- 0x30
            guard digit < 10 else { break }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(UInt64(digit))
            value = (overflowA || overflowB) ? UInt64.max : sum
            position += 1
        }
        return position > start ? value : nil
    }

    /// A signed decimal after optional blanks (stat's priority and nice can be negative).
    @inlinable
    public mutating func readInt64() -> Int64? {
        skipBlanks()
        let negative = consume(0x2D)  // -
        guard let magnitude = readUInt64() else { return nil }
        let clamped = Int64(clamping: magnitude)
        return negative ? -clamped : clamped
    }

    /// A "12.34" style decimal after optional blanks (loadavg), computed as one
    /// division of exact integers so the result is the literal's nearest Double.
    @inlinable
    public mutating func readDecimal() -> Double? {
        guard let whole = readUInt64() else { return nil }
        guard consume(0x2E) else { return Double(whole) }  // .
        var scaled = whole
        var scale: UInt64 = 1
        while position < end, scale < 1_000_000_000_000 {
            let digit = bytes[position] &- 0x30
            guard digit < 10 else { break }
            scaled = scaled &* 10 &+ UInt64(digit)
            scale &*= 10
            position += 1
        }
        skipDigits()
        return Double(scaled) / Double(scale)
    }
}
