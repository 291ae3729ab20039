/// Whether a run of bytes is a textual IPv4 or IPv6 address, without allocating:
/// the extractors use it to tell sshd's address from a host name (UseDNS, PAM's
/// rhost) and to reject a token that only looks like one.
enum IPAddressText {
    static func isAddress(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard start >= 0, end <= bytes.count, end > start else { return false }
        return isIPv4(bytes, start, end) || isIPv6(bytes, start, end)
    }

    /// Dotted quad, each part 0-255 with 1-3 digits.
    static func isIPv4(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard end - start >= 7, end - start <= 15 else { return false }
        var parts = 0
        var digits = 0
        var value = 0
        for index in start..<end {
            let byte = bytes[index]
            if ASCII.isDigit(byte) {
                digits += 1
                value = value * 10 + Int(byte - ASCII.zero)
                guard digits <= 3, value <= 255 else { return false }
            } else if byte == ASCII.dot {
                guard digits > 0 else { return false }
                parts += 1
                digits = 0
                value = 0
            } else {
                return false
            }
        }
        return parts == 3 && digits > 0
    }

    /// RFC 4291 text: up to eight groups of 1-4 hex digits, at most one `::`, an
    /// optional trailing dotted quad (`::ffff:192.0.2.1`) and `%zone`.
    static func isIPv6(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        var upper = end
        if let percent = bytes.firstIndex(of: UInt8(ascii: "%"), from: start, to: end) { upper = percent }
        guard upper - start >= 2, upper - start <= 45 else { return false }
        var groups = 0
        var digits = 0
        var compressed = false
        var index = start
        while index < upper {
            let byte = bytes[index]
            if byte == ASCII.colon {
                if index + 1 < upper, bytes[index + 1] == ASCII.colon {
                    guard !compressed else { return false }
                    compressed = true
                    if digits > 0 { groups += 1 }
                    digits = 0
                    index += 2
                    continue
                }
                guard digits > 0, index + 1 < upper else { return false }
                groups += 1
                digits = 0
            } else if isHex(byte) {
                digits += 1
                guard digits <= 4 else { return false }
            } else if byte == ASCII.dot {
                // The last group is an IPv4 address: it counts as two groups.
                let quadStart = index - digits
                guard isIPv4(bytes, quadStart, upper), quadStart > start else { return false }
                groups += 2
                digits = 0
                index = upper
                break
            } else {
                return false
            }
            index += 1
        }
        if digits > 0 { groups += 1 }
        return compressed ? groups <= 7 : groups == 8
    }

    @inline(__always)
    private static func isHex(_ byte: UInt8) -> Bool {
        ASCII.isDigit(byte) || (byte | 0x20) &- 0x61 < 6
    }
}
