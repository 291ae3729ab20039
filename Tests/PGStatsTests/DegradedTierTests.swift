import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// Tiers that cannot run: a missing extension or privilege costs one warning
/// per start and only that tier; a lost connection makes the host retry.
final class DegradedTierTests: XCTestCase {
    var db: TestDatabase?
    var role: String?

    override func tearDown() {
        db?.drop()
        if let role { try? TestDatabase.admin("DROP ROLE IF EXISTS \(role)") }
    }

    func testMissingPgStatStatementsSkipsOnlyThatTierWithOneWarning() throws {
        let db = try TestDatabase.create(migrated: true)
        self.db = db
        let harness = try PluginHarness(db)
        var outcomes: [TickOutcome] = []
        let log = try StderrCapture.capture {
            for _ in 0..<3 { outcomes.append(try harness.run("extended")) }
        }
        XCTAssertEqual(outcomes, [.ok, .ok, .ok])
        harness.flush()
        let warnings = StderrCapture.lines(log, containing: "pg_stat_statements is not installed")
        XCTAssertEqual(warnings.count, 1, "one warning per start, not one per tick:\n\(log)")
        XCTAssertTrue(warnings.first?.lowercased().contains("warn") ?? false, "logged as a warning: \(log)")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.statement_metrics_raw"), "0")
        // The other tiers ran on every tick.
        XCTAssertEqual(try db.scalar("SELECT count(DISTINCT ts) FROM collector.database_metrics_raw"), "3")
        XCTAssertGreaterThan(Int(try db.scalar("SELECT count(*) FROM collector.table_metrics_raw") ?? "") ?? 0, 0)
        XCTAssertGreaterThan(Int(try db.scalar("SELECT count(*) FROM collector.index_metrics_raw") ?? "") ?? 0, 0)
    }

    func testStatementsWithoutPrivilegeAreSkippedWithOneWarningOthersCollected() throws {
        let db = try TestDatabase.create(migrated: true, statStatements: true)
        self.db = db
        let role = "\(db.name)_monitor"
        self.role = role
        // A role with no pg_monitor membership, and pg_stat_statements closed to PUBLIC.
        try TestDatabase.admin("CREATE ROLE \(role) LOGIN")
        try db.execute("REVOKE SELECT ON pg_stat_statements FROM PUBLIC")
        var limited = db.config
        limited.user = role
        // The ticks query as the limited role; the writer stores rows as the test's superuser.
        let harness = try PluginHarness(db, queryDatabase: limited)
        var outcomes: [TickOutcome] = []
        let log = try StderrCapture.capture {
            for _ in 0..<2 {
                outcomes.append(try harness.run("app"))
                outcomes.append(try harness.run("extended"))
            }
        }
        XCTAssertEqual(outcomes, [.ok, .ok, .ok, .ok])
        harness.flush()
        let denied = StderrCapture.lines(log, containing: "statement stats (pg_stat_statements) skipped")
        XCTAssertEqual(denied.count, 1, "one warning for the statements tier:\n\(log)")
        XCTAssertTrue(denied.first?.contains("permission denied") ?? false, log)
        XCTAssertTrue(denied.first?.contains("pg_monitor") ?? false, "the warning says what to grant: \(log)")
        XCTAssertEqual(StderrCapture.lines(log, containing: "not a member of pg_read_all_stats").count, 1, log)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.statement_metrics_raw"), "0")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.db_metrics_raw"), "2")
        XCTAssertEqual(try db.scalar("SELECT count(DISTINCT ts) FROM collector.database_metrics_raw"), "2")
        XCTAssertGreaterThan(Int(try db.scalar("SELECT count(*) FROM collector.table_metrics_raw") ?? "") ?? 0, 0)
    }

    func testUnreachableDatabaseMakesTheHostRetry() throws {
        let db = try TestDatabase.create(migrated: true, statStatements: TestDatabase.statStatementsAvailable)
        self.db = db
        var nowhere = db.config
        nowhere.port = 1   // nothing listens there: connection refused
        nowhere.connectTimeoutSecs = 2
        let harness = try PluginHarness(db, queryDatabase: nowhere)
        for tick in ["app", "extended"] {
            let outcome = try harness.run(tick)
            guard case .retry(let why) = outcome else { return XCTFail("\(tick): \(outcome), expected .retry") }
            XCTAssertTrue(why.contains("PQC_RETRY"), why)
        }
        XCTAssertEqual(harness.services.writer.bufferedRows, 0, "nothing half-collected was emitted")
    }
}
