/// PAM's lines for the sshd service: `pam_unix(sshd:auth): authentication failure;
/// logname= uid=0 euid=0 tty=ssh ruser= rhost=A  user=U`, `check pass; user unknown`,
/// `session opened for user U(uid=N) by (uid=0)`, `session closed for user U`, and
/// sshd's `PAM N more authentication failures; ... rhost=A  user=U`. Old syslogs
/// (LogHub's Linux sample) put the module in the tag, `sshd(pam_unix)[pid]:`, and the
/// message starts at `authentication failure;` directly.
enum PAMFields {
    static func parse(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> SSHDMessage? {
        var index = start
        // "pam_unix(sshd:auth): ", "pam_sss(sshd:auth): ": skip the module and service.
        if bytes.matches("pam_", at: start, end: end),
            let close = bytes.firstMatch(of: "): ", from: start + 4, to: Swift.min(end, start + 48))
        {
            index = close + 3
        } else if bytes.matches("(pam_unix) ", at: start, end: end) {
            index = start + 11  // Red Hat's old form: "sshd[1]: (pam_unix) authentication failure; ..."
        }
        guard index < end else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "a"):
            guard bytes.matches("authentication failure;", at: index, end: end) else { return nil }
            return keyValues(.authFailure, bytes, index + 23, end)
        case UInt8(ascii: "c"):
            guard bytes.matches("check pass; user unknown", at: index, end: end) else { return nil }
            return SSHDMessage(event: .unknownUser)
        case UInt8(ascii: "s"):
            if bytes.matches("session opened for user ", at: index, end: end) {
                return sessionUser(.sessionOpened, bytes, index + 24, end)
            }
            if bytes.matches("session closed for user ", at: index, end: end) {
                return sessionUser(.sessionClosed, bytes, index + 24, end)
            }
            return nil
        default:
            return nil
        }
    }

    /// `PAM 2 more authentication failures; logname= ... rhost=A  user=U`.
    static func moreFailures(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> SSHDMessage? {
        guard let semicolon = bytes.firstMatch(of: "more authentication failures;", from: start + 4, to: Swift.min(end, start + 40))
        else { return nil }
        return keyValues(.authFailure, bytes, semicolon + 29, end)
    }

    /// `rhost=` and `user=` after the `;`. Everything before `user=` is PAM's own
    /// (logname, uid, tty, ruser, rhost); the user name comes last, so `rhost=` is
    /// searched from the left and `user=` after it.
    private static func keyValues(_ event: SSHEvent, _ bytes: UnsafeRawBufferPointer, _ from: Int, _ end: Int) -> SSHDMessage {
        var result = SSHDMessage(event: event)
        var cursor = from
        // Anchored on the 'h': in PAM's own text only "NODEVssh" has one before "rhost".
        if let rhost = bytes.firstMatch(of: " rhost=", from: from, to: end, anchor: 2) {
            let valueStart = rhost + 7
            let valueEnd = bytes.tokenEnd(from: valueStart, to: end)
            if valueEnd > valueStart { result.address = ByteSpan(valueStart, valueEnd) }
            cursor = valueEnd
            // "rhost=A  user=U": the usual layout, checked in place before any search.
            while cursor < end, bytes[cursor] == ASCII.space { cursor += 1 }
            if bytes.matches("user=", at: cursor, end: end) {
                if end > cursor + 5 { result.user = ByteSpan((cursor + 5), end) }
                return result
            }
        }
        if let user = bytes.firstMatch(of: " user=", from: cursor - 1, to: end) {
            let valueStart = user + 6
            if end > valueStart { result.user = ByteSpan(valueStart, end) }
        }
        return result
    }

    /// `U(uid=1002) by (uid=0)` (Debian 12), `U by (uid=0)` (older), or `U` alone.
    private static func sessionUser(_ event: SSHEvent, _ bytes: UnsafeRawBufferPointer, _ from: Int, _ end: Int) -> SSHDMessage {
        var result = SSHDMessage(event: event)
        var userEnd = end
        if let by = bytes.lastMatch(of: " by ", from: from, to: end) { userEnd = by }
        if let uid = bytes.lastMatch(of: "(uid=", from: from, to: userEnd) { userEnd = uid }
        if userEnd > from { result.user = ByteSpan(from, userEnd) }
        return result
    }
}
