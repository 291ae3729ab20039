/// The fields of one sshd message (OpenSSH's own lines and PAM's lines for the
/// sshd service): event, user, client address, port, method.
///
/// sshd writes the user name, which the client chooses, before the address sshd
/// appends; a user called `x from 10.0.0.1` must not become the address. So forms
/// with a user in front of the address are matched from the right, and forms where
/// client text follows the address (`Received disconnect ... : reason`,
/// `Unable to negotiate ...: offer`) are matched from the left.
struct SSHDMessage {
    var event: SSHEvent
    var user = ByteSpan.none
    var address = ByteSpan.none
    var port: Int64?
    var method = ByteSpan.none
    /// Known when the matcher already checked the address (it picks among several).
    var addressIsIP: Bool?
    /// From sshd's `error:`/`fatal:` prefix.
    var prefixLevel: LogLevel?

    init(event: SSHEvent) {
        self.event = event
    }

    /// Parses `message` (the text after `sshd[pid]: `); nil for lines that report
    /// none of the events.
    static func parse(_ message: UnsafeRawBufferPointer) -> SSHDMessage? {
        var start = 0
        var prefixLevel: LogLevel?
        let first = message.first
        if first == UInt8(ascii: "e"), message.matches("error: ", at: 0) {
            prefixLevel = .error
            start = 7
        } else if first == UInt8(ascii: "f"), message.matches("fatal: ", at: 0) {
            prefixLevel = .fatal
            start = 7
        }
        var end = message.count  // the parsers hand over end-trimmed messages
        var preauth = false
        if end > 10, message[end - 1] == ASCII.closeBracket, message.matches(" [preauth]", at: end - 10) {
            preauth = true
            end -= 10
        }
        guard end > start else { return nil }
        var result = SSHDScan(message, start, end, preauth).match()
        result?.prefixLevel = prefixLevel
        return result
    }

    /// Appends the context fields (`ssh_event`, `user`, `client_ip` or `client_host`,
    /// `client_port`, `method`).
    func appendFields(_ message: UnsafeRawBufferPointer, to fields: inout [LogField]) {
        fields.append(LogField(.sshEvent, .text(LogText(literal: event.name))))
        if !user.isEmpty { fields.append(LogField(.user, .text(user.text(message)))) }
        if !address.isEmpty {
            let isIP = addressIsIP ?? IPAddressText.isAddress(message, Int(address.start), Int(address.end))
            fields.append(LogField(isIP ? .clientIP : .clientHost, .text(address.text(message))))
        }
        if let port { fields.append(LogField(.clientPort, .int(port))) }
        if !method.isEmpty { fields.append(LogField(.method, .text(method.text(message)))) }
    }

    /// The level the line implies: sshd's prefix first, then the event's.
    var level: LogLevel? {
        prefixLevel ?? MessageLevel.level(for: event)
    }
}

/// One message being matched: `bytes[start..<end]` without `error: ` and ` [preauth]`.
private struct SSHDScan {
    let bytes: UnsafeRawBufferPointer
    let start: Int
    let end: Int
    let preauth: Bool

    init(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ preauth: Bool) {
        self.bytes = bytes
        self.start = start
        self.end = end
        self.preauth = preauth
    }

    @inline(__always)
    private func at(_ literal: StaticString) -> Bool { bytes.matches(literal, at: start, end: end) }

    /// Where the text after `literal` starts, when the message starts with it.
    @inline(__always)
    private func after(_ literal: StaticString) -> Int? {
        bytes.matches(literal, at: start, end: end) ? start + literal.utf8CodeUnitCount : nil
    }

    /// Dispatches on the first byte so a line costs a few comparisons.
    func match() -> SSHDMessage? {
        switch bytes[start] {
        case UInt8(ascii: "F"):
            if let index = after("Failed ") { return methodForm(after: index, accepted: false) }
        case UInt8(ascii: "A"):
            if let index = after("Accepted ") { return methodForm(after: index, accepted: true) }
            if at("Address ") { return addressMapsTo() }
        case UInt8(ascii: "I"):
            if let index = after("Invalid user ") { return userFromAddress(.invalidUser, userStart: index) }
            if let index = after("Illegal user ") { return userFromAddress(.invalidUser, userStart: index) }
        case UInt8(ascii: "C"):
            if let index = after("Connection closed by ") { return userAddressPort(.connectionClosed, after: index) }
            if let index = after("Connection reset by ") { return userAddressPort(.connectionReset, after: index) }
            if let index = after("Connection from ") { return leadingAddress(.connection, at: index) }
        case UInt8(ascii: "D"):
            if let index = after("Disconnected from ") {
                return userAddressPort(preauth ? .preauthDisconnect : .disconnected, after: index)
            }
            if at("Disconnecting") { return disconnecting() }
            if let index = after("Did not receive identification string from ") {
                return leadingAddress(.noIdentification, at: index)
            }
        case UInt8(ascii: "R"):
            if let index = after("Received disconnect from ") {
                return leadingAddress(preauth ? .preauthDisconnect : .disconnected, at: index)
            }
        case UInt8(ascii: "U"):
            if let index = after("Unable to negotiate with ") { return leadingAddress(.negotiationFailure, at: index) }
            if at("User ") { return userNotAllowed() }
        case UInt8(ascii: "m"):
            if let index = after("maximum authentication attempts exceeded for ") {
                return userFromAddress(.tooManyFailures, userStart: optionalInvalidUser(index))
            }
        case UInt8(ascii: "T"):
            if let index = after("Timeout before authentication for ") {
                return leadingAddress(.loginTimeout, at: index)
            }
        case UInt8(ascii: "P"):
            if let index = after("PAM: Authentication failure for ") {
                return userFromAddress(.authFailure, userStart: optionalInvalidUser(index))
            }
            if at("PAM ") { return PAMFields.moreFailures(bytes, start, end) }
        case UInt8(ascii: "B"):
            if at("Bad protocol version identification ") { return lastFromAddress(.badProtocol) }
        case UInt8(ascii: "b"):
            if let index = after("banner exchange: Connection from ") { return leadingAddress(.badProtocol, at: index) }
        case UInt8(ascii: "k"):
            if let index = after("kex_exchange_identification: ") {
                let invalid = bytes.firstMatch(of: "invalid", from: index, to: end) != nil
                return SSHDMessage(event: invalid ? .badProtocol : .noIdentification)
            }
        case UInt8(ascii: "r"):
            if at("reverse mapping checking getaddrinfo for ") { return reverseMapping() }
        default:
            break
        }
        return PAMFields.parse(bytes, start, end)
    }

    /// Skips `invalid user ` / `illegal user ` (sshd's mark for unknown accounts).
    private func optionalInvalidUser(_ index: Int) -> Int {
        if bytes.matches("invalid user ", at: index, end: end) || bytes.matches("illegal user ", at: index, end: end) {
            return index + 13
        }
        return index
    }

    /// `Failed|Accepted METHOD for [invalid user ]USER from ADDR port PORT ssh2[: KEY]`.
    private func methodForm(after methodStart: Int, accepted: Bool) -> SSHDMessage? {
        let methodEnd = bytes.tokenEnd(from: methodStart, to: end)
        guard methodEnd > methodStart, bytes.matches(" for ", at: methodEnd, end: end) else { return nil }
        let event: SSHEvent
        if accepted {
            event = .accepted
        } else if bytes.matches("password", at: methodStart, end: methodEnd) && methodEnd - methodStart == 8 {
            event = .failedPassword
        } else if bytes.matches("publickey", at: methodStart, end: methodEnd) && methodEnd - methodStart == 9 {
            event = .failedPublickey
        } else if bytes.matches("keyboard-interactive", at: methodStart, end: methodEnd) {
            event = .failedKeyboardInteractive
        } else {
            event = .failedOther
        }
        // The key description after "ssh2: " is sshd's; the address is the last
        // "from" before the last " port ".
        let limit = bytes.lastMatch(of: " port ", from: methodEnd, to: end) ?? end
        guard var result = userFromAddress(event, userStart: optionalInvalidUser(methodEnd + 5), limit: limit) else {
            return nil
        }
        result.method = ByteSpan(methodStart, methodEnd)
        return result
    }

    /// `USER from ADDR[ port PORT ...]`: the last ` from ` followed by an address
    /// (a host name when no address follows any of them).
    private func userFromAddress(_ event: SSHEvent, userStart: Int, limit: Int? = nil) -> SSHDMessage? {
        let searchEnd = limit ?? end
        var result = SSHDMessage(event: event)
        var candidate = searchEnd
        var fallback: (from: Int, address: ByteSpan)?
        while let from = bytes.lastMatch(of: " from ", from: userStart, to: candidate) {
            let addressStart = from + 6
            let addressEnd = bytes.tokenEnd(from: addressStart, to: end)
            if IPAddressText.isAddress(bytes, addressStart, addressEnd) {
                fallback = nil
                result.user = ByteSpan(userStart, from)
                result.address = ByteSpan(addressStart, addressEnd)
                result.addressIsIP = true
                result.port = portAfter(addressEnd)
                return result
            }
            if fallback == nil { fallback = (from, ByteSpan(addressStart, addressEnd)) }
            candidate = from
        }
        if let fallback {
            result.user = ByteSpan(userStart, fallback.from)
            result.address = fallback.address
            result.addressIsIP = false
            result.port = portAfter(Int(fallback.address.end))
            return result
        }
        // "Invalid user U" without an address (some builds): the rest is the user.
        result.user = ByteSpan(userStart, end)
        return result
    }

    /// `ADDR port PORT` at `index`, the address first (client text may follow).
    private func leadingAddress(_ event: SSHEvent, at index: Int) -> SSHDMessage {
        var result = SSHDMessage(event: event)
        var addressEnd = bytes.tokenEnd(from: index, to: end)
        // "Unable to negotiate with A port P:", "banner exchange: Connection from A port P:".
        if addressEnd > index, bytes[addressEnd - 1] == ASCII.colon,
            !IPAddressText.isAddress(bytes, index, addressEnd)
        {
            addressEnd -= 1
        }
        guard addressEnd > index else { return result }
        result.address = ByteSpan(index, addressEnd)
        result.port = portAfter(addressEnd)
        return result
    }

    /// `[authenticating user |invalid user |user ]USER ADDR port PORT`, or `ADDR port PORT`.
    private func userAddressPort(_ event: SSHEvent, after index: Int) -> SSHDMessage? {
        var result = SSHDMessage(event: event)
        var userStart: Int?
        if bytes.matches("authenticating user ", at: index, end: end) {
            userStart = index + 20
        } else if bytes.matches("invalid user ", at: index, end: end) {
            userStart = index + 13
        } else if bytes.matches("user ", at: index, end: end) {
            userStart = index + 5
        }
        guard let portWord = bytes.lastMatch(of: " port ", from: index, to: end) else {
            // "Connection closed by 192.0.2.1" (no port: older versions).
            let addressEnd = bytes.tokenEnd(from: index, to: end)
            if userStart == nil, addressEnd > index { result.address = ByteSpan(index, addressEnd) }
            return result
        }
        let addressStart = bytes.tokenStart(endingAt: portWord, from: userStart ?? index)
        result.address = ByteSpan(addressStart, portWord)
        result.port = bytes.port(at: portWord + 6, to: end)
        if let userStart, addressStart > userStart { result.user = ByteSpan(userStart, (addressStart - 1)) }
        return result
    }

    /// `Disconnecting authenticating user U A port P: Too many authentication failures`,
    /// `Disconnecting invalid user U A port P: ...`, `Disconnecting: Too many
    /// authentication failures for U` (OpenSSH before 7.x).
    private func disconnecting() -> SSHDMessage? {
        let tooMany = bytes.firstMatch(of: "Too many authentication failures", from: start, to: end)
        let event: SSHEvent = tooMany != nil ? .tooManyFailures : (preauth ? .preauthDisconnect : .disconnected)
        if bytes.matches("Disconnecting: ", at: start, end: end) {
            var result = SSHDMessage(event: event)
            if let tooMany, bytes.matches(" for ", at: tooMany + 32, end: end) {
                result.user = ByteSpan(optionalInvalidUser(tooMany + 37), end)
            }
            return result
        }
        // The reason after ": " is sshd's own text; the address is before the last " port ".
        let reason = bytes.lastMatch(of: ": ", from: start + 14, to: end) ?? end
        let scan = SSHDScan(bytes, start, reason, preauth)
        var result = scan.userAddressPort(event, after: start + 14) ?? SSHDMessage(event: event)
        result.event = event
        return result
    }

    /// `User U from A not allowed because ...` (AllowUsers, DenyUsers, groups, shell).
    private func userNotAllowed() -> SSHDMessage? {
        guard let because = bytes.lastMatch(of: " not allowed because ", from: start + 5, to: end) else { return nil }
        return userFromAddress(.userNotAllowed, userStart: start + 5, limit: because)
    }

    /// `Address A maps to H, but this does not map back to the address`.
    private func addressMapsTo() -> SSHDMessage? {
        guard bytes.firstMatch(of: "POSSIBLE BREAK-IN", from: start, to: end) != nil
            || bytes.firstMatch(of: "does not map back", from: start, to: end) != nil
        else { return nil }
        var result = SSHDMessage(event: .reverseMappingFailed)
        let addressEnd = bytes.tokenEnd(from: start + 8, to: end)
        result.address = ByteSpan((start + 8), addressEnd)
        return result
    }

    /// `reverse mapping checking getaddrinfo for HOST [ADDR] failed`.
    private func reverseMapping() -> SSHDMessage? {
        var result = SSHDMessage(event: .reverseMappingFailed)
        guard let open = bytes.firstIndex(of: ASCII.openBracket, from: start + 41, to: end),
            let close = bytes.firstIndex(of: ASCII.closeBracket, from: open, to: end)
        else { return result }
        result.address = ByteSpan((open + 1), close)
        return result
    }

    /// `Bad protocol version identification 'TEXT' from A port P`: the client's text
    /// comes first, so the address is the last `from`.
    private func lastFromAddress(_ event: SSHEvent) -> SSHDMessage? {
        guard var result = userFromAddress(event, userStart: start) else { return nil }
        result.user = .none
        return result
    }

    /// ` port PORT` right after the address.
    private func portAfter(_ addressEnd: Int) -> Int64? {
        guard bytes.matches(" port ", at: addressEnd, end: end) else { return nil }
        return bytes.port(at: addressEnd + 6, to: end)
    }
}
