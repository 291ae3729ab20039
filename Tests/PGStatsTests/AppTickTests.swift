import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// The app tick's db_metrics_raw rows: counters as read, and rates that
/// re-prime instead of going negative when the statistics are reset.
final class AppTickTests: XCTestCase {
    var db: TestDatabase!

    override func setUpWithError() throws { db = try TestDatabase.create(migrated: true, statStatements: TestDatabase.statStatementsAvailable) }
    override func tearDown() { db?.drop() }

    /// The db_metrics_raw rows so far, oldest first.
    private func samples() throws -> [[String: String]] {
        try db.namedRows("SELECT * FROM collector.db_metrics_raw ORDER BY ts")
    }

    /// Up to 14 a statistics collector process applies counters and resets
    /// asynchronously (15 keeps them in shared memory, visible at once): wait
    /// until this database's counters show what the test just did.
    private func waitForStats(_ condition: String, _ what: String) throws {
        try db.waitUntil("SELECT \(condition) FROM pg_stat_database WHERE datname = current_database()", what)
    }

    private static let derived = [
        "cache_hit_ratio", "xact_commit_per_sec", "xact_rollback_per_sec", "blks_read_per_sec", "tup_written_per_sec",
        "temp_bytes_per_sec", "deadlocks_delta", "temp_files_delta", "conflicts_delta",
    ]

    private func assertNoNegativeDerivedValue(_ row: [String: String], _ label: String, line: UInt = #line) {
        for column in Self.derived + ["checkpoints_timed_delta", "checkpoints_req_delta", "wal_bytes_delta", "wal_bytes_per_sec"] {
            if let value = row[column].flatMap(Double.init) {
                XCTAssertGreaterThanOrEqual(value, 0, "\(label): \(column)", line: line)
            }
        }
    }

    func testRatesArePrimedThenComputedAndRePrimedAfterAReset() throws {
        try ClusterTools.pgbench(db, ["-i", "-s", "1", "-q"])
        try db.waitForStatisticsEntry()
        let harness = try PluginHarness(db)

        // 1: the priming sample has counters but no rates.
        XCTAssertEqual(try harness.run("app"), .ok)
        harness.flush()
        var rows = try samples()
        XCTAssertEqual(rows.count, 1)
        let first = rows[0]
        XCTAssertEqual(first["host"], PluginHarness.hostname)
        XCTAssertEqual(first["database_name"], db.name)
        let version = try XCTUnwrap(first["server_version_num"].flatMap(Int.init))
        XCTAssertEqual(version, Int(try XCTUnwrap(try db.scalar("SHOW server_version_num"))))
        XCTAssertNotNil(first["server_started_at"])
        XCTAssertEqual(first["max_connections"], try db.scalar("SHOW max_connections"))
        XCTAssertGreaterThan(Int(first["xact_commit"] ?? "") ?? 0, 0)
        XCTAssertGreaterThan(Int(first["blks_hit"] ?? "") ?? 0, 0)
        XCTAssertGreaterThan(Int(first["database_size_bytes"] ?? "") ?? 0, 10_000_000)
        XCTAssertNotNil(first["checkpoints_timed"])
        XCTAssertNotNil(first["buffers_alloc"])
        XCTAssertGreaterThan(Int(first["wal_bytes"] ?? "") ?? 0, 0, "pg_stat_wal is read on 14+")
        XCTAssertNotNil(first["lock_mode_counts"])
        XCTAssertNotNil(first["wait_event_type_counts"])
        for column in Self.derived + ["wal_bytes_delta", "checkpoints_timed_delta"] {
            XCTAssertNil(first[column], "\(column) is NULL on the priming sample")
        }

        // 2: after activity, rates over the interval.
        try ClusterTools.pgbench(db, ["-T", "1", "-c", "2"])
        XCTAssertEqual(try harness.run("app"), .ok)
        harness.flush()
        rows = try samples()
        XCTAssertEqual(rows.count, 2)
        let second = rows[1]
        let ratio = try XCTUnwrap(second["cache_hit_ratio"].flatMap(Double.init))
        XCTAssertTrue((0.0...1.0).contains(ratio), "cache hit ratio \(ratio)")
        func grew(_ column: String) -> Double { (Double(second[column] ?? "") ?? 0) - (Double(first[column] ?? "") ?? 0) }
        XCTAssertEqual(ratio, grew("blks_hit") / (grew("blks_hit") + grew("blks_read")), accuracy: 1e-9,
                       "the ratio of the interval, not of the counters since the last reset")
        let elapsed = try XCTUnwrap(Double(try XCTUnwrap(try db.scalar(
            "SELECT extract(epoch FROM max(ts) - min(ts)) FROM collector.db_metrics_raw"))))
        let rate = try XCTUnwrap(second["xact_commit_per_sec"].flatMap(Double.init))
        XCTAssertEqual(rate, grew("xact_commit") / elapsed, accuracy: rate * 0.1, "commits per second of the interval")
        XCTAssertGreaterThan(Double(second["xact_commit_per_sec"] ?? "") ?? 0, 10, "pgbench committed transactions")
        XCTAssertGreaterThan(Double(second["tup_written_per_sec"] ?? "") ?? 0, 0)
        XCTAssertEqual(second["deadlocks_delta"], "0")
        XCTAssertNotNil(second["checkpoints_timed_delta"])
        XCTAssertGreaterThan(Int(second["wal_bytes_delta"] ?? "") ?? 0, 0, "pgbench wrote WAL")
        XCTAssertGreaterThan(Double(second["wal_bytes_per_sec"] ?? "") ?? 0, 0)
        XCTAssertEqual(Int(second["wal_bytes_delta"] ?? ""), (Int(second["wal_bytes"] ?? "") ?? 0) - (Int(first["wal_bytes"] ?? "") ?? 0))
        let commits = (Int(second["xact_commit"] ?? "") ?? 0) - (Int(first["xact_commit"] ?? "") ?? 0)
        XCTAssertGreaterThan(commits, 0)
        assertNoNegativeDerivedValue(second, "after activity")

        // 3: pg_stat_reset() zeroes this database's counters, pg_stat_reset_shared('wal') the WAL's:
        // those rates re-prime (NULL), never negative; the checkpointer's were not reset and continue.
        try db.execute("SELECT pg_stat_reset()")
        try db.execute("SELECT pg_stat_reset_shared('wal')")
        try waitForStats("xact_commit < \(second["xact_commit"] ?? "0")", "pg_stat_reset() applied")
        try db.waitUntil("SELECT wal_bytes < \(second["wal_bytes"] ?? "0") FROM pg_stat_wal", "pg_stat_reset_shared('wal') applied")
        XCTAssertEqual(try harness.run("app"), .ok)
        harness.flush()
        rows = try samples()
        XCTAssertEqual(rows.count, 3)
        let afterReset = rows[2]
        XCTAssertLessThan(Int(afterReset["xact_commit"] ?? "") ?? .max, Int(second["xact_commit"] ?? "") ?? 0,
                          "the counters really went down")
        XCTAssertNotEqual(afterReset["stats_reset"], second["stats_reset"])
        for column in Self.derived + ["wal_bytes_delta", "wal_bytes_per_sec"] {
            XCTAssertNil(afterReset[column], "\(column) re-primes after the reset")
        }
        XCTAssertNotNil(afterReset["checkpoints_timed_delta"], "the checkpointer was not reset")
        assertNoNegativeDerivedValue(afterReset, "after the reset")

        // 4: the next sample has rates again, from the new baseline.
        try db.execute("CREATE TABLE after_reset AS SELECT g FROM generate_series(1, 1000) g")
        try waitForStats("blks_hit + blks_read > \((Int(afterReset["blks_hit"] ?? "") ?? 0) + (Int(afterReset["blks_read"] ?? "") ?? 0))",
                         "the new table's block reads counted")
        XCTAssertEqual(try harness.run("app"), .ok)
        harness.flush()
        rows = try samples()
        XCTAssertEqual(rows.count, 4)
        let resumed = rows[3]
        XCTAssertNotNil(resumed["xact_commit_per_sec"].flatMap(Double.init))
        XCTAssertNotNil(resumed["wal_bytes_delta"].flatMap(Int.init))
        XCTAssertTrue((0.0...1.0).contains(try XCTUnwrap(resumed["cache_hit_ratio"].flatMap(Double.init))))
        assertNoNegativeDerivedValue(resumed, "after re-priming")
    }

    func testConnectionAndLockCountsSeeAnotherSessionWaitingOnALock() throws {
        // One session holds a lock, another waits for it: the sample must show the waiter.
        try db.execute("CREATE TABLE contended (id int)")
        let holder = try db.connect()
        _ = try holder.execute("BEGIN; LOCK TABLE contended IN ACCESS EXCLUSIVE MODE")
        let database: TestDatabase = db
        let waiter = Thread {
            _ = try? database.connect().execute("SET lock_timeout = '20s'; SELECT count(*) FROM contended")
        }
        waiter.start()
        try db.waitUntil("SELECT count(*) > 0 FROM pg_locks WHERE NOT granted AND relation = 'contended'::regclass",
                         "the second session to wait on the lock")
        let harness = try PluginHarness(db)
        XCTAssertEqual(try harness.run("app"), .ok)
        _ = try holder.execute("ROLLBACK")
        harness.flush()
        let row = try XCTUnwrap(try samples().first)
        XCTAssertGreaterThanOrEqual(Int(row["connections_waiting"] ?? "") ?? 0, 1)
        XCTAssertGreaterThanOrEqual(Int(row["locks_waiting"] ?? "") ?? 0, 1)
        XCTAssertGreaterThanOrEqual(Int(row["connections_idle_in_transaction"] ?? "") ?? 0, 1, "the holder sits idle in its transaction")
        XCTAssertGreaterThanOrEqual(Int(row["connections_total"] ?? "") ?? 0, 2)
        XCTAssertGreaterThan(Double(row["longest_xact_secs"] ?? "") ?? 0, 0)
        let usedPct = try XCTUnwrap(row["connections_used_pct"].flatMap(Double.init))
        XCTAssertEqual(usedPct, 100 * (Double(row["connections_total"] ?? "") ?? 0) / (Double(row["max_connections"] ?? "") ?? 1), accuracy: 1e-9)
        let modes = try XCTUnwrap(row["lock_mode_counts"])
        XCTAssertTrue(modes.contains("\"AccessExclusiveLock\""), modes)
        let waits = try XCTUnwrap(row["wait_event_type_counts"])
        XCTAssertTrue(waits.contains("\"Lock\""), waits)
    }
}
