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

    func testRecurringErrorTemplatesBecomeRecommendationsWithSteps() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let host = "logs-c"
        try Self.insert(db, host: host, source: "postgresql", level: "error", messages: (0..<15).map {
            "deadlock detected: Process \(1000 + $0) waits for ShareLock on transaction \(5000 + $0); blocked by process \(2000 + $0)."
        })
        try Self.insert(db, host: host, source: "kernel", level: "error", messages: (0..<12).map { "Buffer I/O error on dev sdb1, logical block \(77 + $0), async page read" })
        try Self.insert(db, host: host, source: "api", level: "error", messages: (0..<11).map { "upstream request \($0) failed: worker pool exhausted" })
        try Self.insert(db, host: host, source: "api", level: "error", messages: (0..<4).map { "rare failure \($0) in handler" })
        try Self.insert(db, host: host, source: "api", level: "info", messages: (0..<40).map { "request \($0) served" })

        let analyzer = PatternAnalyzer(hostname: host, sql: try SLOAnalyzerDBTests.DirectSQL(db), settleSeconds: 0)
        var findings: [Finding] = []
        let now = Date().timeIntervalSince1970
        XCTAssertEqual(try analyzer.run(now: now) { findings.append($0) }.recurring, 3)
        XCTAssertTrue(findings.allSatisfy { $0.kind == .recommendation && $0.domain == "logs" })
        let byMetric = Dictionary(uniqueKeysWithValues: findings.map { ($0.metric, $0) })
        XCTAssertEqual(Set(byMetric.keys), ["db_deadlock", "disk_io", "logs"])
        XCTAssertTrue(byMetric["db_deadlock"]!.action!.hasPrefix("1. "))
        XCTAssertTrue(byMetric["db_deadlock"]!.action!.contains("log_lock_waits"))
        XCTAssertTrue(byMetric["disk_io"]!.action!.contains("smartctl -a"))
        XCTAssertTrue(byMetric["disk_io"]!.action!.contains("dmesg -T"))
        XCTAssertTrue(byMetric["logs"]!.action!.contains("journalctl -u api"))
        XCTAssertEqual(byMetric["db_deadlock"]!.value, 15)
        XCTAssertTrue(byMetric["db_deadlock"]!.key.hasPrefix("recurring_error:postgresql:"))
        // An hour later, with nothing new, nothing is reported: the host resolves them.
        findings = []
        XCTAssertEqual(try analyzer.run(now: now + 3_700) { findings.append($0) }.recurring, 0)
        XCTAssertTrue(findings.isEmpty)
    }

    func testAnErrorSpikeNextToAnAnomalyIsACorrelation() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let host = "logs-d"
        func insight(_ type: String, key: String, domain: String, metric: String, metricKey: String?, severity: String, minutesAgo: Int) throws -> String {
            try db.scalar("""
                INSERT INTO collector.insights (host, ts, analyzer, key, type, severity, domain, metric, metric_key, title, first_seen, last_seen)
                VALUES ($1, now() - make_interval(mins => $2::int), 'intelligence.x', $3, $4, $5, $6, $7, $8, $3,
                        now() - make_interval(mins => $2::int), now() - make_interval(mins => $2::int))
                RETURNING id
                """, [host, String(minutesAgo), key, type, severity, domain, metric, metricKey])!
        }
        let spike = try insight("error_spike", key: "error_spike:api", domain: "logs", metric: "error_count_5m", metricKey: "api", severity: "warn", minutesAgo: 2)
        let cpu = try insight("anomaly", key: "anomaly:system.cpu_pct", domain: "system", metric: "cpu_pct", metricKey: nil, severity: "critical", minutesAgo: 8)
        let latency = try insight("anomaly", key: "anomaly:api.latency_p95_ms", domain: "api", metric: "latency_p95_ms", metricKey: nil, severity: "warn", minutesAgo: 5)
        _ = try insight("anomaly", key: "anomaly:db.cache_hit_ratio", domain: "db", metric: "cache_hit_ratio", metricKey: nil, severity: "critical", minutesAgo: 120)
        try Self.insert(db, host: host, source: "api", level: "error", messages: (0..<3).map { "upstream \($0) timed out" })
        let patterns = PatternAnalyzer(hostname: host, sql: try SLOAnalyzerDBTests.DirectSQL(db), settleSeconds: 0)
        try patterns.run(now: Date().timeIntervalSince1970)

        var findings: [Finding] = []
        let n = try CorrelationAnalyzer(hostname: host, sql: try SLOAnalyzerDBTests.DirectSQL(db)).run(now: Date().timeIntervalSince1970) { findings.append($0) }
        XCTAssertEqual(n, 1)
        let f = try XCTUnwrap(findings.first)
        XCTAssertEqual(f.type, "correlation")
        XCTAssertEqual(f.key, "correlation:error_spike:api")
        XCTAssertEqual(f.metricKey, "anomaly:api.latency_p95_ms", "the API's own anomaly ranks first")
        let context = try XCTUnwrap(f.contextJSON)
        XCTAssertTrue(context.contains("\"error_spike_insight_id\":\(spike)") || context.contains("\"error_spike_insight_id\": \(spike)"), context)
        XCTAssertTrue(context.contains("[\(latency),\(cpu)]") || context.contains("[\(latency), \(cpu)]"), context)
        XCTAssertTrue(context.contains("upstream <*> timed out"), context)
        XCTAssertFalse(context.contains("cache_hit_ratio"), "two hours away: not correlated")
    }
}
