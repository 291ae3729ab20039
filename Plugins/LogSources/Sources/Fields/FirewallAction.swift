/// What a netfilter LOG line's prefix says the rule did: the firewall `action` field.
/// UFW's prefixes say it (`[UFW BLOCK]`, `[UFW ALLOW]`, `[UFW AUDIT]`, `[UFW LIMIT
/// BLOCK]`); for custom prefixes the usual words are recognised and anything else is
/// `log` (a rule that only logs).
enum FirewallAction: UInt8 {
    case block
    case allow
    case audit
    case log

    var name: StaticString {
        switch self {
        case .block: return "block"
        case .allow: return "allow"
        case .audit: return "audit"
        case .log: return "log"
        }
    }

    /// Classifies `bytes[start..<end]` (a prefix: at most 29 bytes in iptables,
    /// 127 in nftables) by the first action word in it, case-insensitively.
    init(prefix bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) {
        var index = start
        while index < end {
            let byte = bytes[index] | 0x20
            if ASCII.isLetter(bytes[index]) && (index == start || !ASCII.isLetter(bytes[index - 1])) {
                if let action = Self.word(bytes, at: index, end, first: byte) {
                    self = action
                    return
                }
            }
            index += 1
        }
        self = .log
    }

    private static func word(_ bytes: UnsafeRawBufferPointer, at index: Int, _ end: Int, first: UInt8) -> FirewallAction? {
        func word(_ literal: StaticString) -> Bool {
            let length = literal.utf8CodeUnitCount
            guard index + length <= end else { return false }
            let text = literal.utf8Start
            for offset in 0..<length where bytes[index + offset] | 0x20 != text[offset] { return false }
            return true
        }
        switch first {
        case UInt8(ascii: "b"): return word("block") ? .block : nil
        case UInt8(ascii: "d"): return word("drop") || word("deny") || word("denied") ? .block : nil
        case UInt8(ascii: "r"): return word("reject") ? .block : nil
        case UInt8(ascii: "a"):
            if word("allow") || word("accept") { return .allow }
            return word("audit") ? .audit : nil
        case UInt8(ascii: "p"): return word("pass") ? .allow : nil
        default: return nil
        }
    }
}
