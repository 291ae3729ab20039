/// The level a message implies when its prefix carries none (RFC 3164 files have no
/// severity): the one table of docs/log-fields.md, "Levels from the message".
///
/// Only cheap, anchored checks: the first word when it ends in `:`, a kernel `<N>`,
/// a trailing `FAILED`, PAM's `authentication failure`. Scanning whole messages for
/// words like "error" would both cost every line a pass and misfire on "0 errors".
enum MessageLevel {
    /// First words (before `:`) and their level, matched case-insensitively by
    /// `LevelWord` (`info:`/`debug:` count too: a program that says so is believed).
    /// The colon is looked for first, where a severity word of 3-9 letters would end,
    /// eight bytes at once: most messages have none there and cost a few instructions.
    @inline(__always)
    static func prefixWord(_ message: UnsafeRawBufferPointer, from start: Int) -> LogLevel? {
        guard let colon = colonIndex(message, from: start) else { return nil }
        for index in start..<colon where !ASCII.isLetter(message[index]) { return nil }
        return LevelWord.level(message, from: start, to: colon)
    }

    /// The first `:` at `start + 3 ..< start + 10`, if any.
    @inline(__always)
    private static func colonIndex(_ message: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let count = message.count
        guard count - start >= 4, let base = message.baseAddress else { return nil }
        if count - start >= 10 {
            // SWAR: a zero byte in word ^ "::::::::" marks a colon (lowest one first).
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: start + 2, as: UInt64.self))
            let diff = word ^ 0x3A3A_3A3A_3A3A_3A3A
            let found = (diff &- 0x0101_0101_0101_0101) & ~diff & 0x8080_8080_8080_8080
            guard found != 0 else { return nil }
            // Bytes 2... of the message: byte 2 cannot end a 3+ letter word.
            let index = start + 2 + found.trailingZeroBitCount / 8
            return index >= start + 3 ? index : nil
        }
        var index = start + 3
        while index < count, index < start + 10 {
            if message[index] == ASCII.colon { return index }
            index += 1
        }
        return nil
    }

    /// The level from the message alone (any program), or nil to keep the parser's.
    /// Every record without a level comes through here, so each check looks at a
    /// byte or two before comparing anything. `message` is already end-trimmed.
    @inline(__always)
    static func infer(_ message: UnsafeRawBufferPointer) -> LogLevel? {
        let count = message.count
        guard count > 0 else { return nil }
        let first = message[0]
        if ASCII.isLetter(first) {
            if let word = prefixWord(message, from: 0) { return word }
            // `pam_unix(su:auth): authentication failure; ...` from any PAM service.
            if first == UInt8(ascii: "p") {
                if message.matches("pam_", at: 0),
                    let close = message.firstMatch(of: "): ", from: 4, to: Swift.min(count, 48)),
                    message.matches("authentication failure", at: close + 3)
                {
                    return .warn
                }
            } else if first == UInt8(ascii: "a"), message.matches("authentication failure;", at: 0) {
                return .warn
            }
        }
        // init scripts: "Starting foo: [FAILED]", "... FAILED".
        let last = message[count - 1]
        if last == UInt8(ascii: "D") || last == ASCII.closeBracket,
            message.matches("FAILED", at: count - 6) || message.matches("[FAILED]", at: count - 8)
        {
            return .error
        }
        return nil
    }

    /// A kernel message: `<N>` (a dmesg -r or klogd severity), `Kernel panic`, `BUG:`,
    /// `Oops`, after the optional `[uptime]` stamp. Returns the level and where the
    /// text after the stamp starts.
    static func kernel(_ message: UnsafeRawBufferPointer, from start: Int) -> LogLevel? {
        var index = start
        if index + 2 < message.count, message[index] == ASCII.lessThan, ASCII.isDigit(message[index + 1]),
            message[index + 2] == ASCII.greaterThan
        {
            let severity = Int(message[index + 1] - ASCII.zero)
            if severity <= 7 { return LogLevel(syslogSeverity: severity) }
            index += 3
        }
        if message.matches("Kernel panic", at: index) { return .fatal }
        if message.matches("BUG: ", at: index) || message.matches("Oops", at: index) { return .fatal }
        if message.matches("WARNING: ", at: index) { return .warn }
        return nil
    }

    /// sshd and PAM-for-sshd events: failed and refused logins are warnings, which is
    /// what they are to the operator (errors stay sshd's own `error:` lines).
    static func level(for event: SSHEvent) -> LogLevel? {
        switch event {
        case .failedPassword, .failedPublickey, .failedKeyboardInteractive, .failedOther, .invalidUser,
            .authFailure, .unknownUser, .tooManyFailures, .userNotAllowed, .reverseMappingFailed:
            return .warn
        case .badProtocol, .negotiationFailure, .noIdentification, .loginTimeout:
            return .notice
        case .accepted, .sessionOpened, .sessionClosed, .connection, .connectionClosed, .connectionReset,
            .preauthDisconnect, .disconnected:
            return .info
        }
    }
}
