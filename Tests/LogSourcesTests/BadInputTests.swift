import LogSourcesCore
import Testing

@Suite("bad input, every parser")
struct BadInputTests {
    /// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
    static func garbage(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed | 1
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    /// A valid line of each format, to mutate.
    static let validLines: [LogFormat: String] = [
        .postgresql: "2026-11-25 11:25:22.379 UTC [16016] postgres@postgres ERROR:  relation \"x\" does not exist",
        .journalctl: #"{"MESSAGE":"hello","PRIORITY":"6","_PID":"1","__REALTIME_TIMESTAMP":"1771113654808228"}"#,
        .syslog: "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; rhost=218.188.2.4",
        .apacheError: "[Sat Jul 20 21:34:49.453232 2013] [access_compat:error] [pid 17512:tid 1] [client 127.0.0.1:51380] AH01797: denied",
        .simpleTimestamp: "[2026-02-15 00:00:54] Health check passed",
        .fail2ban: "2026-11-25 11:27:57,946 fail2ban.actions        [19124]: NOTICE  [sshd] Ban 203.0.113.7",
        .certbot: "2026-11-25 11:27:47,836:DEBUG:certbot._internal.main:certbot version: 2.1.0",
    ]

    @Test("empty and whitespace-only lines are skipped", arguments: LogFormat.allCases)
    func emptyLines(format: LogFormat) {
        var parser = format.parser()
        for line in ["", " ", "\t", "\r", "   \t  "] {
            let record = parser.parseCopy(line)
            #expect(record.kind == .skip, "\(format) \(line.debugDescription)")
        }
    }

    @Test("invalid UTF-8 and NUL bytes pass through as bytes", arguments: LogFormat.allCases)
    func invalidUTF8(format: LogFormat) throws {
        var parser = format.parser()
        let valid = Array(try #require(Self.validLines[format]).utf8)
        // Append raw bytes to the message: invalid UTF-8, NUL, a lone continuation byte.
        let junk: [UInt8] = [0xFF, 0x00, 0xC3, 0x28, 0x80, 0x00, 0xED, 0xA0, 0x80]
        let line: [UInt8]
        if format == .journalctl {
            // Raw bytes inside a JSON string are not JSON: they must be unparsed.
            line = Array(valid.prefix(14)) + junk + Array(valid.dropFirst(14))
        } else {
            line = valid + junk
        }
        let record = parser.parseCopy(line)
        if format == .journalctl {
            #expect(record.kind == .unparsed)
            #expect(record.messageBytes == line)
        } else {
            #expect(record.kind == .record)
            #expect(Array(record.messageBytes.suffix(junk.count)) == junk)
        }
    }

    @Test("binary garbage never crashes and never claims a timestamp it did not read", arguments: LogFormat.allCases)
    func garbage(format: LogFormat) {
        var parser = format.parser()
        var kinds: [ParseKind: Int] = [:]
        for seed in 1...2000 {
            let length = Int(seed % 300)
            let line = Self.garbage(count: length, seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15)
            let record = parser.parseCopy(line)
            kinds[record.kind, default: 0] += 1
            if record.kind == .unparsed {
                #expect(record.messageBytes == line)
            }
        }
        #expect((kinds[.record] ?? 0) == 0, "\(format): \(kinds)")
    }

    @Test("every prefix and every single-byte mutation of a valid line is handled", arguments: LogFormat.allCases)
    func mutations(format: LogFormat) throws {
        var parser = format.parser()
        let valid = Array(try #require(Self.validLines[format]).utf8)
        for length in 0...valid.count {
            _ = parser.parseCopy(Array(valid.prefix(length)))
        }
        for index in valid.indices {
            for replacement: UInt8 in [0x00, 0x20, 0x5B, 0x5D, 0x3A, 0x22, 0x5C, 0x7B, 0xFF] {
                var mutated = valid
                mutated[index] = replacement
                _ = parser.parseCopy(mutated)
            }
        }
        #expect(parser.parseCopy(valid).kind == .record)
    }

    @Test("a 1 MB line parses in one piece", arguments: LogFormat.allCases)
    func megabyteLine(format: LogFormat) throws {
        var parser = format.parser()
        let megabyte = String(repeating: "x", count: 1 << 20)
        let valid = try #require(Self.validLines[format])
        let line: String
        if format == .journalctl {
            line = #"{"MESSAGE":"\#(megabyte)","PRIORITY":"3"}"#
        } else {
            line = valid + " " + megabyte
        }
        let record = parser.parseCopy(line)
        #expect(record.kind == .record)
        #expect(record.message.hasSuffix(megabyte))

        // A megabyte of one byte that the scanners search for.
        for byte: UInt8 in [0x5B, 0x3A, 0x20, 0x7B, 0x22, 0x00] {
            let flood = [UInt8](repeating: byte, count: 1 << 20)
            _ = parser.parseCopy(flood)
        }
    }

    @Test("a copied parser does not share decoded text with the original")
    func copiedJournalParser() {
        var original = LogFormat.journalctl.parser()
        let first = #"{"MESSAGE":"esc\u0041ped one"}"#
        let second = #"{"MESSAGE":"esc\u0042ped two"}"#
        Array(first.utf8).withUnsafeBytes { line in
            let outcome = original.parse(line)
            var copy = original
            _ = copy.parseCopy(Array(second.utf8))
            // The copy wrote to its own buffer: the original's outcome is intact.
            #expect(outcome.message.string == "escAped one")
        }
    }
}
