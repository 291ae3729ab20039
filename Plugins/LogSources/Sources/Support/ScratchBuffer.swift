import ByteKit

/// Bytes a parser decodes into (JSON unescaping, byte-array MESSAGEs, ANSI
/// stripping), at a fixed address so outcomes can point into it like into the line.
///
/// `reset(reserving:)` at the start of a parse reserves room for everything that
/// parse can write, so appends never move earlier bytes; an append beyond the
/// reservation is dropped rather than written out of bounds.
final class ScratchBuffer: ByteSink {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        self.base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 8)
    }

    deinit {
        base.deallocate()
    }

    /// Forgets previous contents and makes room for `byteCount` bytes.
    func reset(reserving byteCount: Int) {
        count = 0
        guard byteCount > capacity else { return }
        base.deallocate()
        capacity = byteCount
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
    }

    @inline(__always) func append(_ byte: UInt8) {
        guard count < capacity else { return }
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    func append(bytes: UnsafeRawBufferPointer) {
        let length = min(bytes.count, capacity - count)
        guard length > 0, let source = bytes.baseAddress else { return }
        (base + count).copyMemory(from: source, byteCount: length)
        count += length
    }

    /// Drops bytes after `newCount` (for in-place rewriting of the tail).
    func truncate(to newCount: Int) {
        count = max(0, min(count, newCount))
    }

    /// The writable bytes `start..<end` (for in-place rewriting).
    func mutableBytes(from start: Int, to end: Int) -> UnsafeMutableRawBufferPointer {
        let lower = max(0, min(start, count))
        let upper = max(lower, min(end, count))
        return UnsafeMutableRawBufferPointer(start: base + lower, count: upper - lower)
    }

    func text(from start: Int, to end: Int) -> LogText {
        LogText(UnsafeRawBufferPointer(mutableBytes(from: start, to: end)))
    }
}
