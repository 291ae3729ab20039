import CollectorTestSupport
import XCTest
@testable import CollectorCore

final class BatchWriterTests: XCTestCase {
    private func writer(_ db: TestDatabase, stats: StatsRegistry = StatsRegistry(), maxBytes: Int = 32 << 20) -> BatchWriter {
        let lane = DatabaseLane(lane: .fast, config: db.config, statementTimeoutMs: 30_000)
        return BatchWriter(lane: lane, batchSize: 1000, flushIntervalMs: 60_000, maxBytes: maxBytes, stats: stats)
    }

    private func encodeRow(_ cells: [(inout CopyEncoder) -> Void]) -> [UInt8] {
        var e = CopyEncoder()
        for (i, cell) in cells.enumerated() {
            if i > 0 { e.appendSeparator() }
            cell(&e)
        }
        e.endRow()
        return e.bytes
    }

    /// Strings that break naive COPY or INSERT code, and what PostgreSQL must hold afterwards.
    static func tortureCases() -> [(name: String, input: [UInt8], stored: String)] {
        let allBytes = (0...255).map { UInt8($0) }
        // TextPolicy: NUL becomes U+FFFD; bytes 0x80-0xFF in a row are no well-formed
        // sequence's start and continuation, so each is its own maximal subpart.
        let allBytesStored = "\u{FFFD}" + String(decoding: (1...127).map { UInt8($0) }, as: UTF8.self)
            + String(repeating: "\u{FFFD}", count: 128)
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20) + Array("\\\t\n".utf8)
        return [
            ("all bytes", allBytes, allBytesStored),
            ("escapes", Array("tab\there\nnewline\\backslash\r'quote\"dq \\N".utf8), "tab\there\nnewline\\backslash\r'quote\"dq \\N"),
            ("1 MB", big, String(decoding: big, as: UTF8.self)),
            ("invalid utf8", [0x61, 0xC3, 0x28, 0x62, 0xED, 0xA0, 0x80, 0x63, 0xF0, 0x9F, 0x98, 0x80],
             "a\u{FFFD}(b\u{FFFD}\u{FFFD}\u{FFFD}c😀"),
            ("nul inside", [0x61, 0x00, 0x62, 0x00], "a\u{FFFD}b\u{FFFD}"),
            ("truncated sequence", [0x61, 0xE2, 0x82, 0x62], "a\u{FFFD}b"),
            ("empty", [], ""),
        ]
    }

    func testTortureStringsRoundTripWithoutBreakingTheBatch() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        try db.connect().execute("CREATE SCHEMA collector; CREATE TABLE collector.torture (name text, v text, n bigint, d float8, t timestamptz)")
        let stats = StatsRegistry()
        let w = writer(db, stats: stats)
        let id = w.register(RowTarget(table: "collector.torture", columns: ["name", "v", "n", "d", "t"], droppable: true))
        let cases = Self.tortureCases()
        for c in cases {
            w.append(id, row: encodeRow([
                { $0.appendText(c.name) },
                { e in c.input.withUnsafeBytes { e.appendText($0) } },
                { $0.appendInt(-9_223_372_036_854_775_807) },
                { $0.appendDouble(.nan) },
                { $0.appendTimestamp(micros: 1_795_600_800_123_456) },
            ]))
        }
        XCTAssertEqual(w.flush(), cases.count)
        XCTAssertEqual(stats.counter("writer.rejected_rows"), 0)
        let c = try db.connect()
        for expected in cases {
            let r = try c.query("SELECT v, n, d, to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM collector.torture WHERE name = $1", [expected.name])
            XCTAssertEqual(r.rowCount, 1, expected.name)
            XCTAssertEqual(r.string(0, 0), expected.stored, expected.name)
            XCTAssertEqual(r.string(0, 1), "-9223372036854775807")
            XCTAssertNil(r.string(0, 2), "NaN is stored as NULL")
            XCTAssertEqual(r.string(0, 3), "2026-11-25 10:00:00.123456")
        }
    }

    func testRejectedTableLosesOnlyItsOwnRows() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        try db.connect().execute("CREATE SCHEMA collector; CREATE TABLE collector.good (a int); CREATE TABLE collector.strict (a int CHECK (a > 0))")
        let stats = StatsRegistry()
        let w = writer(db, stats: stats)
        let good = w.register(RowTarget(table: "collector.good", columns: ["a"], droppable: true))
        let strict = w.register(RowTarget(table: "collector.strict", columns: ["a"], droppable: true))
        w.append(good, row: Array("1\n".utf8))
        w.append(strict, row: Array("-1\n".utf8))
        w.append(good, row: Array("2\n".utf8))
        XCTAssertEqual(w.flush(), 2)
        XCTAssertEqual(try db.scalar("SELECT string_agg(a::text, ',' ORDER BY a) FROM collector.good"), "1,2")
        XCTAssertEqual(stats.counter("writer.rejected_rows"), 1)
        XCTAssertEqual(w.bufferedRows, 0)
    }

    /// Savepoints open in the same message as each COPY: a rejection in the first
    /// table, or a table that does not exist at all, must not take the later tables along.
    func testRejectedFirstTableAndMissingMiddleTableKeepTheLastTable() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        try db.connect().execute("CREATE SCHEMA collector; CREATE TABLE collector.good (a int); CREATE TABLE collector.strict (a int CHECK (a > 0))")
        let stats = StatsRegistry()
        let w = writer(db, stats: stats)
        let strict = w.register(RowTarget(table: "collector.strict", columns: ["a"], droppable: true))
        let missing = w.register(RowTarget(table: "collector.missing", columns: ["a"], droppable: true))
        let good = w.register(RowTarget(table: "collector.good", columns: ["a"], droppable: true))
        w.append(strict, row: Array("7\n".utf8))
        w.append(strict, row: Array("-1\n".utf8))
        w.append(missing, row: Array("3\n".utf8))
        w.append(good, row: Array("4\n".utf8))
        XCTAssertEqual(w.flush(), 1)
        XCTAssertEqual(try db.scalar("SELECT string_agg(a::text, ',') FROM collector.good"), "4")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.strict"), "0", "a rejected COPY stores none of its rows")
        XCTAssertEqual(stats.counter("writer.rejected_rows"), 3)
        XCTAssertEqual(stats.counter("writer.flushes"), 1)
        w.append(strict, row: Array("8\n".utf8))
        w.append(good, row: Array("5\n".utf8))
        XCTAssertEqual(w.flush(), 2, "the connection is usable after the partly rejected transaction")
    }

    func testRejectedSingleTableFlushIsDroppedAndTheNextFlushWorks() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        try db.connect().execute("CREATE SCHEMA collector; CREATE TABLE collector.strict (a int CHECK (a > 0))")
        let stats = StatsRegistry()
        let w = writer(db, stats: stats)
        let strict = w.register(RowTarget(table: "collector.strict", columns: ["a"], droppable: true))
        w.append(strict, row: Array("-1\n".utf8))
        XCTAssertEqual(w.flush(), 0)
        XCTAssertEqual(stats.counter("writer.rejected_rows"), 1)
        XCTAssertEqual(w.bufferedRows, 0)
        w.append(strict, row: Array("5\n".utf8))
        XCTAssertEqual(w.flush(), 1, "the connection is usable after the rejected transaction")
        XCTAssertEqual(try db.scalar("SELECT string_agg(a::text, ',') FROM collector.strict"), "5")
    }

    func testRowsWaitWhileDatabaseIsDownAndOldestDropPastTheCap() throws {
        var config = DatabaseConfig()
        config.host = "127.0.0.1"
        config.port = 1  // nothing listens there
        config.connectTimeoutSecs = 1
        let stats = StatsRegistry()
        let w = BatchWriter(lane: DatabaseLane(lane: .fast, config: config, statementTimeoutMs: 1000), batchSize: 1000,
                            flushIntervalMs: 60_000, maxBytes: 64 << 10, stats: stats)
        let id = w.register(RowTarget(table: "collector.m", columns: ["a"], droppable: true))
        for i in 0..<100 { w.append(id, row: Array("\(i)\n".utf8)) }
        XCTAssertEqual(w.flush(), 0)
        XCTAssertEqual(w.bufferedRows, 100, "kept for the next flush")
        let row = [UInt8](repeating: 0x61, count: 1023) + [0x0A]
        for _ in 0..<200 { w.append(id, row: row) }
        XCTAssertLessThanOrEqual(w.bufferedBytes, 64 << 10)
        XCTAssertGreaterThan(stats.counter("writer.dropped_rows"), 0)
        XCTAssertEqual(w.bufferedRows + stats.counter("writer.dropped_rows"), 300)
    }
}
