import LogSourcesCore
import Testing

@Suite("parser factory and outcome contract")
struct LogFormatTests {
    @Test("the factory knows the seven names the spec's sources use")
    func names() {
        #expect(LogFormat.allCases.map(\.rawValue) == [
            "postgresql", "journalctl", "syslog", "apache_error", "simple_timestamp", "fail2ban", "certbot",
        ])
        for name in LogFormat.allCases.map(\.rawValue) {
            #expect(LogFormat.makeParser(named: name, time: .system) != nil)
        }
        #expect(LogFormat.makeParser(named: "nginx", time: .system) == nil)
    }

    @Test("raw values match pqcrypta_plugin.h")
    func abiValues() {
        // pqc_parse_result
        #expect(ParseKind.record.rawValue == 0)
        #expect(ParseKind.continuation.rawValue == 1)
        #expect(ParseKind.skip.rawValue == 2)
        #expect(ParseKind.unparsed.rawValue == 3)
        // pqc_level
        #expect(LogLevel.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 5, 6])
        #expect(LogLevel.allCases.map(\.storedName) == ["info", "debug", "info", "notice", "warn", "error", "fatal"])
    }

    @Test("field keys are distinct NUL-terminated names")
    func fieldKeys() {
        let names = FieldKey.allCases.map(\.nameString)
        #expect(Set(names).count == names.count)
        for key in FieldKey.allCases {
            #expect(key.name.utf8Start[key.name.utf8CodeUnitCount] == 0)
        }
    }

    @Test("text in an outcome points into the line")
    func borrowsLine() {
        var parser = LogFormat.syslog.parser()
        let line = Array("Jun 14 15:16:01 combo sshd[1]: hello".utf8)
        line.withUnsafeBytes { raw in
            let outcome = parser.parse(raw)
            let base = raw.baseAddress!
            #expect(outcome.message.bytes.baseAddress == base + 31)
            #expect(outcome.component?.bytes.baseAddress == base + 22)
        }
    }

    @Test("the system time context uses the process zone")
    func systemContext() {
        let now = LogTimeContext.system.nowMicros()
        #expect(now > utc(2024, 1, 1, 0, 0, 0))
        // With TZ unset in CI this is UTC; either way it is a real instant.
        #expect(LogTimeContext.system.localToUTC(2026, 2, 30, 0, 0, 0, 0) == nil)
        #expect(LogTimeContext.system.localToUTC(2026, 2, 15, 0, 0, 0, 0) != nil)
    }
}
