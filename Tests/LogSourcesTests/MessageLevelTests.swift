import LogSourcesCore
import Testing

/// Levels from the message when the prefix has none: the table of docs/log-fields.md.
@Suite("levels from the message")
struct MessageLevelTests {
    @Test("the documented table, row by row")
    func table() {
        let cases: [(String, LogLevel)] = [
            ("Jan 10 10:00:00 h app[1]: error: cannot open /etc/x", .error),
            ("Jan 10 10:00:00 h app[1]: ERROR: cannot open /etc/x", .error),
            ("Jan 10 10:00:00 h app[1]: fatal: out of memory", .fatal),
            ("Jan 10 10:00:00 h app[1]: warning: deprecated option", .warn),
            ("Jan 10 10:00:00 h app[1]: Warning: deprecated option", .warn),
            ("Jan 10 10:00:00 h app[1]: panic: runtime error", .fatal),
            ("Jan 10 10:00:00 h app[1]: crit: disk gone", .fatal),
            ("Jan 10 10:00:00 h app[1]: notice: reloading", .notice),
            ("Jan 10 10:00:00 h rc: Starting portmap: [FAILED]", .error),
            ("Jan 10 10:00:00 h rc: Starting portmap: FAILED", .error),
            ("Jan 10 10:00:00 h su[1]: pam_unix(su:auth): authentication failure; logname=a uid=1 euid=0 tty=pts/0 ruser=a rhost=  user=root", .warn),
            ("Jan 10 10:00:00 h kernel: <3>[  12.5] usb 1-1: device descriptor read/64, error -71", .error),
            ("Jan 10 10:00:00 h kernel: [  12.5] Kernel panic - not syncing: VFS: Unable to mount root fs", .fatal),
            ("Jan 10 10:00:00 h kernel: BUG: unable to handle page fault for address: 0000000000001234", .fatal),
            ("Jan 10 10:00:00 h kernel: [  12.5] WARNING: CPU: 0 PID: 1 at kernel/x.c:1 f+0x1/0x2", .warn),
            ("Jan 10 10:00:00 h sshd[1]: fatal: Timeout before authentication for 203.0.113.5 port 4242", .fatal),
            // Not levels: a word inside the text, a count, a colon-less word.
            ("Jan 10 10:00:00 h app[1]: 0 errors, 0 warnings", .unknown),
            ("Jan 10 10:00:00 h app[1]: the error: was handled", .unknown),
            ("Jan 10 10:00:00 h app[1]: error handling enabled", .unknown),
            ("Jan 10 10:00:00 h app[1]: Starting FAILEDX", .unknown),
            ("Jan 10 10:00:00 h app[1]: x", .unknown),
        ]
        let records = parseAll(.syslog, cases.map(\.0))
        for (record, (line, level)) in zip(records, cases) {
            #expect(record.level == level, "\(line)")
        }
    }

    @Test("a level in the prefix always wins over the message")
    func prefixWins() {
        let records = parseAll(.syslog, [
            "<14>Jan 10 10:00:00 h app[1]: error: not really",
            "<11>1 2026-01-10T10:00:00Z h sshd 1 - - Failed password for root from 203.0.113.5 port 22 ssh2",
        ])
        #expect(records[0].level == .info)
        #expect(records[1].level == .error)
        #expect(records[1].fields["ssh_event"] == "failed_password")
    }
}
