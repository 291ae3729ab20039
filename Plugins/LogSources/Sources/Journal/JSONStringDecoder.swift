/// Decodes JSON string contents and journald byte arrays into a scratch buffer.
enum JSONStringDecoder {
    /// Unescapes `line[start..<end]` (between the quotes) onto the end of `scratch`.
    /// Unpaired surrogates and malformed `\u` escapes become U+FFFD; an unknown escape
    /// keeps its character. Output is never longer than input.
    static func appendUnescaped(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int, to scratch: ScratchBuffer) {
        var index = start
        while index < end {
            let byte = line[index]
            guard byte == ASCII.backslash, index + 1 < end else {
                scratch.append(byte)
                index += 1
                continue
            }
            let escaped = line[index + 1]
            index += 2
            switch escaped {
            case 0x6E: scratch.append(0x0A)  // \n
            case 0x74: scratch.append(0x09)  // \t
            case 0x72: scratch.append(0x0D)  // \r
            case 0x62: scratch.append(0x08)  // \b
            case 0x66: scratch.append(0x0C)  // \f
            case 0x75:  // \uXXXX
                guard let unit = hex4(line, index, end) else {
                    appendScalar(0xFFFD, to: scratch)
                    continue
                }
                index += 4
                if unit >= 0xD800, unit <= 0xDBFF {
                    if index + 6 <= end, line[index] == ASCII.backslash, line[index + 1] == 0x75,
                        let low = hex4(line, index + 2, end), low >= 0xDC00, low <= 0xDFFF
                    {
                        index += 6
                        appendScalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), to: scratch)
                    } else {
                        appendScalar(0xFFFD, to: scratch)
                    }
                } else if unit >= 0xDC00, unit <= 0xDFFF {
                    appendScalar(0xFFFD, to: scratch)
                } else {
                    appendScalar(unit, to: scratch)
                }
            default: scratch.append(escaped)  // \" \\ \/ and anything else verbatim
            }
        }
    }

    /// Decodes a journald byte array `[85,110,...]` (the whole array, brackets
    /// included) onto the end of `scratch` as raw bytes. False if it is not an array of
    /// integers 0-255.
    static func appendByteArray(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int, to scratch: ScratchBuffer) -> Bool {
        var scanner = ByteScanner(UnsafeRawBufferPointer(rebasing: line[..<end]), from: start)
        guard scanner.consume(ASCII.openBracket) else { return false }
        JSONObjectScanner.skipWhitespace(&scanner)
        if scanner.consume(ASCII.closeBracket) { return true }
        while true {
            JSONObjectScanner.skipWhitespace(&scanner)
            guard let value = scanner.digits(maxCount: 3), value <= 255 else { return false }
            scratch.append(UInt8(value))
            JSONObjectScanner.skipWhitespace(&scanner)
            if scanner.consume(ASCII.closeBracket) { return true }
            guard scanner.consume(ASCII.comma) else { return false }
        }
    }

    private static func hex4(_ line: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> UInt32? {
        guard start + 4 <= end else { return nil }
        var value: UInt32 = 0
        for index in start..<(start + 4) {
            let byte = line[index]
            let digit: UInt8
            switch byte {
            case ASCII.zero...ASCII.nine: digit = byte - ASCII.zero
            case 0x61...0x66: digit = byte - 0x61 + 10
            case 0x41...0x46: digit = byte - 0x41 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private static func appendScalar(_ scalar: UInt32, to scratch: ScratchBuffer) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
