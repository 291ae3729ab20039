/// A borrowed run of bytes: a slice of the parsed line or of memory the parser owns.
///
/// Valid only until the next `parse` call on the same parser (or until the line's
/// buffer is released), exactly like the strings of `pqc_log_record`. Bytes may be
/// invalid UTF-8 or contain NUL: the host repairs them when storing.
public struct LogText: @unchecked Sendable {
    public let bytes: UnsafeRawBufferPointer

    public static let empty = LogText(UnsafeRawBufferPointer(start: nil, count: 0))

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// `line[start..<end]`, clamped to the line, never trapping.
    init(_ line: UnsafeRawBufferPointer, _ start: Int, _ end: Int) {
        let lower = max(0, min(start, line.count))
        let upper = max(lower, min(end, line.count))
        self.bytes = UnsafeRawBufferPointer(rebasing: line[lower..<upper])
    }

    public var count: Int { bytes.count }
    public var isEmpty: Bool { bytes.isEmpty }

    /// A copy as a Swift String, invalid UTF-8 replaced by U+FFFD (for tests and logs,
    /// not for the hot path).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// A copy of the bytes.
    public var array: [UInt8] { Array(bytes) }
}
