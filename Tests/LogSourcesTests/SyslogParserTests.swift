import LogSourcesCore
import Testing

@Suite("syslog parser")
struct SyslogParserTests {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    @Test("Linux_2k.log: every line is a record matching the structured CSV", .enabled(if: SampleLogs.available, SampleLogs.skipReason))
    func loghubLinux() throws {
        let lines = try SampleLogs.lines("loghub/Linux_2k.log")
        let expected = csvRows(try SampleLogs.text("loghub/Linux_2k.log_structured.csv"))
        #expect(lines.count == 2000)
        #expect(expected.count == 2000)
        var parser = LogFormat.syslog.parser()  // now = 2026-02-15: June/July lines are 2025's
        let records = parseAll(&parser, lines)
        var mismatches = 0
        for (index, (record, row)) in zip(records, expected).enumerated() {
            let month = try #require(Self.months.firstIndex(of: row["Month"] ?? "")) + 1
            let day = try #require(Int(row["Date"] ?? ""))
            let clock = (row["Time"] ?? "").split(separator: ":").compactMap { Int($0) }
            let ok =
                record.kind == .record && record.component == row["Component"]
                && record.message == row["Content"] && record.fields["host"] == row["Level"]
                && record.fields["pid"] == (row["PID"]?.isEmpty == false ? row["PID"] : nil)
                && record.timestampMicros == utc(2025, month, day, clock[0], clock[1], clock[2])
                && record.level == Self.impliedLevel(row)
            if !ok {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("line \(index + 1): \(record) vs \(row)")
                }
            }
        }
        #expect(mismatches == 0)
    }

    /// The level the message implies (docs/log-fields.md) for the LogHub lines that
    /// imply one: sshd's PAM failures, PAM failures of other services, `warning:`.
    private static func impliedLevel(_ row: [String: String]) -> LogLevel {
        let content = row["Content"] ?? ""
        let component = row["Component"] ?? ""
        if component == "sshd(pam_unix)" {
            if content.hasPrefix("authentication failure;") || content.hasPrefix("check pass; user unknown") { return .warn }
            if content.hasPrefix("session opened") || content.hasPrefix("session closed") { return .info }
        }
        if content.hasPrefix("authentication failure;") || content.hasPrefix("warning:") { return .warn }
        return .unknown
    }

    @Test("RFC 3164 specifics: component with spaces, double space before the tag, kernel lines")
    func rfc3164Details() {
        let records = parseAll(.syslog, [
            "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ",
            "Jul  7 08:06:15 combo  -- root[2421]: ROOT LOGIN ON tty2",
            "Jun 19 04:09:11 combo syslogd 1.4.1: restart.",
            "Feb 14 06:25:01 web kernel: [12345.678901] [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=10.0.0.2",
            "Feb 14 06:25:02 sshd[42]: no hostname in this one",
            "Feb 14 06:25:03 host a message without any tag at all",
        ])
        #expect(records[0].component == "sshd(pam_unix)")
        #expect(records[0].fields == ["host": "combo", "pid": "19939", "ssh_event": "auth_failure", "client_ip": "218.188.2.4"])
        #expect(records[0].message.hasSuffix("rhost=218.188.2.4"))
        #expect(records[1].component == "-- root")
        #expect(records[1].message == "ROOT LOGIN ON tty2")
        #expect(records[2].component == "syslogd 1.4.1")
        #expect(records[3].component == "kernel")
        #expect(records[3].message.hasPrefix("[12345.678901] [UFW BLOCK]"))
        #expect(records[3].timestampMicros == utc(2026, 2, 14, 6, 25, 1))
        #expect(records[4].component == "sshd")
        #expect(records[4].fields == ["pid": "42"])
        #expect(records[5].component == nil)
        #expect(records[5].message == "a message without any tag at all")
    }

    @Test("year inference: a December line read in January is last year's, never next year's")
    func yearInference() {
        let january2 = utc(2026, 1, 2, 8, 0, 0)
        let inJanuary = parseAll(.syslog, [
            "Dec 31 23:59:59 h cron[1]: late in the old year",
            "Jan  1 00:00:01 h cron[1]: early in the new year",
            "Jan  2 09:00:00 h cron[1]: an hour ahead of a slow clock",
        ], now: january2)
        #expect(inJanuary[0].timestampMicros == utc(2025, 12, 31, 23, 59, 59))
        #expect(inJanuary[1].timestampMicros == utc(2026, 1, 1, 0, 0, 1))
        #expect(inJanuary[2].timestampMicros == utc(2026, 1, 2, 9, 0, 0))

        // Read on 31 December, a remote host whose clock already says 1 January.
        let newYearsEve = utc(2025, 12, 31, 23, 50, 0)
        let fastClock = parseAll(.syslog, ["Jan  1 00:05:00 h app: from a fast clock"], now: newYearsEve)
        #expect(fastClock[0].timestampMicros == utc(2026, 1, 1, 0, 5, 0))

        // 29 February read in a non-leap year belongs to the last leap year.
        let leap = parseAll(.syslog, ["Feb 29 12:00:00 h app: leap day"], now: utc(2026, 3, 10, 0, 0, 0))
        #expect(leap[0].timestampMicros == utc(2024, 2, 29, 12, 0, 0))

        // Mid-year: a line from the future by more than a day is last year's.
        let mid = parseAll(.syslog, ["Aug 20 10:00:00 h app: x", "Jun 20 10:00:00 h app: y"], now: utc(2026, 6, 21, 0, 0, 0))
        #expect(mid[0].timestampMicros == utc(2025, 8, 20, 10, 0, 0))
        #expect(mid[1].timestampMicros == utc(2026, 6, 20, 10, 0, 0))
    }

    @Test("zone-less timestamps go through the injected local-time conversion")
    func localZone() {
        // Local = UTC+2: 10:00 local is 08:00 UTC.
        let records = parseAll(.syslog, ["Feb 14 10:00:00 h app: x"], offsetSeconds: 7200)
        #expect(records[0].timestampMicros == utc(2026, 2, 14, 8, 0, 0))
    }

    @Test("RFC 3339 file timestamps (rsyslog high precision) with offsets")
    func isoTimestamps() {
        let records = parseAll(.syslog, [
            "2026-02-15T00:00:54.808228-06:00 api01 pqcrypta-api[812]: request served",
            "2026-02-15T06:00:54Z api01 systemd[1]: Started Daily apt upgrade.",
        ])
        #expect(records[0].timestampMicros == utc(2026, 2, 15, 6, 0, 54, 808_228))
        #expect(records[0].component == "pqcrypta-api")
        #expect(records[0].fields == ["host": "api01", "pid": "812"])
        #expect(records[1].timestampMicros == utc(2026, 2, 15, 6, 0, 54))
    }

    @Test("RFC 5424 and <PRI> give level and facility")
    func rfc5424() {
        let records = parseAll(.syslog, [
            "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \u{FEFF}'su root' failed for lonvick on /dev/pts/8",
            "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
            "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] An application event log entry...",
            "<13>Feb 14 06:25:01 host app[3]: 3164 with a priority",
        ])
        #expect(records[0].level == .fatal)  // severity 2 (crit)
        #expect(records[0].fields == ["facility": "4", "host": "mymachine.example.com"])
        #expect(records[0].component == "su")
        #expect(records[0].message == "'su root' failed for lonvick on /dev/pts/8")
        #expect(records[0].timestampMicros == utc(2003, 10, 11, 22, 14, 15, 3000))
        #expect(records[1].level == .notice)
        #expect(records[1].fields["pid"] == "8710")
        #expect(records[1].timestampMicros == utc(2003, 8, 24, 12, 14, 15, 3))
        #expect(records[2].message == "An application event log entry...")
        #expect(records[3].level == .notice)
        #expect(records[3].component == "app")
    }

    @Test("lines that are not syslog are unparsed; blank lines skipped")
    func notSyslog() {
        let records = parseAll(.syslog, ["", "   ", "hello world", "Foo 14 10:00:00 h app: bad month", "Feb 30 10:00:00 h app: no such day"])
        #expect(records.map(\.kind) == [.skip, .skip, .unparsed, .unparsed, .unparsed])
    }
}
