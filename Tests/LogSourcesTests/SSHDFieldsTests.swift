import LogSourcesCore
import Testing

/// sshd and PAM-for-sshd fields (docs/log-fields.md) on real lines: OpenSSH 9.2 on
/// this machine (Tests/Fixtures/logs/sshd-9.2-*.log) and the LogHub Linux sample.
@Suite("sshd fields")
struct SSHDFieldsTests {
    private static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }

    /// The fields without the syslog header's host and pid.
    private static func security(_ record: ParsedRecord) -> [String: String] {
        record.fields.filter { $0.key != "host" && $0.key != "pid" }
    }

    @Test("OpenSSH 9.2 refused and accepted on loopback: every form it wrote")
    func realCapture() throws {
        let lines = Self.lines(GeneratedLogs.sshdAuthLog)
        let records = parseAll(.syslog, lines)
        #expect(records.count == 110)
        func first(_ prefix: String) throws -> ParsedRecord {
            let index = try #require(lines.firstIndex { $0.dropFirst(16).contains(prefix) }, "\(prefix)")
            return records[index]
        }
        func expectFields(_ prefix: String, _ expected: [String: String], _ level: LogLevel) throws {
            let record = try first(prefix)
            #expect(Self.security(record) == expected, "\(prefix)")
            #expect(record.level == level, "\(prefix)")
        }
        try expectFields(
            "Failed password for alice from 127.0.0.1",
            ["ssh_event": "failed_password", "user": "alice", "client_ip": "127.0.0.1", "client_port": "44768", "method": "password"], .warn)
        try expectFields(
            "Failed password for invalid user nosuchuser",
            ["ssh_event": "failed_password", "user": "nosuchuser", "client_ip": "127.0.0.1", "client_port": "44772", "method": "password"], .warn)
        try expectFields(
            "Invalid user nosuchuser from",
            ["ssh_event": "invalid_user", "user": "nosuchuser", "client_ip": "127.0.0.1", "client_port": "44772"], .warn)
        try expectFields(
            "Invalid user oracle from ::1",
            ["ssh_event": "invalid_user", "user": "oracle", "client_ip": "::1", "client_port": "41830"], .warn)
        try expectFields(
            "Failed password for alice from ::1",
            ["ssh_event": "failed_password", "user": "alice", "client_ip": "::1", "client_port": "44148", "method": "password"], .warn)
        try expectFields(
            "authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=127.0.0.1  user=alice",
            ["ssh_event": "auth_failure", "user": "alice", "client_ip": "127.0.0.1"], .warn)
        try expectFields(
            "authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=::1 ",
            ["ssh_event": "auth_failure", "client_ip": "::1"], .warn)
        try expectFields("check pass; user unknown", ["ssh_event": "unknown_user"], .warn)
        try expectFields(
            "Failed publickey for alice",
            ["ssh_event": "failed_publickey", "user": "alice", "client_ip": "127.0.0.1", "client_port": "55258", "method": "publickey"], .warn)
        try expectFields(
            "Connection closed by authenticating user alice",
            ["ssh_event": "connection_closed", "user": "alice", "client_ip": "127.0.0.1", "client_port": "55258"], .info)
        try expectFields(
            "Connection closed by invalid user ghost",
            ["ssh_event": "connection_closed", "user": "ghost", "client_ip": "127.0.0.1", "client_port": "55272"], .info)
        try expectFields(
            "error: maximum authentication attempts exceeded for alice",
            ["ssh_event": "too_many_failures", "user": "alice", "client_ip": "127.0.0.1", "client_port": "51254"], .error)
        try expectFields(
            "error: maximum authentication attempts exceeded for root from ::1",
            ["ssh_event": "too_many_failures", "user": "root", "client_ip": "::1", "client_port": "32826"], .error)
        try expectFields(
            "Disconnecting authenticating user alice",
            ["ssh_event": "too_many_failures", "user": "alice", "client_ip": "127.0.0.1", "client_port": "51254"], .warn)
        try expectFields(
            "Accepted publickey for alice",
            ["ssh_event": "accepted", "user": "alice", "client_ip": "127.0.0.1", "client_port": "51270", "method": "publickey"], .info)
        try expectFields(
            "Accepted password for alice from ::1",
            ["ssh_event": "accepted", "user": "alice", "client_ip": "::1", "client_port": "32828", "method": "password"], .info)
        try expectFields("session opened for user alice(uid=1002)", ["ssh_event": "session_opened", "user": "alice"], .info)
        try expectFields("session closed for user alice", ["ssh_event": "session_closed", "user": "alice"], .info)
        try expectFields(
            "Received disconnect from 127.0.0.1 port 51270:11: disconnected by user",
            ["ssh_event": "disconnected", "client_ip": "127.0.0.1", "client_port": "51270"], .info)
        try expectFields(
            "Disconnected from user alice 127.0.0.1",
            ["ssh_event": "disconnected", "user": "alice", "client_ip": "127.0.0.1", "client_port": "51270"], .info)
        try expectFields(
            "Unable to negotiate with 127.0.0.1 port 51276",
            ["ssh_event": "negotiation_failure", "client_ip": "127.0.0.1", "client_port": "51276"], .notice)
        try expectFields(
            "Unable to negotiate with ::1 port 32840",
            ["ssh_event": "negotiation_failure", "client_ip": "::1", "client_port": "32840"], .notice)
        try expectFields("client sent invalid protocol identifier", ["ssh_event": "bad_protocol"], .error)
        try expectFields(
            "banner exchange: Connection from 127.0.0.1 port 51306: invalid format",
            ["ssh_event": "bad_protocol", "client_ip": "127.0.0.1", "client_port": "51306"], .notice)
        try expectFields("kex_exchange_identification: Connection closed by remote host", ["ssh_event": "no_identification"], .error)
        try expectFields(
            "Connection closed by 127.0.0.1 port 51300",
            ["ssh_event": "connection_closed", "client_ip": "127.0.0.1", "client_port": "51300"], .info)
        try expectFields(
            "Connection from 127.0.0.1 port 44768 on",
            ["ssh_event": "connection", "client_ip": "127.0.0.1", "client_port": "44768"], .info)
        // sshd's own error without an event keeps its level from the prefix.
        try expectFields("error: send_error: write: Broken pipe", [:], .error)
        try expectFields("Server listening on ::1 port 2222.", [:], .unknown)
    }

    @Test("a user name with \"from\" in it never supplies the address")
    func userNamesContainingFrom() {
        let records = parseAll(.syslog, Self.lines(GeneratedLogs.sshdAuthLog))
        // The capture came from 127.0.0.1 and ::1 only: any other client_ip is a misread.
        let addresses = Set(records.compactMap { $0.fields["client_ip"] })
        #expect(addresses == ["127.0.0.1", "::1"])
        let evil = records.filter { $0.message.contains("evil from 10.9.9.9") }
        #expect(evil.count == 3)
        for record in evil {
            #expect(record.fields["user"] == "evil from 10.9.9.9")
            #expect(record.fields["client_ip"] == "127.0.0.1")
            #expect(record.fields["client_port"] == "35110")
        }
        let from = records.filter { $0.message.contains("user from from") }
        #expect(from.count == 3)
        #expect(from.allSatisfy { $0.fields["user"] == "from" && $0.fields["client_ip"] == "127.0.0.1" })

        // Hand-made hostile names in the same forms (sshd logs the name verbatim).
        let hostile = parseAll(.syslog, [
            "Nov 29 00:26:45 h sshd[1]: Failed password for invalid user x from 10.0.0.1 port 22 ssh2 from 203.0.113.9 port 4242 ssh2",
            "Nov 29 00:26:45 h sshd[1]: Connection closed by invalid user a 10.0.0.1 port 1 203.0.113.9 port 4242 [preauth]",
            "Nov 29 00:26:45 h sshd[1]: Received disconnect from 203.0.113.9 port 4242:11: Bye from 10.0.0.1 port 22 [preauth]",
            "Nov 29 00:26:45 h sshd[1]: Unable to negotiate with 203.0.113.9 port 4242: no matching cipher found. Their offer: from 10.0.0.1 port 1 [preauth]",
            "Nov 29 00:26:45 h sshd[1]: Bad protocol version identification 'from 10.0.0.1 port 1' from 203.0.113.9 port 4242",
        ])
        #expect(hostile.allSatisfy { $0.fields["client_ip"] == "203.0.113.9" && $0.fields["client_port"] == "4242" })
        #expect(hostile[0].fields["user"] == "x from 10.0.0.1 port 22 ssh2")
        #expect(hostile[1].fields["user"] == "a 10.0.0.1 port 1")
        #expect(hostile[2].fields["ssh_event"] == "preauth_disconnect")
    }

    @Test("the same capture as sshd sent it to /dev/log: <PRI> gives the level, fields unchanged")
    func devLogForm() {
        let fileForm = parseAll(.syslog, Self.lines(GeneratedLogs.sshdAuthLog))
        let datagrams = parseAll(.syslog, Self.lines(GeneratedLogs.sshdDevLog))
        #expect(datagrams.count == fileForm.count)
        for (file, datagram) in zip(fileForm, datagrams) {
            var withoutFacility = Self.security(datagram)
            withoutFacility["facility"] = nil
            #expect(withoutFacility == Self.security(file), "\(datagram.message)")
        }
        // <35> = auth.err, <38> = auth.info, <85> = authpriv.notice: sshd's own severities win.
        let tooMany = datagrams.first { $0.fields["ssh_event"] == "too_many_failures" }
        #expect(tooMany?.level == .error)
        let failed = datagrams.first { $0.fields["ssh_event"] == "failed_password" }
        #expect(failed?.level == .info)
        #expect(datagrams.first { $0.fields["ssh_event"] == "auth_failure" }?.level == .notice)
    }

    @Test("journal form: SYSLOG_IDENTIFIER sshd gets the same fields")
    func journalForm() {
        let lines = Self.lines(GeneratedLogs.sshdAuthLog)
        let fileForm = parseAll(.syslog, lines)
        var journal = LogFormat.journalctl.parser()
        var compared = 0
        for (line, file) in zip(lines, fileForm) {
            // journalctl -o json as journald stores a syslog(3) message from sshd.
            var escaped = ""
            for character in file.message {
                if character == "\"" || character == "\\" { escaped.append("\\") }
                escaped.append(character)
            }
            let pid = file.fields["pid"] ?? "1"
            let json = "{\"__REALTIME_TIMESTAMP\":\"1764376013000000\",\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"4\","
                + "\"SYSLOG_IDENTIFIER\":\"sshd\",\"_PID\":\"\(pid)\",\"_COMM\":\"sshd\",\"MESSAGE\":\"\(escaped)\"}"
            let record = journal.parseCopy(json)
            var expected = Self.security(file)
            expected["syslog_identifier"] = "sshd"
            #expect(Self.security(record) == expected, "\(line)")
            compared += 1
        }
        #expect(compared == 110)
        // OpenSSH 9.8+ logs the pre-authentication work as sshd-session.
        let session = journal.parseCopy(
            "{\"PRIORITY\":\"6\",\"SYSLOG_IDENTIFIER\":\"sshd-session\",\"MESSAGE\":\"Invalid user admin from 198.51.100.23 port 50412\"}")
        #expect(session.fields["ssh_event"] == "invalid_user")
        #expect(session.fields["client_ip"] == "198.51.100.23")
    }

    @Test("LogHub Linux sample: every sshd PAM line's rhost and user, as the structured CSV has them", .enabled(if: SampleLogs.available, SampleLogs.skipReason))
    func loghub() throws {
        let lines = try SampleLogs.lines("loghub/Linux_2k.log")
        let rows = csvRows(try SampleLogs.text("loghub/Linux_2k.log_structured.csv"))
        var parser = LogFormat.syslog.parser()
        let records = parseAll(&parser, lines)
        var withAddress = 0
        var withHost = 0
        var events: [String: Int] = [:]
        for (record, row) in zip(records, rows) {
            let content = row["Content"] ?? ""
            if let event = record.fields["ssh_event"] { events[event, default: 0] += 1 }
            // Ground truth: the CSV's content split on its own, rhost= up to the blank.
            guard row["Component"] == "sshd(pam_unix)", let rhostRange = content.range(of: "rhost=") else {
                #expect(record.fields["client_ip"] == nil && record.fields["client_host"] == nil, "\(content)")
                continue
            }
            let rhost = String(content[rhostRange.upperBound...].prefix { $0 != " " })
            let isAddress = rhost.split(separator: ".").count == 4 && rhost.allSatisfy { $0.isNumber || $0 == "." }
            if isAddress {
                withAddress += 1
                #expect(record.fields["client_ip"] == rhost && record.fields["client_host"] == nil, "\(content)")
            } else {
                withHost += 1
                #expect(record.fields["client_host"] == rhost && record.fields["client_ip"] == nil, "\(content)")
            }
            let user = content.range(of: " user=").map { String(content[$0.upperBound...]) }
            #expect(record.fields["user"] == user, "\(content)")
        }
        #expect(withAddress + withHost == 489)
        #expect(withAddress == 300)
        #expect(events == ["auth_failure": 489, "unknown_user": 116, "session_opened": 36, "session_closed": 36])
    }

    @Test("forms from other OpenSSH versions and PAM setups (documented message formats)")
    func otherVersions() {
        let records = parseAll(.syslog, [
            "Jan 10 10:00:00 h sshd[1]: Did not receive identification string from 203.0.113.5 port 51234",
            "Jan 10 10:00:00 h sshd[1]: Did not receive identification string from 203.0.113.5",
            "Jan 10 10:00:00 h sshd[1]: Received disconnect from 203.0.113.5 port 51234:11: Bye Bye [preauth]",
            "Jan 10 10:00:00 h sshd[1]: error: PAM: Authentication failure for illegal user admin from 203.0.113.5",
            "Jan 10 10:00:00 h sshd[1]: error: PAM: Authentication failure for root from 2001:db8::7",
            "Jan 10 10:00:00 h sshd[1]: reverse mapping checking getaddrinfo for 5-113-0-203.example.net [203.0.113.5] failed - POSSIBLE BREAK-IN ATTEMPT!",
            "Jan 10 10:00:00 h sshd[1]: Address 203.0.113.5 maps to host.example.net, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!",
            "Jan 10 10:00:00 h sshd[1]: Disconnecting: Too many authentication failures for root [preauth]",
            "Jan 10 10:00:00 h sshd[1]: PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5  user=root",
            "Jan 10 10:00:00 h sshd[1]: User bob from 203.0.113.5 not allowed because not listed in AllowUsers",
            "Jan 10 10:00:00 h sshd[1]: fatal: Timeout before authentication for 203.0.113.5 port 4242",
            "Jan 10 10:00:00 h sshd[1]: Bad protocol version identification 'GET / HTTP/1.1' from 203.0.113.5 port 4242",
            "Jan 10 10:00:00 h sshd[1]: Failed keyboard-interactive/pam for invalid user x from 2001:db8::1 port 22 ssh2",
            "Jan 10 10:00:00 h sshd[1]: Failed none for invalid user x from 203.0.113.5 port 22 ssh2",
            "Jan 10 10:00:00 h sshd[1]: Invalid user test from 203.0.113.5",
            "Jan 10 10:00:00 h sshd[1]: Disconnected from invalid user admin 203.0.113.5 port 4242 [preauth]",
            "Jan 10 10:00:00 h sshd[1]: Connection reset by 203.0.113.5 port 4242 [preauth]",
            "Jan 10 10:00:00 h sshd[1]: Failed password for root from ::ffff:203.0.113.5 port 22 ssh2",
            "Jan 10 10:00:00 h sshd[1]: (pam_unix) authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=71-13-115-12.static.mdsn.wi.charter.com  user=root",
            "Jan 10 10:00:00 h sshd[1]: Failed password for root from host.example.net port 22 ssh2",
        ])
        let expected: [[String: String]] = [
            ["ssh_event": "no_identification", "client_ip": "203.0.113.5", "client_port": "51234"],
            ["ssh_event": "no_identification", "client_ip": "203.0.113.5"],
            ["ssh_event": "preauth_disconnect", "client_ip": "203.0.113.5", "client_port": "51234"],
            ["ssh_event": "auth_failure", "user": "admin", "client_ip": "203.0.113.5"],
            ["ssh_event": "auth_failure", "user": "root", "client_ip": "2001:db8::7"],
            ["ssh_event": "reverse_mapping_failed", "client_ip": "203.0.113.5"],
            ["ssh_event": "reverse_mapping_failed", "client_ip": "203.0.113.5"],
            ["ssh_event": "too_many_failures", "user": "root"],
            ["ssh_event": "auth_failure", "user": "root", "client_ip": "203.0.113.5"],
            ["ssh_event": "user_not_allowed", "user": "bob", "client_ip": "203.0.113.5"],
            ["ssh_event": "login_timeout", "client_ip": "203.0.113.5", "client_port": "4242"],
            ["ssh_event": "bad_protocol", "client_ip": "203.0.113.5", "client_port": "4242"],
            ["ssh_event": "failed_keyboard_interactive", "user": "x", "client_ip": "2001:db8::1", "client_port": "22", "method": "keyboard-interactive/pam"],
            ["ssh_event": "failed_other", "user": "x", "client_ip": "203.0.113.5", "client_port": "22", "method": "none"],
            ["ssh_event": "invalid_user", "user": "test", "client_ip": "203.0.113.5"],
            ["ssh_event": "preauth_disconnect", "user": "admin", "client_ip": "203.0.113.5", "client_port": "4242"],
            ["ssh_event": "connection_reset", "client_ip": "203.0.113.5", "client_port": "4242"],
            ["ssh_event": "failed_password", "user": "root", "client_ip": "::ffff:203.0.113.5", "client_port": "22", "method": "password"],
            ["ssh_event": "auth_failure", "user": "root", "client_host": "71-13-115-12.static.mdsn.wi.charter.com"],
            ["ssh_event": "failed_password", "user": "root", "client_host": "host.example.net", "client_port": "22", "method": "password"],
        ]
        #expect(records.count == expected.count)
        for (record, fields) in zip(records, expected) {
            #expect(Self.security(record) == fields, "\(record.message)")
        }
        #expect(records[3].level == .error)
        #expect(records[10].level == .fatal)
        #expect(records[5].level == .warn)
    }

    @Test("other programs never get sshd fields, and sshd lines that report no event get none")
    func otherPrograms() {
        let records = parseAll(.syslog, [
            "Jan 10 10:00:00 h sshdx[1]: Failed password for root from 203.0.113.5 port 22 ssh2",
            "Jan 10 10:00:00 h cron[1]: Failed password for root from 203.0.113.5 port 22 ssh2",
            "Jan 10 10:00:00 h sshd[1]: Failed password",
            "Jan 10 10:00:00 h sshd[1]: Failed",
            "Jan 10 10:00:00 h sshd[1]: Connection closed by",
            "Jan 10 10:00:00 h sshd[1]: ",
            "Jan 10 10:00:00 h sshd[1]: pam_unix(sshd:auth): ",
            "Jan 10 10:00:00 h sshd[1]: Received disconnect from",
            "Jan 10 10:00:00 h sshd[1]: Accepted key ED25519 SHA256:x found at /home/a/.ssh/authorized_keys:1",
        ])
        #expect(records.allSatisfy { $0.kind == .record })
        #expect(records[0].fields["ssh_event"] == nil && records[1].fields["ssh_event"] == nil)
        #expect(records[2].fields["ssh_event"] == nil)
        #expect(records[8].fields["ssh_event"] == nil)
        #expect(records.allSatisfy { $0.fields["client_ip"] == nil })
    }
}
