/// Lossy UTF-8 as Unicode recommends ("maximal subpart" replacement, what
/// `String(decoding:as:)` does): each maximal invalid subsequence becomes ONE U+FFFD.
/// `E2 82 41` is U+FFFD then `A` (the truncated sequence is one subpart); `C0 AF`
/// is two U+FFFD (C0 never starts a sequence, AF alone is a stray continuation).
/// The one implementation behind every path that stores or decodes text.
public enum UTF8Repair {
    /// The sequence at `index`: its length and whether it is well formed. A valid
    /// ASCII byte is `(1, true)`; an invalid one reports the length of the maximal
    /// subpart one U+FFFD replaces (at least 1).
    @inlinable
    public static func sequence(_ bytes: UnsafeRawBufferPointer, at index: Int) -> (length: Int, isValid: Bool) {
        let lead = bytes[index]
        if lead < 0x80 { return (1, true) }
        // Unicode Table 3-7: the length a lead byte announces and its second byte's range.
        let length: Int
        let low: UInt8
        let high: UInt8
        switch lead {
        case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
        case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, low, high) = (3, 0x80, 0xBF)
        case 0xED: (length, low, high) = (3, 0x80, 0x9F)  // no surrogates
        case 0xF0: (length, low, high) = (4, 0x90, 0xBF)  // no overlongs
        case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
        case 0xF4: (length, low, high) = (4, 0x80, 0x8F)  // nothing past U+10FFFF
        default: return (1, false)
        }
        let count = bytes.count
        guard index + 1 < count, bytes[index + 1] >= low, bytes[index + 1] <= high else { return (1, false) }
        var consumed = 2
        while consumed < length {
            guard index + consumed < count, bytes[index + consumed] & 0xC0 == 0x80 else { return (consumed, false) }
            consumed += 1
        }
        return (length, true)
    }

    /// Whether all of `bytes` is well-formed UTF-8 (the common case: no copy needed).
    @inlinable
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        firstInvalidOffset(bytes) == nil
    }

    /// Where the first ill-formed sequence of `bytes` starts, or nil when all of it
    /// is well-formed UTF-8 (for inputs that are refused rather than repaired, such
    /// as the configuration file, whose error names the line).
    @inlinable
    public static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        let count = bytes.count
        while index < count {
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            let step = sequence(bytes, at: index)
            guard step.isValid else { return index }
            index += step.length
        }
        return nil
    }

    /// Appends `bytes` with each maximal invalid subpart replaced by U+FFFD. NUL is
    /// copied unless `replacingNUL` (`TextPolicy.appendStorable`, for storage).
    @inlinable
    public static func appendRepaired<Sink: ByteSink>(
        _ bytes: UnsafeRawBufferPointer, to sink: inout Sink, replacingNUL: Bool = false
    ) {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte >= 0x80 {
                index += TextPolicy.appendSequence(bytes, at: index, to: &sink)
                continue
            }
            if byte == 0, replacingNUL { TextPolicy.appendReplacement(to: &sink) } else { sink.append(byte) }
            index += 1
        }
    }
}
