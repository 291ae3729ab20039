/// Decodes the contents of a JSON string (between the quotes) onto a sink.
///
/// Under `TextPolicy`, `\u0000` decodes to U+FFFD, exactly as a raw NUL is stored,
/// and so do unpaired surrogates (which no UTF-8 can hold). Bytes outside escapes
/// are copied: their UTF-8 is repaired by whoever stores or converts them. The
/// input is normally checked by `JSONTokenizer` first; if it is not, a malformed
/// `\u` escape becomes U+FFFD and an unknown escape keeps its character, so this
/// never traps. Output is never longer than input.
public enum JSONStringDecoder {
    @inlinable
    public static func appendUnescaped<Sink: ByteSink>(
        _ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, to sink: inout Sink
    ) {
        var index = start
        while index < end {
            let byte = bytes[index]
            guard byte == 0x5C, index + 1 < end else {
                sink.append(byte)
                index += 1
                continue
            }
            let escaped = bytes[index + 1]
            index += 2
            switch escaped {
            case 0x6E: sink.append(0x0A)  // \n
            case 0x74: sink.append(0x09)  // \t
            case 0x72: sink.append(0x0D)  // \r
            case 0x62: sink.append(0x08)  // \b
            case 0x66: sink.append(0x0C)  // \f
            case 0x75:  // \uXXXX
                guard let unit = hex4(bytes, index, end) else {
                    TextPolicy.appendReplacement(to: &sink)
                    continue
                }
                index += 4
                if unit >= 0xD800, unit <= 0xDBFF {
                    if index + 6 <= end, bytes[index] == 0x5C, bytes[index + 1] == 0x75,
                        let low = hex4(bytes, index + 2, end), low >= 0xDC00, low <= 0xDFFF
                    {
                        index += 6
                        appendScalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), to: &sink)
                    } else {
                        TextPolicy.appendReplacement(to: &sink)  // the next escape decodes on its own
                    }
                } else if (unit >= 0xDC00 && unit <= 0xDFFF) || unit == 0 {
                    TextPolicy.appendReplacement(to: &sink)
                } else {
                    appendScalar(unit, to: &sink)
                }
            default: sink.append(escaped)  // \" \\ \/ (and anything else verbatim)
            }
        }
    }

    /// The value of one hex digit.
    @inlinable
    public static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        case 0x41...0x46: UInt32(byte - 0x41 + 10)
        default: nil
        }
    }

    /// Four hex digits at `start` as a UTF-16 code unit; nil when malformed or cut off.
    @inlinable
    public static func hex4(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> UInt32? {
        guard start + 4 <= end else { return nil }
        var value: UInt32 = 0
        for index in start..<(start + 4) {
            guard let digit = hexValue(bytes[index]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    @inlinable
    static func appendScalar<Sink: ByteSink>(_ scalar: UInt32, to sink: inout Sink) {
        switch scalar {
        case 0..<0x80:
            sink.append(UInt8(scalar))
        case 0x80..<0x800:
            sink.append(UInt8(0xC0 | scalar >> 6))
            sink.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            sink.append(UInt8(0xE0 | scalar >> 12))
            sink.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            sink.append(UInt8(0x80 | scalar & 0x3F))
        default:
            sink.append(UInt8(0xF0 | scalar >> 18))
            sink.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            sink.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            sink.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
