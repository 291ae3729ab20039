import CollectorTestSupport
import Foundation
import XCTest
@testable import CollectorCore
@testable import IntelligenceCore
import PluginKit

/// The security analyzer through the host (libIntelligence.so, the host's
/// FindingStore) over rows carrying the fields the LogSources parsers extract.
final class SecurityAnalyzerDBTests: XCTestCase {
    /// Rows `secondsAgo` seconds old with the given context objects.
    static func insert(_ db: TestDatabase, host: String, source: String = "auth", _ rows: [(secondsAgo: Int, message: String, context: String)]) throws {
        let values = rows.map { r in
            "('\(host)', now() - make_interval(secs => \(r.secondsAgo)), '\(source)', 'warn', '\(r.message.replacingOccurrences(of: "'", with: "''"))', '\(r.context)'::jsonb)"
        }
        try db.execute("INSERT INTO collector.log_entries (host, ts, source, level, message, context) VALUES \(values.joined(separator: ", "))")
    }

    static func failures(ip: String, count: Int, within seconds: Int = 200) -> [(Int, String, String)] {
        let users = ["root", "admin", "oracle", "test"]
        return (0..<count).map { i in
            let u = users[i % users.count]
            return i % 3 == 0
                ? (seconds * i / count + 1, "Invalid user \(u) from \(ip) port \(40000 + i)", #"{"ssh_event": "invalid_user", "user": "\#(u)", "client_ip": "\#(ip)"}"#)
                : (seconds * i / count + 1, "Failed password for \(u) from \(ip) port \(40000 + i) ssh2", #"{"ssh_event": "failed_password", "user": "\#(u)", "client_ip": "\#(ip)", "method": "password"}"#)
        }
    }

    func testBruteForceLoginAfterItBansAndBlocksOpenAndResolve() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let host = "sec-a"
        // Two attackers (60 and 12 failures in the window), a quiet one (3), a
        // fail2ban ban and 15 firewall blocks from one address.
        try Self.insert(db, host: host, Self.failures(ip: "203.0.113.7", count: 60))
        try Self.insert(db, host: host, Self.failures(ip: "2001:db8::66", count: 12))
        try Self.insert(db, host: host, Self.failures(ip: "198.51.100.9", count: 3))
        try Self.insert(db, host: host, source: "fail2ban", [(30, "[sshd] Ban 203.0.113.7", #"{"jail": "sshd", "action": "ban", "client_ip": "203.0.113.7"}"#)])
        try Self.insert(db, host: host, source: "kernel", (0..<15).map { i in
            (i + 1, "[UFW BLOCK] IN=eth0 SRC=192.0.2.44 DPT=\(22 + i % 2)", #"{"action": "block", "src_ip": "192.0.2.44", "dst_port": "\#(22 + i % 2)", "proto": "TCP"}"#)
        })
        let harness = try IntelligenceHarness(db, hostname: host, analyzer: "security")
        harness.run()
        let alerts = try db.namedRows("SELECT key, type, severity, value, status, title FROM collector.alerts ORDER BY key")
        XCTAssertEqual(alerts.map { $0["key"]! }, ["ssh_brute_force:2001:db8::66", "ssh_brute_force:203.0.113.7"])
        XCTAssertEqual(alerts.map { $0["type"]! }, ["ssh_brute_force", "ssh_brute_force"])
        // 60 lines: 40 failed passwords and 20 invalid users: 40 attempts counted.
        XCTAssertEqual(alerts[1]["value"], "40")
        XCTAssertTrue(alerts[1]["title"]!.contains("(users: admin, oracle, root, test)"), alerts[1]["title"]!)
        let recommendation = try db.namedRows("SELECT key, action, status FROM collector.recommendations")
        XCTAssertEqual(recommendation.map { $0["key"]! }, ["ssh_hardening"])
        XCTAssertTrue(recommendation[0]["action"]!.contains("ufw deny from"))
        XCTAssertTrue(recommendation[0]["action"]!.contains("fail2ban-client status sshd"))
        XCTAssertTrue(recommendation[0]["action"]!.contains("PasswordAuthentication no"))
        let insights = try db.namedRows("SELECT key, type, context::text AS context FROM collector.insights ORDER BY key")
        XCTAssertEqual(insights.map { $0["key"]! }, ["fail2ban_ban:sshd:203.0.113.7", "firewall_block:192.0.2.44"])
        XCTAssertTrue(insights[0]["context"]!.contains("ssh_brute_force:203.0.113.7"), "the ban links the address's SSH alert")

        // The attacker gets in: a critical alert, which outlives the brute force.
        try Self.insert(db, host: host, [(1, "Accepted password for oracle from 203.0.113.7 port 50000 ssh2",
                                          #"{"ssh_event": "accepted", "user": "oracle", "client_ip": "203.0.113.7", "method": "password"}"#)])
        harness.run()
        let compromise = try db.namedRows("SELECT key, severity, status FROM collector.alerts WHERE type = 'ssh_login_after_brute_force'")
        XCTAssertEqual(compromise.map { $0["key"]! }, ["ssh_login_after_brute_force:203.0.113.7:oracle"])
        XCTAssertEqual(compromise.first?["severity"], "critical")

        // The attack stops (its rows age out of the window): brute-force alerts and
        // the recommendation resolve; the compromise alert stays open for 24 hours.
        try db.execute("UPDATE collector.log_entries SET ts = ts - interval '1 hour'")
        harness.run()
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.alerts WHERE type = 'ssh_brute_force' AND status = 'open'"), "0")
        XCTAssertEqual(try db.scalar("SELECT status FROM collector.recommendations WHERE key = 'ssh_hardening'"), "resolved")
        XCTAssertEqual(try db.scalar("SELECT status FROM collector.alerts WHERE type = 'ssh_login_after_brute_force'"), "open")
    }
}
