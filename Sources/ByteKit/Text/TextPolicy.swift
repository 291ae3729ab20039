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

    /// Appends `bytes` as storable text: well-formed UTF-8 without NUL.
    @inlinable
    public static func appendStorable<Sink: ByteSink>(_ bytes: UnsafeRawBufferPointer, to sink: inout Sink) {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte != 0, byte < 0x80 {
                sink.append(byte)
                index += 1
                continue
            }
            let step = UTF8Repair.sequence(bytes, at: index)
            if step.isValid, byte != 0 {
                sink.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + step.length)]))
            } else {
                appendReplacement(to: &sink)
            }
            index += step.length
        }
    }

    /// `bytes` as a storable Swift String.
    public static func storableString(_ bytes: UnsafeRawBufferPointer) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        appendStorable(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
