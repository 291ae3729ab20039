/// Lossy UTF-8: copies bytes, replacing each maximal invalid subsequence by U+FFFD,
/// as `String(decoding:as:)` does, without creating a String.
enum UTF8Repair {
    private static let replacement: (UInt8, UInt8, UInt8) = (0xEF, 0xBF, 0xBD)

    static func appendLossy(_ bytes: UnsafeRawBufferPointer, to scratch: ScratchBuffer) {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                scratch.append(lead)
                index += 1
                continue
            }
            let length = validSequenceLength(bytes, at: index)
            if length > 0 {
                scratch.append(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + length)]))
                index += length
            } else {
                scratch.append(replacement.0)
                scratch.append(replacement.1)
                scratch.append(replacement.2)
                index += max(1, invalidSubsequenceLength(bytes, at: index))
            }
        }
    }

    /// Whether the bytes are valid UTF-8 (the common case: no copy needed).
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < bytes.count {
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            let length = validSequenceLength(bytes, at: index)
            guard length > 0 else { return false }
            index += length
        }
        return true
    }

    /// The well-formed sequences a lead byte can start (Unicode Table 3-7): their
    /// length and the range of their second byte; nil for a byte that starts none.
    private static func sequenceShape(lead: UInt8) -> (length: Int, secondLow: UInt8, secondHigh: UInt8)? {
        switch lead {
        case 0xC2...0xDF: (2, 0x80, 0xBF)
        case 0xE0: (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80, 0xBF)
        case 0xED: (3, 0x80, 0x9F)
        case 0xF0: (4, 0x90, 0xBF)
        case 0xF1...0xF3: (4, 0x80, 0xBF)
        case 0xF4: (4, 0x80, 0x8F)
        default: nil
        }
    }

    /// Length of the valid multi-byte sequence at `index`, or 0.
    private static func validSequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int {
        guard let (length, secondLow, secondHigh) = sequenceShape(lead: bytes[index]) else { return 0 }
        guard index + length <= bytes.count else { return 0 }
        let second = bytes[index + 1]
        guard second >= secondLow, second <= secondHigh else { return 0 }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 {
            return 0
        }
        return length
    }

    /// How many bytes one U+FFFD replaces: the lead plus the continuation bytes that
    /// were valid so far (the "maximal subpart").
    private static func invalidSubsequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int {
        guard let (length, secondLow, secondHigh) = sequenceShape(lead: bytes[index]) else { return 1 }
        var consumed = 1
        if index + 1 < bytes.count, bytes[index + 1] >= secondLow, bytes[index + 1] <= secondHigh {
            consumed = 2
            while consumed < length, index + consumed < bytes.count, bytes[index + consumed] & 0xC0 == 0x80 {
                consumed += 1
            }
        }
        return consumed
    }
}
