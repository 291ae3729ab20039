import CollectorTestSupport
import Foundation
import XCTest
@testable import CollectorCore
@testable import IntelligenceCore
import PluginKit

/// The log analyzers against the real database: patterns by template read once
/// per row, templates that keep their ids across a restart, resolution and
/// reopening; error spikes against the hourly baseline.
final class LogAnalyzersDBTests: XCTestCase {
    static func insert(_ db: TestDatabase, host: String, source: String, level: String, messages: [String], ageSeconds: Int = 0) throws {
        let values = messages.enumerated().map { i, m in
            "('\(host)', now() - make_interval(secs => \(ageSeconds + messages.count - i)), '\(source)', '\(level)', '\(m.replacingOccurrences(of: "'", with: "''"))')"
        }
        try db.execute("INSERT INTO collector.log_entries (host, ts, source, level, message) VALUES \(values.joined(separator: ", "))")
    }

    static func failedLogins(_ n: Int, offset: Int = 0) -> [String] {
        let users = ["root", "admin", "oracle", "test", "ubuntu", "postgres"]
        return (0..<n).map { i in
            "Failed password for \(users[(i + offset) % users.count]) from 203.0.113.\((i + offset) % 250) port \(40000 + i + offset) ssh2"
        }
    }

    func testPatternsByTemplateReadOnceAndStableAcrossRestarts() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let host = "logs-a"
        try Self.insert(db, host: host, source: "auth", level: "warn", messages: Self.failedLogins(30))
        try Self.insert(db, host: host, source: "auth", level: "info",
                        messages: ["cyrus", "news", "test", "root", "mail"].map { "session opened for user \($0) by (uid=0)" })
        try Self.insert(db, host: host, source: "postgresql", level: "error",
                        messages: (1...3).map { "relation \"orders_\($0)\" does not exist at character \($0 * 7)" })
        try Self.insert(db, host: "other-host", source: "auth", level: "warn", messages: Self.failedLogins(7))

        let sql = try SLOAnalyzerDBTests.DirectSQL(db)
        var analyzer = PatternAnalyzer(hostname: host, sql: sql, settleSeconds: 0)
        var now = Date().timeIntervalSince1970
        let first = try analyzer.run(now: now)
        XCTAssertEqual(first.lines, 38)
        let patterns = try db.namedRows("SELECT fingerprint, template_id, template, source, level, occurrences, status FROM collector.log_patterns WHERE host = $1 ORDER BY occurrences DESC", [host])
        XCTAssertEqual(patterns.map { $0["occurrences"] }, ["30", "5", "3"])
        XCTAssertEqual(patterns[0]["template"], "Failed password for <*> from <*> port <*> ssh2")
        XCTAssertEqual(patterns[0]["fingerprint"], "template:\(patterns[0]["template_id"]!)")
        XCTAssertEqual(patterns[1]["template"], "session opened for user <*> by (uid=<*>)")
        XCTAssertEqual(patterns[2]["source"], "postgresql")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.log_templates WHERE host = $1", [host]), "3")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.log_patterns WHERE host <> $1", [host]), "0")

        // Nothing new: nothing counted twice.
        now = Date().timeIntervalSince1970
        XCTAssertEqual(try analyzer.run(now: now).lines, 0)
        XCTAssertEqual(try db.scalar("SELECT sum(occurrences) FROM collector.log_patterns WHERE host = $1", [host]), "38")

        // A restart: the templates come back with their ids.
        let failedID = patterns[0]["template_id"]!
        analyzer = PatternAnalyzer(hostname: host, sql: sql, settleSeconds: 0)
        try Self.insert(db, host: host, source: "auth", level: "warn", messages: Self.failedLogins(10, offset: 100))
        now = Date().timeIntervalSince1970
        XCTAssertEqual(try analyzer.run(now: now).lines, 10)
        XCTAssertEqual(try db.scalar("SELECT occurrences FROM collector.log_patterns WHERE host = $1 AND template_id = $2::bigint", [host, failedID]), "40")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.log_templates WHERE host = $1", [host]), "3")

        // Unseen for an hour: resolved; recurring: reopened.
        try db.execute("UPDATE collector.log_patterns SET last_seen = now() - interval '2 hours' WHERE source = 'postgresql'")
        now = Date().timeIntervalSince1970
        try analyzer.run(now: now)
        XCTAssertEqual(try db.scalar("SELECT status FROM collector.log_patterns WHERE source = 'postgresql'"), "resolved")
        try Self.insert(db, host: host, source: "postgresql", level: "error", messages: ["relation \"x_9\" does not exist at character 4"])
        now = Date().timeIntervalSince1970
        try analyzer.run(now: now)
        let reopened = try db.namedRows("SELECT status, occurrences, resolved_at FROM collector.log_patterns WHERE source = 'postgresql'")[0]
        XCTAssertEqual(reopened["status"], "open")
        XCTAssertEqual(reopened["occurrences"], "4")
        XCTAssertNil(reopened["resolved_at"])
    }

    func testABacklogIsReadInBatchesWithoutLosingATransaction() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        // Three transactions of 40 rows each (rows of one share ingested_at).
        for k in 0..<3 { try Self.insert(db, host: "h", source: "auth", level: "warn", messages: Self.failedLogins(40, offset: k * 40)) }
        let analyzer = PatternAnalyzer(hostname: "h", sql: try SLOAnalyzerDBTests.DirectSQL(db), maxLines: 50, settleSeconds: 0)
        var seen = 0, runs = 0
        repeat {
            seen += try analyzer.run(now: Date().timeIntervalSince1970).lines
            runs += 1
        } while runs < 10 && seen < 120
        XCTAssertEqual(seen, 120)
        XCTAssertEqual(try db.scalar("SELECT sum(occurrences) FROM collector.log_patterns"), "120")
    }

    func testErrorSpikesAgainstTheHourlyBaseline() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let host = "logs-b"
        // A week of history: api 12 errors an hour (1 per 5 minutes), web 120 (10
        // per 5 minutes), every hour also has info lines.
        try db.execute("""
            INSERT INTO collector.log_metrics_hourly (host, hour, source, level, entry_count)
            SELECT '\(host)', date_trunc('hour', now()) - make_interval(hours => h), s.source, l.level,
                   CASE WHEN l.level = 'info' THEN 500 WHEN s.source = 'api' THEN 12 ELSE 120 END
            FROM generate_series(1, 168) h, (VALUES ('api'), ('web')) s(source), (VALUES ('info'), ('error')) l(level)
            """)
        try Self.insert(db, host: host, source: "api", level: "error", messages: (0..<40).map { "upstream timed out after \($0) ms" })
        try Self.insert(db, host: host, source: "web", level: "error", messages: (0..<25).map { "client sent invalid header \($0)" })
        try Self.insert(db, host: host, source: "db", level: "error", messages: (0..<5).map { "deadlock detected \($0)" })
        // Old errors outside the 5 minutes count for nothing.
        try Self.insert(db, host: host, source: "web", level: "error", messages: (0..<100).map { "old \($0)" }, ageSeconds: 900)

        let spikes = ErrorSpikeAnalyzer(hostname: host, sql: try SLOAnalyzerDBTests.DirectSQL(db))
        var findings: [Finding] = []
        XCTAssertEqual(try spikes.run(now: Date().timeIntervalSince1970) { findings.append($0) }, 1)
        let f = try XCTUnwrap(findings.first)
        XCTAssertEqual(f.key, "error_spike:api")
        XCTAssertEqual(f.type, "error_spike")
        XCTAssertEqual(f.domain, "logs")
        XCTAssertEqual(f.value, 40)
        XCTAssertEqual(f.threshold, 1, accuracy: 1e-9)
        XCTAssertEqual(f.severity, .critical, "40 against a usual 1")
        XCTAssertTrue(f.title.hasPrefix("Error spike in api: 40 errors in 5 minutes"), f.title)
    }
}
