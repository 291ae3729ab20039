#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Searches and trims on raw bytes, clamped to the buffer so no index traps.
extension UnsafeRawBufferPointer {
    /// memchr over `self[from..<to]`.
    @inlinable
    public func firstIndex(of byte: UInt8, from: Int, to: Int) -> Int? {
        let lower = Swift.max(0, from)
        let upper = Swift.min(count, to)
        guard lower < upper, let base = baseAddress else { return nil }
        guard let hit = memchr(base + lower, Int32(byte), upper - lower) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    /// The first index of the two-byte sequence `first second` in `self[from..<to]`.
    @inlinable
    public func firstIndex(of first: UInt8, _ second: UInt8, from: Int, to: Int) -> Int? {
        var index = from
        let upper = Swift.min(count, to)
        while let hit = firstIndex(of: first, from: index, to: upper - 1) {
            if self[hit + 1] == second { return hit }
            index = hit + 1
        }
        return nil
    }

    /// The end index after trimming trailing ASCII whitespace (space, tab, LF, VT,
    /// FF, CR: CR is left over from CRLF files) from `self[start..<end]`.
    @inlinable
    public func trimmedEnd(from start: Int, to end: Int) -> Int {
        var upper = Swift.min(end, count)
        while upper > start {
            let byte = self[upper - 1]
            guard byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) else { break }
            upper -= 1
        }
        return upper
    }

    /// Whether the bytes are empty or only whitespace.
    @inlinable
    public var isBlankLine: Bool {
        trimmedEnd(from: 0, to: count) == 0
    }
}
