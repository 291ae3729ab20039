/// What the collector stores for bytes PostgreSQL cannot hold, the same in a text
/// cell (COPY), in a JSON string it writes and in a JSON string it reads:
///
/// - invalid UTF-8: one U+FFFD per maximal invalid subpart (`UTF8Repair`);
/// - NUL (0x00, which neither `text` nor `jsonb` can store, raw or as `\u0000`):
///   U+FFFD too, so a byte never vanishes silently and `a\0b` stays three characters.
///
/// See docs/architecture.md, "Bytes, text and JSON".
public enum TextPolicy {
    /// U+FFFD REPLACEMENT CHARACTER in UTF-8.
    public static let replacementCharacter: (UInt8, UInt8, UInt8) = (0xEF, 0xBF, 0xBD)

    /// What NUL and each invalid subpart become.
    @inlinable
    public static func appendReplacement<Sink: ByteSink>(to sink: inout Sink) {
        sink.append(0xEF)
        sink.append(0xBF)
        sink.append(0xBD)
    }

    /// Appends the well-formed sequence at `index`, or U+FFFD for the maximal invalid
    /// subpart there; returns how many bytes it consumed. The step every escaping
    /// loop (COPY text, JSON strings) takes for a byte at or above 0x80.
    @inlinable
    public static func appendSequence<Sink: ByteSink>(_ bytes: UnsafeRawBufferPointer, at index: Int, to sink: inout Sink) -> Int {
        let step = UTF8Repair.sequence(bytes, at: index)
        if step.isValid {
            sink.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + step.length)]))
        } else {
            appendReplacement(to: &sink)
        }
        return step.length
    }

    /// Appends `bytes` as storable text: well-formed UTF-8 without NUL.
    @inlinable
    public static func appendStorable<Sink: ByteSink>(_ bytes: UnsafeRawBufferPointer, to sink: inout Sink) {
        UTF8Repair.appendRepaired(bytes, to: &sink, replacingNUL: true)
    }

    /// `bytes` as a storable Swift String.
    public static func storableString(_ bytes: UnsafeRawBufferPointer) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        appendStorable(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
