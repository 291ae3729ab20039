import LogSourcesCore
import Testing

@Suite("journalctl parser")
struct JournalctlParserTests {
    /// Real `journalctl --file test.journal -o json --all` output (systemd 252): the
    /// journal file was made on this machine by systemd-journal-remote from an export
    /// stream holding a coloured Rust tracing line (binary, so a byte array), a plain
    /// tracing line, invalid UTF-8, JSON escapes and a multi-line message.
    static let realJournalctlOutput: [String] = [
        #"{"_TRANSPORT":"stdout","MESSAGE":[27,91,50,109,50,48,50,54,45,48,50,45,49,53,84,48,48,58,48,48,58,53,52,46,56,48,56,50,50,56,90,27,91,48,109,32,27,91,51,50,109,32,73,78,70,79,27,91,48,109,32,27,91,50,109,112,113,99,114,121,112,116,97,95,97,112,105,58,58,114,111,117,116,101,115,27,91,48,109,27,91,50,109,58,27,91,48,109,32,114,101,113,117,101,115,116,32,115,101,114,118,101,100,32,112,97,116,104,61,47,104,101,97,108,116,104,32,115,116,97,116,117,115,61,50,48,48],"_PID":"812","PRIORITY":"6","_SYSTEMD_UNIT":"pqcrypta-api.service","__REALTIME_TIMESTAMP":"1771113654808228","_HOSTNAME":"api01","__MONOTONIC_TIMESTAMP":"1000000","_BOOT_ID":"62c460d8931346bf85d24dfe22d2d2fb","__CURSOR":"s=a4aa9206358343e4851f1306b957cc05;i=1;b=62c460d8931346bf85d24dfe22d2d2fb;m=f4240;t=64ad188406ea4;x=6a8f617d189114ad","_COMM":"pqcrypta-api","SYSLOG_IDENTIFIER":"pqcrypta-api"}"#,
        #"{"MESSAGE":"2026-02-15T00:00:55.000001Z ERROR pqcrypta_api::db: connection pool exhausted after 30s","_COMM":"pqcrypta-api","_PID":"812","_BOOT_ID":"62c460d8931346bf85d24dfe22d2d2fb","_SYSTEMD_UNIT":"pqcrypta-api.service","PRIORITY":"6","_HOSTNAME":"api01","__MONOTONIC_TIMESTAMP":"1000001","SYSLOG_IDENTIFIER":"pqcrypta-api","_TRANSPORT":"stdout","__CURSOR":"s=a4aa9206358343e4851f1306b957cc05;i=2;b=62c460d8931346bf85d24dfe22d2d2fb;m=f4241;t=64ad18840728c;x=3db4c50355058c07","__REALTIME_TIMESTAMP":"1771113654809228"}"#,
        #"{"_SYSTEMD_UNIT":"pqcrypta-api.service","_HOSTNAME":"api01","_TRANSPORT":"stdout","PRIORITY":"3","_COMM":"pqcrypta-api","_BOOT_ID":"62c460d8931346bf85d24dfe22d2d2fb","MESSAGE":[105,110,118,97,108,105,100,32,117,116,102,56,32,104,101,114,101,58,32,255,254,32,97,110,100,32,111,107,32,195,169],"__MONOTONIC_TIMESTAMP":"1000002","__CURSOR":"s=a4aa9206358343e4851f1306b957cc05;i=3;b=62c460d8931346bf85d24dfe22d2d2fb;m=f4242;t=64ad188407674;x=cde18d37815a8f0a","__REALTIME_TIMESTAMP":"1771113654810228","_PID":"812","SYSLOG_IDENTIFIER":"pqcrypta-api"}"#,
        #"{"_TRANSPORT":"stdout","_BOOT_ID":"62c460d8931346bf85d24dfe22d2d2fb","_HOSTNAME":"api01","__CURSOR":"s=a4aa9206358343e4851f1306b957cc05;i=4;b=62c460d8931346bf85d24dfe22d2d2fb;m=f4243;t=64ad188407a5c;x=fdea69129ee0b000","SYSLOG_IDENTIFIER":"pqcrypta-api","__REALTIME_TIMESTAMP":"1771113654811228","__MONOTONIC_TIMESTAMP":"1000003","_COMM":"pqcrypta-api","PRIORITY":"4","_SYSTEMD_UNIT":"pqcrypta-api.service","MESSAGE":"quotes \" and backslash \\ and tab\tend","_PID":"812"}"#,
        #"{"__CURSOR":"s=a4aa9206358343e4851f1306b957cc05;i=5;b=62c460d8931346bf85d24dfe22d2d2fb;m=f4244;t=64ad188407e44;x=2676b90a1742b95c","_PID":"812","_BOOT_ID":"62c460d8931346bf85d24dfe22d2d2fb","PRIORITY":"5","_TRANSPORT":"stdout","_COMM":"pqcrypta-api","MESSAGE":"multi\nline\nmessage","__MONOTONIC_TIMESTAMP":"1000004","_SYSTEMD_UNIT":"pqcrypta-api.service","_HOSTNAME":"api01","__REALTIME_TIMESTAMP":"1771113654812228","SYSLOG_IDENTIFIER":"pqcrypta-api"}"#,
    ]

    @Test("real journalctl output: byte arrays, ANSI colours, Rust tracing, escapes")
    func realOutput() {
        let records = parseAll(.journalctl, Self.realJournalctlOutput)
        #expect(records.allSatisfy { $0.kind == .record })

        #expect(records[0].level == .info)
        #expect(records[0].component == "pqcrypta_api::routes")
        #expect(records[0].message == "request served path=/health status=200")
        #expect(records[0].timestampMicros == 1_771_113_654_808_228)
        #expect(records[0].fields == [
            "pid": "812", "unit": "pqcrypta-api.service", "host": "api01", "syslog_identifier": "pqcrypta-api",
        ])

        // PRIORITY says 6, the tracing prefix says ERROR: the prefix wins.
        #expect(records[1].level == .error)
        #expect(records[1].component == "pqcrypta_api::db")
        #expect(records[1].message == "connection pool exhausted after 30s")

        // Invalid UTF-8 in a byte array: decoded lossily.
        #expect(records[2].level == .error)
        #expect(records[2].component == "pqcrypta-api")
        #expect(records[2].message == "invalid utf8 here: \u{FFFD}\u{FFFD} and ok é")

        #expect(records[3].level == .warn)
        #expect(records[3].message == "quotes \" and backslash \\ and tab\tend")
        #expect(records[4].level == .notice)
        #expect(records[4].message == "multi\nline\nmessage")
    }

    @Test("elastic/beats journald samples (pretty-printed, joined to one line)", .enabled(if: SampleLogs.available, SampleLogs.skipReason))
    func beatsSamples() throws {
        let event = try SampleLogs.text("journald/sample-journal-event.json").replacingOccurrences(of: "\n", with: " ")
        let pulse = try SampleLogs.text("journald/corner-cases.pulseaudio-record.json").replacingOccurrences(of: "\n", with: " ")
        let records = parseAll(.journalctl, [event, pulse])

        #expect(records[0].kind == .record)
        #expect(records[0].message == "Count: 0000000001")
        #expect(records[0].level == .info)
        #expect(records[0].component == "TestRestartsJournalctlOnError")
        #expect(records[0].timestampMicros == 1_724_080_855_230_058)
        #expect(records[0].fields == [
            "pid": "235728", "unit": "session-2.scope", "host": "millennium-falcon",
            "syslog_identifier": "TestRestartsJournalctlOnError",
        ])

        // MESSAGE as a byte array with a CR inside.
        #expect(records[1].kind == .record)
        #expect(records[1].level == .error)
        #expect(records[1].component == "pulseaudio")
        #expect(records[1].message == "Unable to parse indicator of AT+BIA command: AT+BIA=1,1,0,0,0\rAT+BCS=2")
        #expect(records[1].timestampMicros == 1_719_859_366_807_141)
    }

    @Test("MESSAGE null (journalctl without --all), arrays of values, missing fields")
    func messageShapes() {
        let records = parseAll(.journalctl, [
            #"{"MESSAGE":null,"PRIORITY":"6","__REALTIME_TIMESTAMP":"1"}"#,
            #"{"MESSAGE":["first","second"],"PRIORITY":"2"}"#,
            #"{"MESSAGE":[[104,105],[104,111]]}"#,
            #"{"_COMM":"cron","MESSAGE":"\u00e9\ud83d\ude00\ud800x"}"#,
            #"{}"#,
        ])
        #expect(records.allSatisfy { $0.kind == .record })
        #expect(records[0].message == "")
        #expect(records[0].timestampMicros == 1)
        #expect(records[1].message == "first")
        #expect(records[1].level == .fatal)
        #expect(records[2].message == "hi")
        #expect(records[3].message == "é😀\u{FFFD}x")
        #expect(records[3].component == "cron")
        #expect(records[4].timestampMicros == 0)
        #expect(records[4].level == .unknown)
    }

    @Test("Rust tracing variants: spans, no timestamp, no target")
    func tracingVariants() {
        let records = parseAll(.journalctl, [
            #"{"MESSAGE":" WARN request{method=GET uri=/v1}:auth: pqcrypta_api::auth: token expired"}"#,
            #"{"MESSAGE":"DEBUG hyper::proto: flushed 120 bytes"}"#,
            #"{"MESSAGE":"2026-02-15T00:00:54.808228Z  INFO started in 3ms"}"#,
            #"{"MESSAGE":"INFO is just a word here", "SYSLOG_IDENTIFIER":"x"}"#,
        ])
        #expect(records[0].level == .warn)
        #expect(records[0].component == "pqcrypta_api::auth")
        #expect(records[0].message == "token expired")
        #expect(records[1].level == .debug)
        #expect(records[1].component == "hyper::proto")
        #expect(records[2].level == .info)
        #expect(records[2].message == "started in 3ms")
        #expect(records[3].level == .unknown)
        #expect(records[3].component == "x")
        #expect(records[3].message == "INFO is just a word here")
    }

    @Test("truncated or malformed JSON is unparsed, never a crash")
    func malformed() {
        let full = Self.realJournalctlOutput[0]
        var parser = LogFormat.journalctl.parser()
        // Every prefix of a real line: all unparsed (a prefix is never a whole object).
        let bytes = Array(full.utf8)
        for length in 0..<bytes.count {
            let record = parser.parseCopy(Array(bytes[0..<length]))
            #expect(record.kind == (length == 0 ? .skip : .unparsed))
        }
        let bad = [
            "{\"MESSAGE\":\"x\"} trailing", "[1,2,3]", "{\"MESSAGE\" \"x\"}", "{\"MESSAGE\":\"a\u{01}b\"}",
            "{\"MESSAGE\":[300]}", "{\"a\":tru}", "{\"a\":-}", "{\"a\":1.}", "-- No entries --",
            String(repeating: "[", count: 10_000), "{\"a\":" + String(repeating: "[", count: 10_000),
        ]
        for line in bad {
            let record = parser.parseCopy(line)
            if line == "{\"MESSAGE\":[300]}" {
                #expect(record.kind == .record && record.message == "")  // not bytes: no message
            } else {
                #expect(record.kind == .unparsed, "\(line.prefix(40))")
            }
        }
    }
}
