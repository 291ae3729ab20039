import CollectorTestSupport
import XCTest
@testable import CollectorCore

final class StorageJobsTests: XCTestCase {
    private func jobs(_ db: TestDatabase, heartbeatSecs: Int = 5) -> StorageJobs {
        var config = CollectorConfig()
        config.database = db.config
        config.collector.hostname = "testhost"
        config.intervals.heartbeatSecs = heartbeatSecs
        let fast = DatabaseLane(lane: .fast, config: db.config, statementTimeoutMs: 30_000)
        let slow = DatabaseLane(lane: .slow, config: db.config, statementTimeoutMs: 30_000)
        let stats = StatsRegistry()
        let gate = SchemaGate()
        let writer = BatchWriter(lane: fast, batchSize: 10, flushIntervalMs: 1000, maxBytes: 1 << 20, stats: stats, gate: gate)
        return StorageJobs(config: config, fast: fast, slow: slow, stats: stats, migrations: BundledSchema.all, gate: gate, writer: writer)
    }

    func testMaintenanceMigratesAndCreatesPartitionsAhead() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let j = jobs(db)
        XCTAssertFalse(j.schemaReady)
        XCTAssertEqual(j.maintenance(), .ok)
        XCTAssertTrue(j.schemaReady)
        let tomorrow = try XCTUnwrap(try db.scalar("SELECT to_char(current_date + 1, 'YYYYMMDD')"))
        XCTAssertEqual(try db.scalar("SELECT to_regclass('collector.system_metrics_raw_p\(tomorrow)') IS NOT NULL"), "t")
        XCTAssertEqual(try db.scalar("SELECT to_regclass('collector.heartbeat_p\(tomorrow)') IS NOT NULL"), "t")
    }

    func testHeartbeatRowsAndStalenessAlertOpensAndResolves() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let j = jobs(db, heartbeatSecs: 5)
        XCTAssertEqual(j.maintenance(), .ok)
        XCTAssertEqual(j.heartbeat(), .ok)
        XCTAssertEqual(j.writer.flush(), 1, "heartbeats go through the writer")
        let row = try db.connect().query("SELECT host, pid, version, rss_bytes FROM collector.heartbeat")
        XCTAssertEqual(row.rowCount, 1)
        XCTAssertEqual(row.string(0, 0), "testhost")
        XCTAssertEqual(row.string(0, 1), String(getpid()))
        XCTAssertGreaterThan(Int(row.string(0, 3) ?? "0") ?? 0, 1 << 20)

        XCTAssertEqual(j.watchdog(), .ok)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.alerts"), "0", "a fresh heartbeat is not stale")

        // Age the heartbeat past 6 × 5 s: the watchdog opens one alert, once.
        try db.connect().execute("UPDATE collector.heartbeat SET ts = now() - interval '31 seconds'")
        XCTAssertEqual(j.watchdog(), .ok)
        XCTAssertEqual(j.watchdog(), .ok)
        let alert = try db.connect().query("SELECT type, severity, status, occurrences FROM collector.alerts")
        XCTAssertEqual(alert.rowCount, 1)
        XCTAssertEqual(alert.string(0, 0), "stale_heartbeat")
        XCTAssertEqual(alert.string(0, 1), "critical")
        XCTAssertEqual(alert.string(0, 2), "open")
        XCTAssertEqual(alert.string(0, 3), "2", "reported again: updated, not duplicated")

        XCTAssertEqual(j.heartbeat(), .ok)
        j.writer.flush()
        XCTAssertEqual(j.watchdog(), .ok)
        XCTAssertEqual(try db.scalar("SELECT status || ':' || (resolved_at IS NOT NULL) FROM collector.alerts"), "resolved:true")
    }

    /// issue 15: a heartbeat is a row with its own timestamp, written whenever
    /// the writer can: rows held through an outage keep the times they were taken.
    func testHeartbeatsWrittenLateKeepTheirOwnTimestamps() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let j = jobs(db)
        XCTAssertEqual(j.heartbeat(), .ok, "before the schema exists the row waits in the writer")
        XCTAssertEqual(j.maintenance(), .ok)
        usleep(1_200_000)
        XCTAssertEqual(j.heartbeat(), .ok)
        XCTAssertEqual(j.writer.flush(), 2)
        XCTAssertEqual(try db.scalar("SELECT (max(ts) - min(ts)) >= interval '1.1 seconds' FROM collector.heartbeat"), "t")
    }
}
