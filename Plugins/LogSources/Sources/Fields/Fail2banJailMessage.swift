import ByteKit

/// The jail part of a fail2ban message, wherever it was logged: fail2ban.log (the
/// `fail2ban` parser) or syslog and the journal (tag `fail2ban.actions`,
/// `fail2ban-server`, via `ProgramFields`).
///
/// `[jail] Found A - time`, `Ban A`, `Unban A`, `Restore Ban A`, `Reban A`,
/// `Ignore A by ip`, `A already banned`, `Flush ticket(s) with ...`: the jail, the
/// action as a stable lower-case name (`Fail2banAction`) and the address.
enum Fail2banJailMessage {
    /// Appends `jail`, `action` and `client_ip` from `[jail] ...` at the scanner.
    static func appendFields(_ line: UnsafeRawBufferPointer, _ scanner: inout ByteScanner, to fields: inout [LogField]) {
        guard scanner.consume(ASCII.openBracket) else { return }
        let jailStart = scanner.position
        while let byte = scanner.peek(), byte != ASCII.closeBracket, !ASCII.isBlank(byte) { scanner.position += 1 }
        guard scanner.position > jailStart, scanner.peek() == ASCII.closeBracket else { return }
        fields.append(LogField(.jail, .text(LogText(line, jailStart, scanner.position))))
        scanner.position += 1
        scanner.skipBlanks()

        guard let action = Fail2banAction(&scanner) else {
            // "[sshd] 192.0.2.1 already banned": the address comes first.
            let addressStart = scanner.skipNonBlanks()
            let addressEnd = scanner.position
            guard addressEnd > addressStart, scanner.consume(literal: " already banned") else { return }
            fields.append(LogField(.action, .text(LogText(literal: Fail2banAction.alreadyBanned.name))))
            fields.append(LogField(.clientIP, .text(LogText(line, addressStart, addressEnd))))
            return
        }
        fields.append(LogField(.action, .text(LogText(literal: action.name))))
        guard action.hasAddress else { return }
        scanner.skipBlanks()
        let addressStart = scanner.skipNonBlanks()
        if scanner.position > addressStart {
            fields.append(LogField(.clientIP, .text(LogText(line, addressStart, scanner.position))))
        }
    }

    /// A syslog or journal message from fail2ban: `NOTICE [jail] Ban A` (tag
    /// `fail2ban.actions`), `fail2ban.actions [pid]: NOTICE [jail] Ban A` (tag
    /// `fail2ban-server`, the module repeated in the message), or `[jail] Ban A`
    /// (the journal, level in PRIORITY). Returns whether jail fields were added and
    /// the level word's level, if any (also for lines without a jail).
    static func appendFromSyslog(_ message: UnsafeRawBufferPointer, to fields: inout [LogField]) -> (matched: Bool, level: LogLevel?) {
        var scanner = ByteScanner(message)
        if scanner.consume(literal: "fail2ban.") {
            // The module, its padding and "[pid]:" as in fail2ban.log.
            guard scanner.advance(to: ASCII.colon) else { return (false, nil) }
            scanner.position += 1
            scanner.skipBlanks()
        }
        var level: LogLevel?
        let wordStart = scanner.position
        while let byte = scanner.peek(), ASCII.isLetter(byte) { scanner.position += 1 }
        if scanner.position > wordStart {
            guard let word = LevelWord.level(message, from: wordStart, to: scanner.position) else { return (false, nil) }
            level = word
            scanner.skipBlanks()
        }
        guard scanner.peek() == ASCII.openBracket else { return (false, level) }
        let before = fields.count
        appendFields(message, &scanner, to: &fields)
        return (fields.count > before, level)
    }
}
