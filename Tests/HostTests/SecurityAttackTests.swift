import CollectorTestSupport
import Foundation
import XCTest
@testable import CollectorCore

/// An SSH attack end to end: the daemon with every bundled plugin tails an
/// auth log written in real sshd and PAM message forms; the syslog parser
/// extracts the fields, the Intelligence plugin's security analyzer raises the
/// alerts, the recommendation and the login-after-brute-force alert, and the
/// brute-force findings resolve once the attack stops.
final class SecurityAttackTests: XCTestCase {
    static let attackers = ["203.0.113.7", "198.51.100.23", "2001:db8::bad"]

    /// Syslog lines stamped now (local time, as sshd's syslog writes them).
    static func lines(_ messages: [String]) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "MMM d HH:mm:ss"
        let stamp = f.string(from: Date())
        let padded = stamp.count == 14 ? stamp.replacingOccurrences(of: " ", with: "  ", options: [], range: stamp.range(of: " ")) : stamp
        return messages.enumerated().map { "\(padded) web sshd[\(4000 + $0.offset)]: \($0.element)\n" }.joined()
    }

    /// Hundreds of failed logins from three addresses in the forms OpenSSH and PAM write.
    static func attack() -> [String] {
        var out: [String] = []
        for i in 0..<240 {
            let ip = attackers[i % attackers.count], port = 40_000 + i
            let user = ["root", "admin", "oracle", "postgres", "test"][i % 5]
            switch i % 6 {
            case 0: out.append("Failed password for \(user) from \(ip) port \(port) ssh2")
            case 1: out.append("Invalid user \(user)x from \(ip) port \(port)")
            case 2: out.append("Failed password for invalid user \(user)x from \(ip) port \(port) ssh2")
            case 3: out.append("pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=\(ip)  user=\(user)")
            case 4: out.append("Connection closed by authenticating user \(user) \(ip) port \(port) [preauth]")
            default: out.append("Disconnected from invalid user \(user)x \(ip) port \(port) [preauth]")
            }
        }
        return out
    }

    func testAnAttackRaisesTheExpectedFindingsAndTheyResolve() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let dir = try TestSupport.makeTempDir("attack")
        let auth = dir + "/auth.log"
        try TestSupport.write("", to: auth)
        let (p, err) = try DaemonTests.start(config: """
            [intervals]
            heartbeat_secs = 1
            intel_secs = 2
            [collector]
            hostname = "attack-host"
            flush_interval_ms = 200
            state_dir = "\(dir)/state"
            [plugins]
            dir = "\(TestSupport.binDir)"
            [plugin.intelligence]
            security_window_secs = 12
            [logs]
            tick_secs = 1
            [[logs.sources]]
            name = "auth"
            type = "file"
            path = "\(auth)"
            parser = "syslog"
            """, dir: dir, db: db)
        defer { _ = DaemonTests.terminate(p) }
        func log() -> String { String(decoding: err.fileHandleForReading.availableData, as: UTF8.self) }

        // The attack, then a login from one of the attackers.
        try Self.append(Self.lines(Self.attack()), to: auth)
        do {
            try db.waitUntil("SELECT count(*) = 3 FROM collector.alerts WHERE type = 'ssh_brute_force' AND status = 'open'", timeout: 30,
                             "three brute-force alerts")
        } catch {
            let rows = try db.rows("SELECT source, level, ts::text, now()::text, message, context::text FROM collector.log_entries ORDER BY ts LIMIT 5")
            let counts = try db.rows("SELECT source, count(*) FROM collector.log_entries GROUP BY 1")
            XCTFail("\(error): \(counts) \(rows) \(try db.rows("SELECT key, status FROM collector.alerts")) \(log())")
            throw error
        }
        try Self.append(Self.lines(["Accepted password for deploy from 203.0.113.7 port 50022 ssh2"]), to: auth)
        try db.waitUntil("SELECT count(*) = 1 FROM collector.alerts WHERE type = 'ssh_login_after_brute_force'", timeout: 30,
                         "the login-after-brute-force alert")

        let alerts = try db.namedRows("SELECT key, type, severity, status, value::int AS value FROM collector.alerts WHERE host = 'attack-host' ORDER BY key")
        XCTAssertEqual(alerts.map { $0["key"]! }, [
            "ssh_brute_force:198.51.100.23", "ssh_brute_force:2001:db8::bad", "ssh_brute_force:203.0.113.7",
            "ssh_login_after_brute_force:203.0.113.7:deploy",
        ])
        XCTAssertEqual(alerts.last?["severity"], "critical")
        // 80 lines an address, two forms each: 40 attempts (the larger family
        // counts: failures, invalid users or PAM failures; closes do not).
        for a in alerts.prefix(3) { XCTAssertEqual(Int(a["value"]!), 40, "\(a)") }
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.recommendations WHERE key = 'ssh_hardening' AND status = 'open'"), "1")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.log_entries WHERE context->>'ssh_event' IS NOT NULL"), "241")

        // The attack stops: after the window the brute force resolves, and the
        // recommendation with it; the login alert stays open.
        try db.waitUntil("SELECT count(*) = 3 FROM collector.alerts WHERE type = 'ssh_brute_force' AND status = 'resolved'", timeout: 60,
                         "brute-force alerts resolved")
        try db.waitUntil("SELECT count(*) = 1 FROM collector.recommendations WHERE key = 'ssh_hardening' AND status = 'resolved'", timeout: 20,
                         "the recommendation resolved")
        XCTAssertEqual(try db.scalar("SELECT status FROM collector.alerts WHERE type = 'ssh_login_after_brute_force'"), "open", log())
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.alerts WHERE type = 'ssh_brute_force'"), "3", "resolved, not duplicated")
    }

    static func append(_ text: String, to path: String) throws {
        let h = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        try h.close()
    }
}
