#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward cursor over one line's bytes. Every read is bounds-checked against
/// `end` so malformed input ends a match instead of trapping.
struct ByteScanner {
    let bytes: UnsafeRawBufferPointer
    var position: Int
    let end: Int

    init(_ bytes: UnsafeRawBufferPointer, from start: Int = 0) {
        self.bytes = bytes
        self.end = bytes.count
        self.position = min(max(start, 0), bytes.count)
    }

    @inline(__always) var isAtEnd: Bool { position >= end }
    @inline(__always) var remaining: Int { end - position }

    @inline(__always) func peek() -> UInt8? {
        position < end ? bytes[position] : nil
    }

    @inline(__always) func peek(at offset: Int) -> UInt8? {
        let index = position + offset
        return index >= 0 && index < end ? bytes[index] : nil
    }

    @inline(__always) mutating func consume(_ byte: UInt8) -> Bool {
        guard position < end, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// Consumes an exact ASCII literal.
    mutating func consume(literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard remaining >= count else { return false }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[position + offset] != start[offset] {
            return false
        }
        position += count
        return true
    }

    /// Exactly `count` decimal digits as a number.
    mutating func fixedDigits(_ count: Int) -> Int? {
        guard remaining >= count else { return nil }
        var value = 0
        for offset in 0..<count {
            let byte = bytes[position + offset]
            guard ASCII.isDigit(byte) else { return nil }
            value = value * 10 + Int(byte &- ASCII.zero)
        }
        position += count
        return value
    }

    /// One to `maxCount` decimal digits as a number (a longer run does not match).
    /// At most 18 digits are ever read, so the value cannot overflow.
    mutating func digits(maxCount requested: Int) -> Int? {
        let maxCount = min(requested, 18)
        var value = 0
        var count = 0
        while position + count < end, ASCII.isDigit(bytes[position + count]) {
            count += 1
            if count > maxCount { return nil }
            value = value * 10 + Int(bytes[position + count - 1] &- ASCII.zero)
        }
        guard count > 0 else { return nil }
        position += count
        return value
    }

    /// A fraction's digits after the separator, as microseconds (extra digits
    /// beyond six are read and dropped; nanoseconds are common).
    mutating func fractionMicros() -> Int? {
        var micros = 0
        var count = 0
        while position < end, ASCII.isDigit(bytes[position]) {
            if count < 6 { micros = micros * 10 + Int(bytes[position] &- ASCII.zero) }
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

    @discardableResult
    mutating func skipBlanks() -> Int {
        let start = position
        while position < end, ASCII.isBlank(bytes[position]) { position += 1 }
        return position - start
    }

    /// Advances to the next occurrence of `byte` (memchr), or returns nil and stays.
    mutating func advance(to byte: UInt8) -> Bool {
        guard let index = bytes.firstIndex(of: byte, from: position, to: end) else { return false }
        position = index
        return true
    }

    /// Advances over bytes that are not blank; returns the run's start.
    @discardableResult
    mutating func skipNonBlanks() -> Int {
        let start = position
        while position < end, !ASCII.isBlank(bytes[position]) { position += 1 }
        return start
    }
}

extension UnsafeRawBufferPointer {
    /// memchr over `self[from..<to]`, clamped to the buffer.
    func firstIndex(of byte: UInt8, from: Int, to: Int) -> Int? {
        let lower = Swift.max(0, from)
        let upper = Swift.min(count, to)
        guard lower < upper, let base = baseAddress else { return nil }
        guard let hit = memchr(base + lower, Int32(byte), upper - lower) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    /// The first index of the two-byte sequence `first second` in `self[from..<to]`.
    func firstIndex(of first: UInt8, _ second: UInt8, from: Int, to: Int) -> Int? {
        var index = from
        let upper = Swift.min(count, to)
        while let hit = firstIndex(of: first, from: index, to: upper - 1) {
            if self[hit + 1] == second { return hit }
            index = hit + 1
        }
        return nil
    }

    /// End index after trimming trailing ASCII whitespace (spaces, tabs, CR) from `self[start..<end]`.
    func trimmedEnd(from start: Int, to end: Int) -> Int {
        var upper = Swift.min(end, count)
        while upper > start, ASCII.isWhitespace(self[upper - 1]) { upper -= 1 }
        return upper
    }

    /// Whether the line is empty or only whitespace.
    var isBlankLine: Bool {
        trimmedEnd(from: 0, to: count) == 0
    }
}
