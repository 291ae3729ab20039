import ByteKit

/// journald writes a field that is not valid UTF-8 (or holds binary) as an array of
/// byte values, `"MESSAGE":[85,110,...]`.
enum JournalByteArray {
    /// Decodes the array `line[start..<end]` (brackets included) onto the end of
    /// `scratch` as raw bytes. False if it is not an array of integers 0-255.
    static func append(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int, to scratch: ScratchBuffer) -> Bool {
        var scanner = ByteScanner(UnsafeRawBufferPointer(rebasing: line[..<end]), from: start)
        guard scanner.consume(ASCII.openBracket) else { return false }
        scanner.skipJSONWhitespace()
        if scanner.consume(ASCII.closeBracket) { return true }
        while true {
            scanner.skipJSONWhitespace()
            guard let value = scanner.digits(maxCount: 3), value <= 255 else { return false }
            scratch.append(UInt8(value))
            scanner.skipJSONWhitespace()
            if scanner.consume(ASCII.closeBracket) { return true }
            guard scanner.consume(ASCII.comma) else { return false }
        }
    }
}
