import LogSourcesCore
import Testing

@Suite("certbot parser")
struct CertbotParserTests {
    @Test("real certbot 2.1.0 log with a chained traceback")
    func realLog() throws {
        let lines = GeneratedLogs.certbot.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let records = parseAll(.certbot, lines)

        #expect(records[0].kind == .record)
        #expect(records[0].level == .debug)
        #expect(records[0].component == "certbot._internal.main")
        #expect(records[0].message == "certbot version: 2.1.0")
        #expect(records[0].timestampMicros == utc(2026, 11, 25, 11, 27, 47, 836_000))

        // The plugin description printed over several lines.
        #expect(records[6].message == "Single candidate plugin: * standalone")
        #expect(records[7].kind == .continuation)
        #expect(records[7].message == "Description: Spin up a temporary webserver")

        // "Exiting abnormally:" followed by the traceback, blank lines inside skipped.
        let exiting = try #require(records.firstIndex { $0.message == "Exiting abnormally:" })
        #expect(records[exiting + 1].kind == .continuation)
        #expect(records[exiting + 1].message == "Traceback (most recent call last):")
        #expect(records[exiting + 2].message.hasPrefix("  File \"/usr/lib/python3/dist-packages/urllib3/connection.py\""))
        var index = exiting + 1
        while index < records.count, records[index].kind != .record {
            #expect(records[index].kind == .continuation || (records[index].kind == .skip && lines[index].isEmpty))
            index += 1
        }
        #expect(index > exiting + 40)

        // The run ends with the ERROR the user saw.
        let errors = records.filter { $0.kind == .record && $0.level == .error }
        #expect(!errors.isEmpty)
        #expect(records.filter { $0.kind == .unparsed }.isEmpty)
    }

    @Test("format lines typed from the spec")
    func typed() {
        let records = parseAll(.certbot, [
            "Traceback before any record",
            "2026-02-15 03:00:01,123:INFO:certbot._internal.renewal:Cert not yet due for renewal",
            "2026-02-15 03:00:02,000:WARNING:certbot._internal.renewal:Attempting to renew cert (api.pqcrypta.com) from /etc/letsencrypt/renewal/api.pqcrypta.com.conf produced an unexpected error: x. Skipping.",
            "2026-02-15 03:00:02,001:ERROR:certbot._internal.renewal:1 renew failure(s), 0 parse failure(s)",
        ], offsetSeconds: 3600)
        #expect(records[0].kind == .unparsed)
        #expect(records[1].level == .info)
        #expect(records[1].timestampMicros == utc(2026, 2, 15, 2, 0, 1, 123_000))
        #expect(records[2].level == .warn)
        #expect(records[3].level == .error)
        #expect(records[3].component == "certbot._internal.renewal")
        #expect(records[3].message == "1 renew failure(s), 0 parse failure(s)")
    }
}
