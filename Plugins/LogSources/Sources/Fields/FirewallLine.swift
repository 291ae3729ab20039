/// A kernel netfilter LOG line (iptables `-j LOG`, nftables `log`, UFW):
/// `[uptime] PREFIX IN=eth0 OUT= MAC=... SRC=A DST=B LEN=... PROTO=TCP SPT=P DPT=Q ...`.
///
/// Keys are read in order up to the first `[`: an ICMP error quotes the offending
/// packet as `[SRC=... DST=... PROTO=UDP SPT=... DPT=... ]`, whose addresses are not
/// this packet's. Addresses are kept as the kernel writes them (IPv6 uncompressed).
enum FirewallLine {
    /// Appends the firewall fields when `message` is a netfilter line; false otherwise.
    static func appendFields(_ message: UnsafeRawBufferPointer, to fields: inout [LogField]) -> Bool {
        let start = KernelStamp.end(message)
        // "IN=" starts the packet description; the prefix is whatever precedes it.
        let inKey: Int
        if message.matches("IN=", at: start) {
            inKey = start
        } else if let found = message.firstMatch(of: " IN=", from: start, to: Swift.min(message.count, start + 130)) {
            inKey = found + 1
        } else {
            return false
        }
        guard message.firstMatch(of: " OUT=", from: inKey, to: Swift.min(message.count, inKey + 40)) != nil else {
            return false
        }
        let prefixEnd = message.trimmedEnd(from: start, to: inKey)
        fields.append(LogField(.action, .text(LogText(literal: FirewallAction(prefix: message, start, prefixEnd).name))))
        if prefixEnd > start { fields.append(LogField(.logPrefix, .text(LogText(message, start, prefixEnd)))) }

        var seen: UInt8 = 0
        var index = inKey
        let end = message.count
        while index < end, message[index] != ASCII.openBracket {
            let tokenEnd = message.tokenEnd(from: index, to: end)
            if let equals = message.firstIndex(of: ASCII.equals, from: index, to: tokenEnd),
                let key = Key(message, index, equals), seen & key.bit == 0
            {
                seen |= key.bit
                key.append(message, equals + 1, tokenEnd, to: &fields)
            }
            index = tokenEnd
            // tokenEnd stops at a tab as at a space: skipping only spaces left a
            // tab where it was, and the loop spun on it forever (found by the fuzzer).
            while index < end, message[index] == ASCII.space || message[index] == ASCII.tab { index += 1 }
        }
        return true
    }

    /// The keys worth a field, each taken once (the first occurrence).
    private enum Key: UInt8 {
        case inInterface, outInterface, source, destination, proto, sourcePort, destinationPort

        var bit: UInt8 { 1 << rawValue }

        init?(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ equals: Int) {
            switch equals - start {
            case 2 where bytes.matches("IN", at: start): self = .inInterface
            case 3 where bytes.matches("OUT", at: start): self = .outInterface
            case 3 where bytes.matches("SRC", at: start): self = .source
            case 3 where bytes.matches("DST", at: start): self = .destination
            case 3 where bytes.matches("SPT", at: start): self = .sourcePort
            case 3 where bytes.matches("DPT", at: start): self = .destinationPort
            case 5 where bytes.matches("PROTO", at: start): self = .proto
            default: return nil
            }
        }

        func append(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, to fields: inout [LogField]) {
            guard end > start else { return }  // "OUT=" on input: no interface
            let text = FieldValue.text(LogText(bytes, start, end))
            switch self {
            case .inInterface: fields.append(LogField(.inInterface, text))
            case .outInterface: fields.append(LogField(.outInterface, text))
            case .source: fields.append(LogField(.sourceIP, text))
            case .destination: fields.append(LogField(.destinationIP, text))
            case .proto: fields.append(LogField(.proto, text))
            case .sourcePort, .destinationPort:
                guard let port = bytes.port(at: start, to: end) else { return }
                fields.append(LogField(self == .sourcePort ? .sourcePort : .destinationPort, .int(port)))
            }
        }
    }
}
