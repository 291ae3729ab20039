/// The level a message implies when its prefix carries none (RFC 3164 files have no
/// severity): the one table of docs/log-fields.md, "Levels from the message".
///
/// Only cheap, anchored checks: the first word when it ends in `:`, a kernel `<N>`,
/// a trailing `FAILED`, PAM's `authentication failure`. Scanning whole messages for
/// words like "error" would both cost every line a pass and misfire on "0 errors".
enum MessageLevel {
    /// First words (before `:`) and their level, matched case-insensitively by
    /// `LevelWord` (`info:`/`debug:` count too: a program that says so is believed).
    /// The colon is looked for where a severity word of 3-9 letters would end, so a
    /// message that starts with no such word costs a few byte compares.
    static func prefixWord(_ message: UnsafeRawBufferPointer, from start: Int) -> (level: LogLevel, end: Int)? {
        let limit = Swift.min(message.count, start + 10)
        var colon = start + 3
        while colon < limit, message[colon] != ASCII.colon { colon += 1 }
        guard colon < limit else { return nil }
        for index in start..<colon where !ASCII.isLetter(message[index]) { return nil }
        guard let level = LevelWord.level(message, from: start, to: colon) else { return nil }
        return (level, colon + 1)
    }

    /// The level from the message alone (any program), or nil to keep the parser's.
    /// Every record without a level comes through here, so each check looks at a
    /// byte or two before comparing anything. `message` is already end-trimmed.
    static func infer(_ message: UnsafeRawBufferPointer) -> LogLevel? {
        let count = message.count
        guard count > 0 else { return nil }
        let first = message[0]
        if ASCII.isLetter(first) {
            if let word = prefixWord(message, from: 0) { return word.level }
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
