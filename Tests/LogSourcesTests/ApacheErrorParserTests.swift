import LogSourcesCore
import Testing

@Suite("apache_error parser")
struct ApacheErrorParserTests {
    @Test("real Apache 2.4.71 error log from this machine")
    func apache24() {
        let lines = GeneratedLogs.apache24.split(separator: "\n").map(String.init)
        let records = parseAll(.apacheError, lines)
        #expect(records.allSatisfy { $0.kind == .record })

        #expect(records[0].level == .notice)
        #expect(records[0].component == "mpm_event")
        #expect(records[0].timestampMicros == utc(2026, 11, 25, 11, 27, 22, 363_911))
        #expect(records[0].fields == ["pid": "18170", "tid": "18170", "error_code": "AH00489"])
        #expect(records[0].message == "AH00489: Apache/2.4.71 (Debian) configured -- resuming normal operations")

        #expect(records[4].level == .error)
        #expect(records[4].component == "authz_core")
        #expect(records[4].fields == [
            "pid": "18171", "tid": "18180", "client_ip": "127.0.0.1", "client_port": "42672", "error_code": "AH01630",
        ])
        #expect(records[4].message == "AH01630: client denied by server configuration: /tmp/ap/www/private/x.html")

        // 2.4 writes IPv6 clients unbracketed, port after the last colon.
        #expect(records[7].fields["client_ip"] == "::1")
        #expect(records[7].fields["client_port"] == "59840")

        // The APR status comes before the code.
        #expect(records[11].level == .error)
        #expect(records[11].component == "mime")
        #expect(records[11].fields["error_code"] == "AH01597")
        #expect(records[11].message.hasPrefix("(2)No such file or directory: AH01597:"))
    }

    @Test("fail2ban's apache-auth sample: 2.2 and 2.4 lines, IPv6, bracketed clients", .enabled(if: SampleLogs.available, SampleLogs.skipReason))
    func fail2banApacheAuth() throws {
        let lines = try SampleLogs.lines("fail2ban/apache-auth").filter { $0.first != UInt8(ascii: "#") }
        var parser = LogFormat.apacheError.parser()
        let records = parseAll(&parser, lines)
        let logLines = records.filter { $0.kind != .skip }
        #expect(logLines.count > 40)
        #expect(logLines.allSatisfy { $0.kind == .record && $0.level == .error && $0.timestampMicros > 0 })

        // 2.2: "[Thu Jul 11 01:21:41 2013] [error] [client 194.228.20.113] user  not found: /"
        let v22 = try #require(records.first { $0.message == "user  not found: /" })
        #expect(v22.timestampMicros == utc(2013, 7, 11, 1, 21, 41))
        #expect(v22.component == nil)
        #expect(v22.fields == ["client_ip": "194.228.20.113"])

        // 2.2 with a bare IPv6 address: no port to split off.
        let v6 = try #require(records.first { $0.message == "user test-ipv6 not found: /" })
        #expect(v6.fields == ["client_ip": "2001:db8::80da:af6b:8b2c"])

        // 2.4 with a bracketed IPv6 client.
        let bracketed = try #require(records.first { $0.message.contains("user test-ipv6 to access") })
        #expect(bracketed.fields["client_ip"] == "2001:db8::80da:af6b:8b2c")
        #expect(bracketed.fields["client_port"] == "51548")
        #expect(bracketed.component == "authz_owner")
        #expect(bracketed.timestampMicros == utc(2013, 7, 20, 22, 11, 44, 147_674))

        // The DoS sample: a client tag inside the message is message, not a field.
        let dos = try #require(records.first { $0.message.hasPrefix("File does not exist: /srv/http/site/[client") })
        #expect(dos.fields == ["client_ip": "192.168.33.1"])

        // Every sample line with a "host" in its failJSON has that client address.
        let annotated = try SampleLogs.lines("fail2ban/apache-auth")
        var checked = 0
        for (index, line) in annotated.enumerated() where index + 1 < annotated.count {
            let text = String(decoding: line, as: UTF8.self)
            guard text.hasPrefix("# failJSON:"), let hostRange = text.range(of: "\"host\": \"") else { continue }
            let host = text[hostRange.upperBound...].prefix { $0 != "\"" }
            var single = LogFormat.apacheError.parser()
            let record = single.parseCopy(annotated[index + 1])
            #expect(record.fields["client_ip"] == String(host), "\(text)")
            checked += 1
        }
        #expect(checked > 20)
    }

    @Test("2.2 and 2.4 lines typed from the formats; levels; local time")
    func formats() {
        let records = parseAll(.apacheError, [
            "[Sun Feb 15 00:00:54 2026] [warn] [client 10.0.0.5] mod_fcgid: stderr: deprecated",
            "[Sun Feb 15 00:00:54.123456 2026] [php:crit] [pid 812] [client 203.0.113.9:44321] PHP Fatal error:  Allowed memory size exhausted, referer: https://example.com/",
            "[Sun Feb 15 00:00:54.000001 2026] [:error] [pid 812] [client 203.0.113.9:44321] PHP Warning:  Undefined variable",
            "[Sun Feb 15 00:00:54 2026] [proxy:trace5] [pid 9:tid 10] proxy_util.c(2200): connection pool",
            "[Sun Feb 15 00:00:54.5 2026] [ssl:emerg] [pid 9] AH02572: Failed to configure at least one certificate",
            "[Sun Feb 15 00:00:54 2026] [core:error] [pid 9] [remote 10.1.1.1:80] [client 203.0.113.9:1] AH00037: Symbolic link not allowed",
            "AH00558: apache2: Could not reliably determine the server's fully qualified domain name",
            "[not a date] [error] nope",
        ], offsetSeconds: -6 * 3600)
        #expect(records[0].level == .warn)
        #expect(records[0].timestampMicros == utc(2026, 2, 15, 6, 0, 54))
        #expect(records[1].level == .fatal)
        #expect(records[1].component == "php")
        #expect(records[1].fields == ["pid": "812", "client_ip": "203.0.113.9", "client_port": "44321"])
        #expect(records[2].component == nil)
        #expect(records[2].level == .error)
        #expect(records[3].level == .debug)
        #expect(records[4].level == .fatal)
        #expect(records[4].timestampMicros == utc(2026, 2, 15, 6, 0, 54, 500_000))
        #expect(records[5].fields["client_ip"] == "203.0.113.9")  // the client wins over the proxy peer
        #expect(records[6].kind == .unparsed)
        #expect(records[7].kind == .unparsed)
    }
}
