import LogFingerprint
import LogSourcesCore
import Testing

@Suite("fingerprint")
struct FingerprintTests {
    @Test("normalisation", arguments: [
        ("connection from 10.0.0.12 port 51380 failed", "connection from <IP> port # failed"),
        ("rhost=218.188.2.4 ", "rhost=<IP> "),
        ("[client 127.0.0.1:51380] AH01797: denied", "[client <IP>:#] AH#: denied"),
        ("request 123e4567-e89b-12d3-a456-426614174000 done", "request <UUID> done"),
        ("id 123E4567-E89B-12D3-A456-426614174000.", "id <UUID>."),
        ("from 2001:db8::80da:af6b:8b2c and ::1 and fe80::1%eth0", "from <IP> and <IP> and <IP>%eth#"),
        ("full 2001:0db8:0000:0000:0000:ff00:0042:8329 mapped ::ffff:192.0.2.128", "full <IP> mapped <IP>"),
        ("at 12:34:56 on 2026-02-15", "at #:#:# on #-#-#"),
        ("version 1.2.3.4.5", "version #.#.#.#.#"),
        ("octet 1.2.3.256", "octet #.#.#.#"),
        ("ptr 0x7fc2b2b70cd0 and 0XABC", "ptr <HEX> and <HEX>"),
        ("boot 62c460d8931346bf85d24dfe22d2d2fb", "boot <HEX>"),
        ("sha deadbeef12 word deadbeef", "sha <HEX> word deadbeef"),
        ("digits only 12345678901", "digits only #"),
        ("pgsql_tmp731.0 sha256 abc12345xyz", "pgsql_tmp#.# sha# abc#xyz"),
        ("pqcrypta_api::routes served", "pqcrypta_api::routes served"),
        ("queryid=-8112313845396740087", "queryid=-#"),
        ("", ""),
    ])
    func normalize(input: String, expected: String) {
        #expect(LogFingerprint.normalize(input) == expected)
    }

    @Test("hash: sha256(source|level|normalised), first 16 hex, checked against sha256sum")
    func knownHash() {
        // printf 'src|error|connection from <IP> port # failed' | sha256sum
        // → 12e2b5f6d21c8750da48a74fee87140351bf5100fb9802c8749afa04c49818a4
        let fingerprint = LogFingerprint.compute(
            source: "src", level: "error", message: "connection from 10.0.0.12 port 51380 failed")
        #expect(fingerprint == "12e2b5f6d21c8750")
        // Same pattern, other numbers: same fingerprint; other level: different.
        #expect(LogFingerprint.compute(source: "src", level: "error", message: "connection from 192.168.1.1 port 22 failed") == fingerprint)
        #expect(LogFingerprint.compute(source: "src", level: "warn", message: "connection from 10.0.0.12 port 51380 failed") != fingerprint)
        // printf 'auth|info|' | sha256sum → 8908458fac01cdfe...
        #expect(LogFingerprint.compute(source: "auth", level: "info", message: "") == "8908458fac01cdfe")
    }

    @Test("invalid UTF-8 and NUL bytes hash as bytes, without trapping")
    func rawBytes() {
        let bytes: [UInt8] = [0xFF, 0x00, 0x31, 0x32, 0xC3]
        #expect(LogFingerprint.normalize(bytes) == [0xFF, 0x00, 0x23, 0xC3])
        #expect(LogFingerprint.compute(source: "s", level: "info", message: bytes).count == 16)
        let megabyte = [UInt8](repeating: 0x3A, count: 1 << 20)
        #expect(LogFingerprint.normalize(megabyte).count == 1 << 20)
    }

    @Test("the reusable fingerprinter agrees with the one-off API")
    func reusable() {
        var fingerprinter = LogFingerprinter()
        for message in ["a 1", "b 2.2.2.2", "c"] {
            let reused = Array(message.utf8).withUnsafeBytes {
                fingerprinter.fingerprint(source: "x", level: LogLevel.error.storedName, message: $0)
            }
            #expect(reused == LogFingerprint.compute(source: "x", level: "error", message: message))
        }
    }
}
