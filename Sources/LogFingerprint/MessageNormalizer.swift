/// The one-pass rewrite of a message into its pattern: UUIDs → `<UUID>`, IPv4 and
/// IPv6 addresses → `<IP>`, hex runs → `<HEX>`, remaining digit runs → `#`.
///
/// Tokens are recognised only where a word starts (after a byte that is not a letter,
/// digit or `_`), longest pattern first, so "sha256" stays "sha#" and "1.2.3.4.5"
/// (a version, not an address) becomes "#.#.#.#.#". Hex means a run of at least eight
/// hex digits with at least one digit and one letter, or anything `0x`-prefixed.
enum MessageNormalizer {
    static let uuidToken: StaticString = "<UUID>"
    static let ipToken: StaticString = "<IP>"
    static let hexToken: StaticString = "<HEX>"
    static let digitToken: UInt8 = 0x23  // "#"

    /// The output never exceeds this for `inputCount` bytes: the largest growth is
    /// "0x1" → "<HEX>", 5 bytes for 3.
    static func maximumOutputCount(_ inputCount: Int) -> Int {
        inputCount * 2 + 8
    }

    /// Writes the normalised form of `input` to `output` (which must hold
    /// `maximumOutputCount(input.count)` bytes) and returns its length.
    static func normalize(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        var writer = Writer(output)
        let count = input.count
        var index = 0
        var previousIsWord = false
        while index < count {
            let byte = input[index]
            let kind = byteClass[Int(byte)]
            if kind == plain {
                writer.put(byte)
                previousIsWord = false
                index += 1
                continue
            }
            if kind == wordLetter {
                writer.put(byte)
                previousIsWord = true
                index += 1
                continue
            }
            // A digit, a hex letter or a colon.
            if !previousIsWord, let end = match(input, at: index, into: &writer) {
                index = end
                previousIsWord = byteClass[Int(input[end - 1])] != plain && input[end - 1] != colon
                continue
            }
            if kind == digit {
                writer.put(digitToken)
                index += 1
                while index < count, isDigit(input[index]) { index += 1 }
            } else {
                writer.put(byte)
                index += 1
            }
            previousIsWord = kind != colonByte
        }
        return writer.count
    }

    /// Appends the normalised form of `input` to `output` (convenience for one-off use).
    static func normalize(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        let start = output.count
        let capacity = maximumOutputCount(input.count)
        output.append(contentsOf: repeatElement(0, count: capacity))
        let written = output.withUnsafeMutableBytes { buffer in
            normalize(input, into: UnsafeMutableRawBufferPointer(rebasing: buffer[start...]))
        }
        output.removeLast(capacity - written)
    }

    /// Tries UUID, IPv4, IPv6 and hex at a word start; writes the token and returns
    /// the end of the match. Each pattern is tried only when the byte after the
    /// leading hex run can continue it, so ordinary words cost one lookup.
    private static func match(_ input: UnsafeRawBufferPointer, at start: Int, into writer: inout Writer) -> Int? {
        let first = input[start]
        let hexLength = hexRunLength(input, from: start)
        let next: UInt8 = start + hexLength < input.count ? input[start + hexLength] : 0
        if hexLength == 8, next == minus, let end = uuidEnd(input, start) {
            writer.put(uuidToken)
            return end
        }
        if next == dot, hexLength <= 3, isDigit(first), let end = ipv4End(input, start) {
            writer.put(ipToken)
            return end
        }
        if (next == colon && hexLength <= 4) || first == colon, let end = ipv6End(input, start) {
            writer.put(ipToken)
            return end
        }
        if hexLength >= 8 || (first == zero && hexLength == 1 && next | 0x20 == 0x78),
            let end = hexEnd(input, start, hexLength)
        {
            writer.put(hexToken)
            return end
        }
        return nil
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    private static func uuidEnd(_ input: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        var index = start
        for groupIndex in 0..<5 {
            let groupLength = groupIndex == 0 ? 8 : groupIndex == 4 ? 12 : 4
            if groupIndex > 0 {
                guard index < input.count, input[index] == minus else { return nil }
                index += 1
            }
            guard hexRunLength(input, from: index) == groupLength else { return nil }
            index += groupLength
        }
        return endsWord(input, index) ? index : nil
    }

    /// Four dotted decimal octets 0-255, not part of a longer dotted number.
    private static func ipv4End(_ input: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        if start > 0, input[start - 1] == dot { return nil }
        var index = start
        for octet in 0..<4 {
            if octet > 0 {
                guard index < input.count, input[index] == dot else { return nil }
                index += 1
            }
            var value = 0
            var digits = 0
            while index < input.count, isDigit(input[index]), digits < 4 {
                value = value * 10 + Int(input[index] - zero)
                digits += 1
                index += 1
            }
            guard digits >= 1, digits <= 3, value <= 255 else { return nil }
        }
        // "1.2.3.4.5" and "1.2.3.45a" are not addresses.
        if index + 1 < input.count, input[index] == dot, isDigit(input[index + 1]) { return nil }
        return endsWord(input, index) ? index : nil
    }

    /// Colon-separated groups of one to four hex digits: eight of them, or fewer with
    /// one `::`; an IPv4 tail (`::ffff:1.2.3.4`) counts as two groups. Requires a
    /// `::` or eight groups, so clock times (`12:34:56`) never match.
    private static func ipv6End(_ input: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        let count = input.count
        var index = start
        var groups = 0
        var sawDoubleColon = false
        var end = start
        if index + 1 < count, input[index] == colon, input[index + 1] == colon {
            sawDoubleColon = true
            index += 2
            end = index
        } else if input[index] == colon {
            return nil
        }
        while index < count {
            let length = hexRunLength(input, from: index)
            guard length >= 1 else { break }
            if length <= 3, isDigit(input[index]), index + length < count, input[index + length] == dot,
                let ipv4 = ipv4End(input, index)
            {
                groups += 2
                end = ipv4
                index = ipv4
                break
            }
            guard length <= 4 else { return nil }
            groups += 1
            index += length
            end = index
            guard index < count, input[index] == colon else { break }
            if index + 1 < count, input[index + 1] == colon {
                guard !sawDoubleColon else { break }
                sawDoubleColon = true
                index += 2
                end = index
            } else {
                index += 1
            }
        }
        guard groups >= 1, sawDoubleColon ? groups <= 7 : groups == 8 else { return nil }
        // A match may not be followed by more word bytes ("::1abc") or a lone colon
        // that would make it a longer, non-address token.
        return endsWord(input, end) ? end : nil
    }

    /// `0x` + hex digits, or ≥ 8 hex digits mixing digits and letters.
    private static func hexEnd(_ input: UnsafeRawBufferPointer, _ start: Int, _ hexLength: Int) -> Int? {
        if input[start] == zero, start + 2 < input.count, input[start + 1] | 0x20 == 0x78 {
            let length = hexRunLength(input, from: start + 2)
            let end = start + 2 + length
            return length > 0 && endsWord(input, end) ? end : nil
        }
        guard hexLength >= 8, endsWord(input, start + hexLength) else { return nil }
        var hasDigit = false
        var hasLetter = false
        for index in start..<(start + hexLength) {
            if isDigit(input[index]) { hasDigit = true } else { hasLetter = true }
            if hasDigit && hasLetter { return start + hexLength }
        }
        return nil
    }

    // MARK: - Bytes

    private static let colon: UInt8 = 0x3A
    private static let dot: UInt8 = 0x2E
    private static let minus: UInt8 = 0x2D
    private static let zero: UInt8 = 0x30

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }

    @inline(__always) private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20) &- 0x61 < 6
    }

    @inline(__always) private static func isWordByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20) &- 0x61 < 26 || byte == 0x5F
    }

    private static func hexRunLength(_ input: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < input.count, isHexDigit(input[index]) { index += 1 }
        return index - start
    }

    private static func endsWord(_ input: UnsafeRawBufferPointer, _ index: Int) -> Bool {
        index >= input.count || !isWordByte(input[index])
    }

    // Byte classes for the main loop.
    private static let plain: UInt8 = 0  // punctuation, space, non-ASCII: copied, ends a word
    private static let wordLetter: UInt8 = 1  // g-z, G-Z, "_": copied, inside a word
    private static let digit: UInt8 = 2
    private static let hexLetter: UInt8 = 3  // a-f, A-F
    private static let colonByte: UInt8 = 4

    private static let byteClass: [UInt8] = (0..<256).map { value -> UInt8 in
        let byte = UInt8(value)
        if isDigit(byte) { return digit }
        if (byte | 0x20) &- 0x61 < 6 { return hexLetter }
        if (byte | 0x20) &- 0x61 < 26 || byte == 0x5F { return wordLetter }
        if byte == colon { return colonByte }
        return plain
    }

    /// Sequential writes into the caller's buffer, bounds-checked.
    private struct Writer {
        let buffer: UnsafeMutableRawBufferPointer
        var count = 0

        init(_ buffer: UnsafeMutableRawBufferPointer) {
            self.buffer = buffer
        }

        @inline(__always) mutating func put(_ byte: UInt8) {
            guard count < buffer.count else { return }
            buffer[count] = byte
            count += 1
        }

        mutating func put(_ token: StaticString) {
            let start = token.utf8Start
            for index in 0..<token.utf8CodeUnitCount { put(start[index]) }
        }
    }
}
