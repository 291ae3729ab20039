import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// The finding lifecycle analyzers rely on: reported again = updated, not
/// reported by a completed run = resolved, an operator's acknowledgement kept.
final class FindingStoreTests: XCTestCase {
    private func store(_ db: TestDatabase) throws -> FindingStore {
        _ = try Migrator(connection: db.connect()).apply(EmbeddedMigrations.all)
        return FindingStore(hostname: "h1", lanes: [.slow: DatabaseLane(lane: .slow, config: db.config, statementTimeoutMs: 30_000)])
    }

    private func finding(_ kind: FindingRecord.Kind, key: String, value: Double = 1, window: Int = 3600) -> FindingRecord {
        FindingRecord(kind: kind, severity: "warn", key: key, domain: "database", metric: "cache_hit_ratio", target: "db1",
                      title: "Low cache hit ratio", description: "below 0.9", action: "raise shared_buffers",
                      value: value, threshold: 0.9, zScore: kind == .insight ? 3.5 : nil, dedupWindowSecs: window)
    }

    func testRecommendationKeepsAcknowledgementWhileOpenAndResolvesWhenNotReported() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let s = try store(db)
        try s.complete(plugin: "intel", analyzer: "rules", findings: [finding(.recommendation, key: "cache:db1")], lane: .slow)
        try db.connect().execute("UPDATE collector.recommendations SET acknowledged = true, acknowledged_at = now(), acknowledged_by = 'ops'")
        try s.complete(plugin: "intel", analyzer: "rules", findings: [finding(.recommendation, key: "cache:db1", value: 0.8)], lane: .slow)
        let open = try db.connect().query("SELECT status, occurrences, acknowledged, acknowledged_by, value FROM collector.recommendations")
        XCTAssertEqual(open.rowCount, 1, "reported again while open: one row")
        XCTAssertEqual(open.string(0, 0), "open")
        XCTAssertEqual(open.string(0, 1), "2")
        XCTAssertEqual(open.string(0, 2), "t", "the operator's acknowledgement survives the update")
        XCTAssertEqual(open.string(0, 3), "ops")
        XCTAssertEqual(open.string(0, 4), "0.8")

        // Another analyzer's run does not touch it; this analyzer's run without it resolves it.
        try s.complete(plugin: "intel", analyzer: "other", findings: [], lane: .slow)
        XCTAssertEqual(try db.scalar("SELECT status FROM collector.recommendations"), "open")
        try s.complete(plugin: "intel", analyzer: "rules", findings: [], lane: .slow)
        XCTAssertEqual(try db.scalar("SELECT status || ':' || (resolved_at IS NOT NULL) FROM collector.recommendations"), "resolved:true")

        // Firing again later opens a new, unacknowledged row; the resolved one stays as history.
        try s.complete(plugin: "intel", analyzer: "rules", findings: [finding(.recommendation, key: "cache:db1")], lane: .slow)
        XCTAssertEqual(try db.scalar("SELECT string_agg(status || '/' || acknowledged, ',' ORDER BY id) FROM collector.recommendations"),
                       "resolved/true,open/false")
    }

    func testInsightDeduplicatesWithinItsWindowOnly() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let s = try store(db)
        try s.complete(plugin: "intel", analyzer: "anomaly", findings: [finding(.insight, key: "cpu", value: 97, window: 600)], lane: .slow)
        try s.complete(plugin: "intel", analyzer: "anomaly", findings: [finding(.insight, key: "cpu", value: 98, window: 600)], lane: .slow)
        XCTAssertEqual(try db.scalar("SELECT count(*) || ':' || max(occurrences) || ':' || max(value) FROM collector.insights"), "1:2:98")
        try db.connect().execute("UPDATE collector.insights SET last_seen = now() - interval '11 minutes'")
        try s.complete(plugin: "intel", analyzer: "anomaly", findings: [finding(.insight, key: "cpu", value: 99, window: 600)], lane: .slow)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.insights"), "2", "past the window: a new insight")
        XCTAssertEqual(try db.scalar("SELECT direction FROM collector.insights ORDER BY id DESC LIMIT 1"), "spike")
    }
}
