import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// The writer's disk spool against PostgreSQL: rows the database cannot take go
/// to `<state_dir>/spool` and are replayed once, in order, across restarts.
final class SpoolTests: XCTestCase {
    var dir = ""
    let metrics = RowTarget(table: "collector.spool_metrics", columns: ["n", "v"], droppable: true)
    let keep = RowTarget(table: "collector.spool_keep", columns: ["n"], droppable: false)

    override func setUpWithError() throws { dir = try TestSupport.makeTempDir("spool") }
    override func tearDown() { _ = try? FileManager.default.removeItem(atPath: dir) }

    private func row(_ n: Int, padding: Int = 0) -> [UInt8] {
        var e = CopyEncoder()
        e.appendInt(Int64(n))
        if padding > 0 {
            e.appendSeparator()
            e.appendText(String(repeating: "p", count: padding))
        }
        e.endRow()
        return e.bytes
    }

    private func migrated() throws -> TestDatabase {
        let db = try TestDatabase.create()
        _ = try Migrator(connection: try db.connect()).apply(EmbeddedMigrations.all)
        try db.connect().execute("CREATE TABLE collector.spool_metrics (n bigint, v text); CREATE TABLE collector.spool_keep (n bigint)")
        return db
    }

    private func writer(_ config: DatabaseConfig, stats: StatsRegistry, spoolBytes: Int = 64 << 20, maxBytes: Int = 64 << 10) -> BatchWriter {
        let lane = DatabaseLane(lane: .fast, config: config, statementTimeoutMs: 30_000)
        let spool = Spool(stateDir: dir, hostname: "h1", maxBytes: spoolBytes, stats: stats)
        return BatchWriter(lane: lane, batchSize: 1_000_000, flushIntervalMs: 60_000, maxBytes: maxBytes, stats: stats, spool: spool)
    }

    private func down(_ db: TestDatabase) -> DatabaseConfig {
        var c = db.config
        c.port = 1
        c.connectTimeoutSecs = 1
        return c
    }

    func testRowsOfAnOutageAndOfAStopWithTheDatabaseDownArriveOnceAtTheNextStart() throws {
        let db = try migrated()
        defer { db.drop() }
        let stats = StatsRegistry()
        let offline = writer(down(db), stats: stats)
        let m = offline.register(metrics), k = offline.register(keep)
        // Past the 64 kB memory cap: spilled to the spool, nothing dropped.
        for n in 0..<2000 { offline.append(m, row: row(n, padding: 100)) }
        XCTAssertEqual(offline.flush(), 0)
        XCTAssertEqual(offline.bufferedRows, 0, "a failed flush moves the rows to disk")
        for n in 0..<50 { offline.append(k, row: row(n)) }
        for n in 2000..<2100 { offline.append(m, row: row(n, padding: 100)) }
        offline.stop()                                     // the database is still down: into the spool
        XCTAssertEqual(stats.counter("writer.dropped_rows"), 0)
        XCTAssertEqual(stats.counter("writer.spooled_rows"), 2150)
        XCTAssertGreaterThan(offline.spooledBytes, 200_000)

        // The next start, with the database back.
        let stats2 = StatsRegistry()
        let online = writer(db.config, stats: stats2)
        let m2 = online.register(metrics)
        online.append(m2, row: row(5000, padding: 1))   // newer than everything spooled
        XCTAssertEqual(online.flush(), 2151)
        XCTAssertEqual(online.spooledBytes, 0)
        XCTAssertEqual(try db.scalar("SELECT count(*) || '/' || count(DISTINCT n) || '/' || max(n) FROM collector.spool_metrics"), "2101/2101/5000")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.spool_keep"), "50")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/spool"), [], "replayed segments are deleted")
        XCTAssertEqual(online.flush(), 0, "nothing twice")
    }

    func testAReplayCutShortResumesAfterTheLastCommittedRecord() throws {
        let db = try migrated()
        defer { db.drop() }
        let stats = StatsRegistry()
        let spool = Spool(stateDir: dir, hostname: "h1", maxBytes: 64 << 20, stats: stats)
        // Three records of 1000 rows each (a record is at most Spool.recordBytes).
        for r in 0..<3 {
            var data: [UInt8] = [], ends: [Int] = []
            for n in (r * 1000)..<((r + 1) * 1000) { data += row(n); ends.append(data.count) }
            XCTAssertEqual(spool.append(target: keep, data: data, rowEnds: ends), Spool.Appended())
        }
        // A replay that committed the first record, then died (SIGKILL): its
        // position went in with its rows.
        let segment = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: dir + "/spool").first)
        let firstRecordEnd = 12 + Spool.encode(target: keep, rows: 1000, data: ArraySlice((0..<1000).flatMap { row($0) })).count
        let c = try db.connect()
        try c.execute("INSERT INTO collector.spool_keep SELECT generate_series(0, 999)")
        try c.query("INSERT INTO collector.spool_positions (host, segment, byte_offset) VALUES ('h1', $1, $2::bigint)", [segment, String(firstRecordEnd)])

        let restarted = Spool(stateDir: dir, hostname: "h1", maxBytes: 64 << 20, stats: stats)
        XCTAssertEqual(try restarted.replay(on: DatabaseLane(lane: .fast, config: db.config, statementTimeoutMs: 30_000)), 2000)
        XCTAssertEqual(try db.scalar("SELECT count(*) || '/' || count(DISTINCT n) FROM collector.spool_keep"), "3000/3000")
        XCTAssertTrue(restarted.isEmpty)
    }

    func testPastItsBoundTheOldestMetricRowsGoFirstAndATornRecordEndsItsSegment() throws {
        let db = try migrated()
        defer { db.drop() }
        let stats = StatsRegistry()
        let spool = Spool(stateDir: dir, hostname: "h1", maxBytes: 1 << 20, stats: stats)
        func put(_ target: RowTarget, _ range: Range<Int>, padding: Int) {
            var data: [UInt8] = [], ends: [Int] = []
            for n in range { data += row(n, padding: padding); ends.append(data.count) }
            XCTAssertEqual(spool.append(target: target, data: data, rowEnds: ends), Spool.Appended())
        }
        put(keep, 0..<10, padding: 0)
        put(metrics, 0..<1000, padding: 500)                  // ~0.5 MB, the oldest metric rows
        put(metrics, 1000..<1800, padding: 500)               // ~0.4 MB: fits
        // A new segment (a restart), then more than the bound allows.
        let later = Spool(stateDir: dir, hostname: "h1", maxBytes: 1 << 20, stats: stats)
        var data: [UInt8] = [], ends: [Int] = []
        for n in 1800..<2600 { data += row(n, padding: 500); ends.append(data.count) }
        XCTAssertEqual(later.append(target: metrics, data: data, rowEnds: ends), Spool.Appended())
        XCTAssertEqual(stats.counter("spool.dropped_rows"), 1800, "the older segment's metric rows are dropped, its other rows kept")
        XCTAssertLessThanOrEqual(later.totalBytes, 1 << 20)

        // A torn record at the end (a crash mid-write) is skipped, counted.
        let segments = try FileManager.default.contentsOfDirectory(atPath: dir + "/spool").sorted()
        let h = try XCTUnwrap(FileHandle(forWritingAtPath: dir + "/spool/" + segments[segments.count - 1]))
        h.seekToEndOfFile()
        h.write(Data("PQS1\u{10}\0\0\0garbage".utf8))
        h.closeFile()
        let replayer = Spool(stateDir: dir, hostname: "h1", maxBytes: 1 << 20, stats: stats)
        XCTAssertEqual(try replayer.replay(on: DatabaseLane(lane: .fast, config: db.config, statementTimeoutMs: 30_000)), 810)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.spool_keep"), "10")
        XCTAssertEqual(try db.scalar("SELECT min(n) || '-' || max(n) FROM collector.spool_metrics"), "1800-2599")
        XCTAssertEqual(stats.counter("spool.corrupt_segments"), 1)
    }

    func testASpoolThatCannotBeWrittenLeavesTheRowsInMemory() throws {
        // A state_dir that is a file: nothing can be created under it (even as root).
        try TestSupport.write("not a directory", to: dir + "/state")
        var config = DatabaseConfig()
        config.port = 1
        config.connectTimeoutSecs = 1
        let stats = StatsRegistry()
        let spool = Spool(stateDir: dir + "/state", hostname: "h1", maxBytes: 64 << 20, stats: stats)
        let w = BatchWriter(lane: DatabaseLane(lane: .fast, config: config, statementTimeoutMs: 30_000), batchSize: 1_000_000,
                            flushIntervalMs: 60_000, maxBytes: 1 << 20, stats: stats, spool: spool)
        let id = w.register(metrics)
        for n in 0..<100 { w.append(id, row: row(n, padding: 10)) }
        XCTAssertEqual(w.flush(), 0)
        XCTAssertEqual(w.bufferedRows, 100, "the rows wait in memory instead")
        XCTAssertEqual(stats.counter("writer.dropped_rows"), 0)
        XCTAssertGreaterThan(stats.counter("spool.write_failures"), 0)
    }
}
