/// Where the byte-level writers and decoders append: a `[UInt8]` or a parser's
/// fixed scratch buffer. A protocol rather than a closure so `@inlinable` callers
/// specialise to direct appends on the hot paths.
public protocol ByteSink {
    mutating func append(_ byte: UInt8)
    mutating func append(bytes: UnsafeRawBufferPointer)
}

extension Array: ByteSink where Element == UInt8 {
    @inlinable
    public mutating func append(bytes: UnsafeRawBufferPointer) {
        append(contentsOf: bytes)
    }
}
