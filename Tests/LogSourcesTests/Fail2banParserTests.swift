import LogSourcesCore
import Testing

@Suite("fail2ban parser")
struct Fail2banParserTests {
    @Test("real fail2ban 1.0.2 log from this machine")
    func realLog() {
        let records = parseAll(.fail2ban, GeneratedLogs.fail2ban.split(separator: "\n").map(String.init))
        #expect(records.count == 31)
        #expect(records.allSatisfy { $0.kind == .record && $0.fields["pid"] == "19124" })
        #expect(records[0].timestampMicros == utc(2026, 11, 25, 11, 27, 55, 288_000))
        #expect(records[0].component == "fail2ban.server")
        #expect(records[5].level == .warn)
        #expect(records[5].message == "New database created. Version '4'")
        #expect(records[9].message == "maxLines: 1")

        let found = records[16]
        #expect(found.level == .info)
        #expect(found.component == "fail2ban.filter")
        #expect(found.fields == ["pid": "19124", "jail": "sshd", "action": "found", "client_ip": "203.0.113.7"])
        #expect(found.message == "[sshd] Found 203.0.113.7 - 2026-11-25 11:27:57")

        let ban = records[20]
        #expect(ban.level == .notice)
        #expect(ban.component == "fail2ban.actions")
        #expect(ban.fields == ["pid": "19124", "jail": "sshd", "action": "ban", "client_ip": "203.0.113.7"])
        #expect(records[21].fields["action"] == "unban")
        #expect(records.filter { $0.fields["action"] == "ban" }.count == 1)
    }

    @Test("fail2ban's recidive sample: older module/pid layouts", .enabled(if: SampleLogs.available, SampleLogs.skipReason))
    func recidiveSample() throws {
        let lines = try SampleLogs.lines("fail2ban/recidive").filter { $0.first != UInt8(ascii: "#") && !$0.isEmpty }
        let records = parseAll(.fail2ban, lines.map { String(decoding: $0, as: UTF8.self) })
        // Five lines are fail2ban.log lines; the others are syslog/journal renderings
        // of the same messages, which this parser leaves unparsed.
        let parsed = records.filter { $0.kind == .record }
        #expect(parsed.count == 5)
        #expect(records.filter { $0.kind == .unparsed }.count == lines.count - 5)
        #expect(parsed.allSatisfy { $0.component == "fail2ban.actions" && $0.level == .notice })
        #expect(parsed[0].timestampMicros == utc(2006, 2, 13, 15, 52, 30, 388_000))
        #expect(parsed[0].fields == ["jail": "sendmail", "action": "ban", "client_ip": "1.2.3.4"])
        #expect(parsed[1].fields["pid"] == "123")
        #expect(parsed[2].fields["action"] == "unban")
        #expect(parsed[4].fields == ["pid": "123", "jail": "sendmail", "action": "ban", "client_ip": "1.2.3.4"])
    }

    @Test("levels, Restore Ban, and a traceback continuing an ERROR")
    func tracebacks() {
        let records = parseAll(.fail2ban, [
            "2026-02-15 00:00:54,808 fail2ban.actions        [812]: NOTICE  [sshd] Restore Ban 198.51.100.4",
            "2026-02-15 00:00:55,001 fail2ban.transmitter    [812]: ERROR   Command ['status', 'x'] has failed. Received UnknownJailException('x')",
            "Traceback (most recent call last):",
            "  File \"/usr/lib/python3/dist-packages/fail2ban/server/transmitter.py\", line 55, in proceed",
            "fail2ban.server.jails.UnknownJailException: 'x'",
            "2026-02-15 00:00:56,000 fail2ban.server         [812]: CRITICAL Server shutting down",
            "2026-02-15 00:00:57,000 fail2ban.filter         [812]: DEBUG   Processing line",
            "a stray line after a record",
        ])
        #expect(records[0].fields == ["pid": "812", "jail": "sshd", "action": "restore_ban", "client_ip": "198.51.100.4"])
        #expect(records[1].level == .error)
        #expect(records[2].kind == .continuation)
        #expect(records[3].kind == .continuation)
        #expect(records[4].kind == .continuation)
        #expect(records[4].message == "fail2ban.server.jails.UnknownJailException: 'x'")
        #expect(records[5].level == .fatal)
        #expect(records[6].level == .debug)
        #expect(records[7].kind == .unparsed)
    }

    @Test("every jail action fail2ban 0.10-1.1 writes, as stable lower-case names")
    func actions() {
        let records = parseAll(.fail2ban, [
            "2026-02-15 00:00:54,808 fail2ban.filter         [812]: INFO    [sshd] Found 198.51.100.4 - 2026-02-15 00:00:54",
            "2026-02-15 00:00:54,808 fail2ban.actions        [812]: NOTICE  [sshd] Ban 198.51.100.4",
            "2026-02-15 00:00:54,808 fail2ban.actions        [812]: NOTICE  [sshd] Unban 198.51.100.4",
            "2026-02-15 00:00:54,808 fail2ban.actions        [812]: NOTICE  [sshd] Restore Ban 198.51.100.4",
            "2026-02-15 00:00:54,808 fail2ban.actions        [812]: NOTICE  [sshd] Reban 198.51.100.4",
            "2026-02-15 00:00:54,808 fail2ban.filter         [812]: INFO    [sshd] Ignore 127.0.0.1 by ip",
            "2026-02-15 00:00:54,808 fail2ban.actions        [812]: NOTICE  [sshd] 198.51.100.4 already banned",
            "2026-02-15 00:00:54,808 fail2ban.actions        [812]: NOTICE  [sshd] Flush ticket(s) with iptables-multiport",
            "2026-02-15 00:00:54,808 fail2ban.filter         [812]: INFO    [sshd] Added logfile: '/var/log/auth.log'",
        ])
        let actions = records.map { $0.fields["action"] }
        #expect(actions == ["found", "ban", "unban", "restore_ban", "reban", "ignore", "already_banned", "flush", nil])
        let addresses = records.map { $0.fields["client_ip"] }
        #expect(addresses == ["198.51.100.4", "198.51.100.4", "198.51.100.4", "198.51.100.4", "198.51.100.4", "127.0.0.1",
                              "198.51.100.4", nil, nil])
        #expect(records.allSatisfy { $0.fields["jail"] == "sshd" })
    }

    @Test("fail2ban logging to syslog or the journal: the syslog parser finds the same fields", .enabled(if: SampleLogs.available, SampleLogs.skipReason))
    func syslogForms() throws {
        let lines = try SampleLogs.lines("fail2ban/recidive").filter { $0.first != UInt8(ascii: "#") && !$0.isEmpty }
        let records = parseAll(.syslog, lines.map { String(decoding: $0, as: UTF8.self) }).filter { $0.kind == .record }
        let bans = records.filter { $0.fields["action"] == "ban" }
        // The three syslog renderings in fail2ban's own sample: tag fail2ban.actions
        // with and without [pid], and fail2ban-server repeating the module.
        #expect(bans.count == 3)
        #expect(bans.map { $0.fields["jail"] } == ["jail", "postfix-auth", "postfix-auth"])
        #expect(bans.map { $0.fields["client_ip"] } == ["10.0.0.7", "192.0.2.1", "192.0.2.2"])
        #expect(bans.allSatisfy { $0.level == .notice })

        var journal = LogFormat.journalctl.parser()
        let fromJournal = journal.parseCopy(
            "{\"PRIORITY\":\"5\",\"SYSLOG_IDENTIFIER\":\"fail2ban.actions\",\"MESSAGE\":\"[sshd] Unban 198.51.100.4\"}")
        #expect(fromJournal.fields["jail"] == "sshd" && fromJournal.fields["action"] == "unban")
        #expect(fromJournal.fields["client_ip"] == "198.51.100.4")
        #expect(fromJournal.level == .notice)
        let info = parseAll(.syslog, ["Jan 16 17:11:25 h fail2ban.server[1]: INFO Starting Fail2ban v1.0.2"])
        #expect(info[0].level == .info && info[0].fields["jail"] == nil)
    }
}
