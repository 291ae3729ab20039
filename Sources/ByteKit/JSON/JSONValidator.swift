/// Checks that bytes are one JSON document and says what jsonb would refuse in it,
/// so a plugin's JSON cell is stored under `TextPolicy` instead of failing a COPY.
///
/// jsonb rejects `\u0000` and unpaired surrogate escapes; they are rewritten as
/// `\ufffd` (the same six bytes, so in place), which is what the reader decodes them
/// to. Invalid UTF-8 inside strings is left to the COPY encoder, which repairs it
/// like any text. Malformed JSON is the caller's to drop (a NULL cell).
public enum JSONValidator {
    /// PostgreSQL's jsonb has no fixed depth limit; this bounds our recursion.
    public static let maximumDepth = 512

    /// Whether `bytes` is one JSON document (whitespace around it allowed).
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var tokenizer = JSONTokenizer(bytes, maximumDepth: maximumDepth)
        tokenizer.skipWhitespace()
        guard !tokenizer.isAtEnd else { return false }
        do throws(JSONError) {
            _ = try tokenizer.scanValue(depth: 0)
        } catch {
            return false
        }
        tokenizer.skipWhitespace()
        return tokenizer.isAtEnd
    }

    /// The offsets of the escapes jsonb refuses (`\u0000`, unpaired surrogates) in a
    /// document `isValid` accepted; usually empty.
    public static func unstorableEscapes(_ bytes: UnsafeRawBufferPointer) -> [Int] {
        var found: [Int] = []
        var index = bytes.firstIndex(of: 0x5C, from: 0, to: bytes.count) ?? bytes.count
        let count = bytes.count
        while index + 1 < count {
            guard bytes[index] == 0x5C else {
                index += 1
                continue
            }
            // In a valid document every backslash starts an escape inside a string.
            guard bytes[index + 1] == 0x75, let unit = JSONStringDecoder.hex4(bytes, index + 2, count) else {
                index += 2
                continue
            }
            if unit >= 0xD800, unit <= 0xDBFF, index + 12 <= count, bytes[index + 6] == 0x5C, bytes[index + 7] == 0x75,
                let low = JSONStringDecoder.hex4(bytes, index + 8, count), low >= 0xDC00, low <= 0xDFFF
            {
                index += 12  // a proper pair
                continue
            }
            if unit == 0 || (unit >= 0xD800 && unit <= 0xDFFF) { found.append(index) }
            index += 6
        }
        return found
    }

    /// Rewrites the six-byte escapes at `offsets` as `\ufffd`.
    public static func replaceEscapes(_ bytes: inout [UInt8], at offsets: [Int]) {
        let replacement: [UInt8] = [0x5C, 0x75, 0x66, 0x66, 0x66, 0x64]  // \ufffd
        for offset in offsets where offset + 6 <= bytes.count {
            bytes.replaceSubrange(offset..<(offset + 6), with: replacement)
        }
    }
}
