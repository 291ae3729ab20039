/// The per-program step every syslog and journal record goes through after its
/// prefix is parsed: sshd and kernel firewall lines get their security fields, and a
/// record whose prefix carried no level gets the one its message implies.
///
/// Dispatch is on the program (tag / SYSLOG_IDENTIFIER), so a line pays only for
/// the extractor of its own program, and a user cannot make another program's line
/// look like an sshd event.
enum ProgramFields {
    @inline(__always)
    static func enrich(component: LogText?, message: LogText, level: inout LogLevel, fields: inout [LogField]) {
        let bytes = message.bytes
        // Only sshd, kernel and fail2ban lines go to an extractor, out of line: the common
        // record pays for a two-byte compare here.
        if let component, Program.mayBeKnown(component.bytes), !bytes.isEmpty,
            extract(Program(component.bytes), bytes, &level, &fields)
        {
            return
        }
        if level == .unknown, let implied = MessageLevel.infer(bytes) { level = implied }
    }

    /// The extractor of `program`; true when the line was its kind (fields added,
    /// level settled), false to fall back to the message's level.
    @inline(never)
    private static func extract(
        _ program: Program, _ bytes: UnsafeRawBufferPointer, _ level: inout LogLevel, _ fields: inout [LogField]
    ) -> Bool {
        switch program {
        case .sshd:
            guard let event = SSHDMessage.parse(bytes) else { return false }
            event.appendFields(bytes, to: &fields)
            if level == .unknown, let implied = event.level { level = implied }
            return true
        case .kernel:
            if FirewallLine.appendFields(bytes, to: &fields) { return true }
            guard level == .unknown, let implied = MessageLevel.kernel(bytes, from: KernelStamp.end(bytes)) else {
                return false
            }
            level = implied
            return true
        case .fail2ban:
            let result = Fail2banJailMessage.appendFromSyslog(bytes, to: &fields)
            if level == .unknown, let implied = result.level {
                level = implied
                return true
            }
            return result.matched
        case .other:
            return false
        }
    }

    private enum Program {
        case sshd, kernel, fail2ban, other

        /// `sshd`, `sshd(pam_unix)` (old syslogs), `sshd-session` (OpenSSH 9.8+), `kernel`,
        /// `fail2ban.actions`, `fail2ban-server` (fail2ban logging to syslog or the journal).
        /// "ss", "ke" or "fa" first: two byte compares keep `ftpd`, `su`, `klogind`
        /// and the rest off the extractor call.
        @inline(__always)
        static func mayBeKnown(_ name: UnsafeRawBufferPointer) -> Bool {
            guard name.count >= 4 else { return false }
            let pair = UInt16(name[0]) << 8 | UInt16(name[1])
            return pair == 0x7373 || pair == 0x6B65 || pair == 0x6661  // "ss", "ke", "fa"
        }

        init(_ name: UnsafeRawBufferPointer) {
            if name.matches("sshd", at: 0) {
                let next = name.count > 4 ? name[4] : ASCII.space
                self = next == ASCII.space || next == ASCII.openParen || next == ASCII.minus ? .sshd : .other
            } else if name.count == 6, name.matches("kernel", at: 0) {
                self = .kernel
            } else if name.matches("fail2ban", at: 0) {
                self = .fail2ban
            } else {
                self = .other
            }
        }
    }
}

/// The kernel's `[12345.678901] ` uptime stamp that older rsyslog and dmesg put
/// before the message.
enum KernelStamp {
    /// Where the text after the stamp starts (0 without one).
    static func end(_ message: UnsafeRawBufferPointer) -> Int {
        guard message.first == ASCII.openBracket,
            let close = message.firstIndex(of: ASCII.closeBracket, from: 1, to: 20), close > 1,
            ASCII.isDigit(message[close - 1])
        else { return 0 }
        var start = close + 1
        while start < message.count, message[start] == ASCII.space { start += 1 }
        return start
    }
}
