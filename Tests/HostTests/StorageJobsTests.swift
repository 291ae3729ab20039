import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

final class StorageJobsTests: XCTestCase {
    private func jobs(_ db: TestDatabase, heartbeatSecs: Int = 5, spool: sending Spool? = nil) -> StorageJobs {
        var config = CollectorConfig()
        config.database = db.config
        config.collector.hostname = "testhost"
        config.intervals.heartbeatSecs = heartbeatSecs
        let fast = DatabaseLane(lane: .fast, config: db.config, statementTimeoutMs: 30_000)
        let slow = DatabaseLane(lane: .slow, config: db.config, statementTimeoutMs: 30_000)
        let stats = StatsRegistry()
        let gate = SchemaGate()
        let writer = BatchWriter(lane: fast, batchSize: 10, flushIntervalMs: 1000, maxBytes: 1 << 20, stats: stats, gate: gate, spool: spool)
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

    /// Rows an outage left in the spool belong in hours a rollup would close for
    /// good: the rollups wait until the writer has replayed them, and the 10 s
    /// check runs them then, so the replayed rows count in their hour.
    func testRollupsWaitForTheSpoolSoReplayedRowsCountInTheirHour() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let dir = try TestSupport.makeTempDir("rollup-spool")
        defer { _ = try? FileManager.default.removeItem(atPath: dir) }
        // Hour H ended more than an hour ago; 5 of its log rows are in the spool (written during an outage).
        let hour = (WallClock.nowMicros() / 3_600_000_000 - 2) * 3_600_000_000
        let target = RowTarget(table: "collector.log_entries", columns: ["host", "ts", "source", "level", "message"], droppable: false)
        var rows = CopyEncoder()
        var ends: [Int] = []
        for i in 0..<5 {
            rows.appendText("testhost"); rows.appendSeparator()
            rows.appendTimestamp(micros: hour + Int64(600 + i) * 1_000_000); rows.appendSeparator()
            rows.appendText("app"); rows.appendSeparator()
            rows.appendText("ERROR"); rows.appendSeparator()
            rows.appendText("spooled \(i)")
            rows.endRow()
            ends.append(rows.bytes.count)
        }
        let spool = Spool(stateDir: dir, hostname: "testhost", maxBytes: 1 << 20, stats: StatsRegistry())
        _ = spool.append(target: target, data: rows.bytes, rowEnds: ends)
        let j = jobs(db, spool: spool)
        XCTAssertGreaterThan(j.writer.spooledBytes, 0, "an earlier run's spool counts from the start")

        XCTAssertEqual(j.maintenance(), .ok)  // the schema; the rollups wait
        // Before the outage: rollups were done up to the hour before H, and 2 rows of H made it in.
        try db.execute("""
            INSERT INTO collector.rollup_state (host, last_hour) VALUES ('testhost', to_timestamp(\(hour / 1_000_000 - 3600)));
            INSERT INTO collector.log_entries (host, ts, source, level, message)
              SELECT 'testhost', to_timestamp(\(hour / 1_000_000 + 60)), 'app', 'ERROR', 'before ' || g FROM generate_series(1, 2) g;
            """)
        XCTAssertEqual(j.maintenance(), .ok)
        let count = "SELECT coalesce(sum(entry_count), 0) FROM collector.log_metrics_hourly WHERE host = 'testhost' AND hour = to_timestamp(\(hour / 1_000_000))"
        XCTAssertEqual(try db.scalar(count), "0", "hour H is not closed while its rows wait in the spool")
        XCTAssertEqual(j.jobs()[0].run(), .ok)
        XCTAssertEqual(try db.scalar(count), "0", "nor by the 10 s check, until the spool is replayed")

        XCTAssertEqual(j.writer.flush(), 5, "the spool replayed")
        XCTAssertEqual(j.writer.spooledBytes, 0)
        XCTAssertEqual(j.jobs()[0].run(), .ok, "the 10 s check runs the rollups held back")
        XCTAssertEqual(try db.scalar(count), "7", "hour H counts the replayed rows")
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
