/// A forward cursor over bytes (a log line, a /proc file, a JSON document). Every
/// read is bounds-checked against `end`, so malformed input ends a match instead of
/// trapping. Everything is `@inlinable`: the parsers call these per byte from other
/// modules, and a non-inlined call per byte would cost them most of their speed.
public struct ByteScanner {
    public let bytes: UnsafeRawBufferPointer
    public var position: Int
    public let end: Int

    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, from start: Int = 0) {
        self.bytes = bytes
        self.end = bytes.count
        self.position = Swift.min(Swift.max(start, 0), bytes.count)
    }

    @inlinable
    public init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) {
        self.init(UnsafeRawBufferPointer(bytes), from: start)
    }

    @inlinable @inline(__always) public var isAtEnd: Bool { position >= end }
    @inlinable @inline(__always) public var remaining: Int { end - position }

    @inlinable @inline(__always)
    public func peek() -> UInt8? {
        position < end ? bytes[position] : nil
    }

    @inlinable @inline(__always)
    public func peek(at offset: Int) -> UInt8? {
        let index = position + offset
        return index >= 0 && index < end ? bytes[index] : nil
    }

    @inlinable @inline(__always)
    public mutating func consume(_ byte: UInt8) -> Bool {
        guard position < end, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// Consumes an exact ASCII literal.
    @inlinable @inline(__always)
    public mutating func consume(literal: StaticString) -> Bool {
        guard hasPrefix(literal) else { return false }
        position += literal.utf8CodeUnitCount
        return true
    }

    /// Whether the bytes at the cursor start with `prefix` (the cursor stays).
    @inlinable
    public func hasPrefix(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard remaining >= count else { return false }
        let start = prefix.utf8Start
        for offset in 0..<count where bytes[position + offset] != start[offset] {
            return false
        }
        return true
    }

    /// Skips spaces and tabs, never a newline; returns how many.
    @inlinable @inline(__always)
    @discardableResult
    public mutating func skipBlanks() -> Int {
        let start = position
        while position < end, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
        return position - start
    }

    /// Advances over bytes that are not blank; returns the run's start.
    @inlinable
    @discardableResult
    public mutating func skipNonBlanks() -> Int {
        let start = position
        while position < end, bytes[position] != 0x20, bytes[position] != 0x09 { position += 1 }
        return start
    }

    /// Skips JSON whitespace: space, tab, LF, CR.
    @inlinable
    public mutating func skipJSONWhitespace() {
        while position < end {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
            position += 1
        }
    }

    /// Advances to the next occurrence of `byte` anywhere ahead (memchr), or
    /// returns false and stays.
    @inlinable
    public mutating func advance(to byte: UInt8) -> Bool {
        guard let index = bytes.firstIndex(of: byte, from: position, to: end) else { return false }
        position = index
        return true
    }
}
