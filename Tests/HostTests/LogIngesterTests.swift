import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore
import PluginABI
import Synchronization

/// The host's log ingestion with the C example parser ("hello"), against PostgreSQL.
final class LogIngesterTests: XCTestCase {
    var dir = ""
    var db: TestDatabase!
    var parser: ParserRegistration!

    override func setUpWithError() throws {
        db = try TestDatabase.create()
        dir = try TestSupport.makeTempDir("ingest")
        try TestSupport.compilePlugin(TestSupport.examplePluginSource, to: dir + "/hello_parser.so")
        var config = CollectorConfig()
        config.plugins.files = [dir + "/hello_parser.so"]
        let plugin = try XCTUnwrap(PluginLoader(services: HostServices.offline(config)).loadAll().loaded.first)
        parser = try XCTUnwrap(plugin.parsers.first)
        _ = try Migrator(connection: try db.connect()).apply(EmbeddedMigrations.all)
        setenv("TZ", "UTC", 1)
        tzset()
    }

    override func tearDown() {
        db?.drop()
        _ = try? FileManager.default.removeItem(atPath: dir)
    }

    private func ingester(_ path: String, commitRows: Int = 5000, dbConfig: DatabaseConfig? = nil, stats: StatsRegistry = StatsRegistry()) -> LogIngester {
        var logs = LogsConfig()
        logs.sources = [LogSourceConfig(name: "demo", kind: .file, target: path, parser: "hello")]
        logs.initialBackfillBytes = Int.max
        // These tests read what they have just written; the wait has its own test (LogSourcesIngestTests).
        logs.multilineWaitMs = 0
        let lane = DatabaseLane(lane: .fast, config: dbConfig ?? db.config, statementTimeoutMs: 30_000)
        return LogIngester(config: logs, hostname: "h1", parsers: ["hello": parser], lane: lane, stats: stats, commitRows: commitRows)
    }

    private func append(_ text: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let h = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        h.closeFile()
    }

    func testRecordsContinuationsAndPositionsAreCommittedTogether() throws {
        let path = dir + "/app.log"
        try append("""
            2026-11-25 10:00:00 ERROR [db] query failed
              at step 1
              at step 2
            2026-11-25 10:00:01 INFO [web] request id=7 from 10.0.0.5
            not in the format
            2026-11-25 10:00:02 WARN half a line
            """, to: path)
        let ing = ingester(path)
        XCTAssertEqual(ing.tick(), .ok)
        let rows = try db.connect().query("SELECT level, component, message, context::text, fingerprint, ts = '2026-11-25 10:00:00+00' FROM collector.log_entries ORDER BY ts, message")
        XCTAssertEqual(rows.rowCount, 3, "the half line waits for its newline")
        XCTAssertEqual(rows.string(0, 0), "error")
        XCTAssertEqual(rows.string(0, 1), "db")
        XCTAssertEqual(rows.string(0, 2), "query failed\nat step 1\nat step 2")
        XCTAssertEqual(rows.string(0, 5), "t")
        XCTAssertEqual(rows.string(0, 4)?.count, 16)
        XCTAssertEqual(rows.string(1, 3), #"{"component_kind": "bracketed"}"#)
        let unparsed = try db.connect().query("SELECT level, context->>'unparsed' FROM collector.log_entries WHERE message = 'not in the format'")
        XCTAssertEqual(unparsed.rowCount, 1, "unparsed lines are kept raw")
        XCTAssertEqual(unparsed.string(0, 1), "true")
        let committed = try XCTUnwrap(try db.scalar("SELECT byte_offset FROM collector.log_positions WHERE host = 'h1' AND source = 'demo'"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(Int(committed), text.utf8.count - "2026-11-25 10:00:02 WARN half a line".utf8.count)

        // Nothing new: no duplicates. Then the line completes.
        XCTAssertEqual(ing.tick(), .ok)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.log_entries"), "3")
        try append("\n", to: path)
        XCTAssertEqual(ing.tick(), .ok)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.log_entries"), "4")
    }

    func testRestartResumesFromTheCommittedPosition() throws {
        let path = dir + "/app.log"
        try append((0..<50).map { "2026-11-25 10:00:00 INFO line \($0)" }.joined(separator: "\n") + "\n", to: path)
        XCTAssertEqual(ingester(path, commitRows: 7).tick(), .ok)
        try append((50..<80).map { "2026-11-25 10:00:00 INFO line \($0)" }.joined(separator: "\n") + "\n", to: path)
        XCTAssertEqual(ingester(path).tick(), .ok, "a new ingester loads positions from the database")
        XCTAssertEqual(try db.scalar("SELECT count(*) || '/' || count(DISTINCT message) FROM collector.log_entries"), "80/80")
    }

    func testDatabaseDownAdvancesNothingAndCatchesUpLater() throws {
        let path = dir + "/app.log"
        try append("2026-11-25 10:00:00 INFO first\n", to: path)
        var down = db.config
        down.port = 1
        down.connectTimeoutSecs = 1
        let offline = ingester(path, dbConfig: down)
        if case .retry = offline.tick() {} else { XCTFail("a down database is a retry") }
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.log_positions"), "0")
        try append("2026-11-25 10:00:00 INFO second\n", to: path)
        XCTAssertEqual(ingester(path).tick(), .ok)
        XCTAssertEqual(try db.scalar("SELECT string_agg(message, ',' ORDER BY message) FROM collector.log_entries"), "first,second")
    }

    func testGarbageNULsAndHugeLinesNeverBreakABatch() throws {
        let path = dir + "/app.log"
        var bytes = Array("2026-11-25 10:00:00 INFO before\n".utf8)
        bytes += [0x00, 0xFF, 0xFE, 0x09, 0x5C, 0x0A]                                   // binary garbage
        bytes += Array("2026-11-25 10:00:00 ERROR nul\u{0}inside \u{FFFD}\n".utf8)
        bytes += Array("2026-11-25 10:00:00 INFO ".utf8) + [UInt8](repeating: 0x41, count: 1 << 20) + [0x0A]
        bytes += [0xC3, 0x28, 0x0A]                                                      // invalid UTF-8
        bytes += Array("2026-11-25 10:00:00 INFO after\n".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        XCTAssertEqual(ingester(path).tick(), .ok)
        let r = try db.connect().query("SELECT message, length(message), context->>'truncated' FROM collector.log_entries ORDER BY length(message)")
        XCTAssertEqual(r.rowCount, 6)
        let messages = (0..<r.rowCount).compactMap { r.string($0, 0) }
        XCTAssertTrue(messages.contains("before"))
        XCTAssertTrue(messages.contains("after"))
        XCTAssertTrue(messages.contains("nul\u{FFFD}inside \u{FFFD}"), "\(messages.map { $0.prefix(40) })")
        XCTAssertTrue(messages.contains("\u{FFFD}("), "invalid UTF-8 replaced")
        XCTAssertEqual(r.string(r.rowCount - 1, 2), "true", "the 1 MiB line is stored truncated")
        XCTAssertLessThanOrEqual(Int(r.string(r.rowCount - 1, 1) ?? "0") ?? 0, 65536 + 20)
    }

    /// ByteKit's TextPolicy end to end: the same bad bytes are stored alike as a log
    /// message (file path), in a plugin's text cell and in a plugin's JSON cell.
    func testBadBytesAreStoredAlikeOnEveryPath() throws {
        let bad: [UInt8] = [0x61, 0x00, 0x62, 0xE2, 0x82, 0x41, 0xC0, 0xAF, 0xFF, 0x7A]
        let expected = "a\u{FFFD}b\u{FFFD}A\u{FFFD}\u{FFFD}\u{FFFD}z"
        let path = dir + "/app.log"
        _ = FileManager.default.createFile(atPath: path, contents: Data(Array("2026-11-25 10:00:00 ERROR ".utf8) + bad + [0x0A]))
        XCTAssertEqual(ingester(path).tick(), .ok)

        try db.connect().execute("CREATE TABLE collector.policy_cells (host text, ts timestamptz, v text, j jsonb)")
        let lane = DatabaseLane(lane: .fast, config: db.config, statementTimeoutMs: 30_000)
        let writer = BatchWriter(lane: lane, batchSize: 10, flushIntervalMs: 60_000, maxBytes: 1 << 20, stats: StatsRegistry())
        let table = PluginTable(owner: "test", table: "collector.policy_cells", columns: ["v", "j"], hostname: "h1", writer: writer)
        // In JSON, NUL can only be the escape \u0000; the other bad bytes stand raw in the string.
        let json: [UInt8] = Array(#"{"k":"a\u0000b"#.utf8) + bad[3...] + Array(#""}"#.utf8)
        bad.withUnsafeBufferPointer { text in
            json.withUnsafeBufferPointer { doc in
                var cells = [pqc_value(), pqc_value()]
                cells[0].type = PQC_VALUE_TEXT.rawValue
                cells[0].v.s = UnsafeRawPointer(text.baseAddress!).assumingMemoryBound(to: CChar.self)
                cells[0].len = text.count
                cells[1].type = PQC_VALUE_JSON.rawValue
                cells[1].v.s = UnsafeRawPointer(doc.baseAddress!).assumingMemoryBound(to: CChar.self)
                cells[1].len = doc.count
                XCTAssertTrue(cells.withUnsafeBufferPointer { table.emit($0, now: 1_795_600_800_000_000) })
            }
        }
        XCTAssertEqual(writer.flush(), 1)
        XCTAssertEqual(try db.scalar("SELECT message FROM collector.log_entries"), expected)
        XCTAssertEqual(try db.scalar("SELECT v FROM collector.policy_cells"), expected)
        XCTAssertEqual(try db.scalar("SELECT j->>'k' FROM collector.policy_cells"), expected)
    }

    func testRotationBetweenTicksLosesNothing() throws {
        let path = dir + "/app.log"
        try append("2026-11-25 10:00:00 INFO a1\n", to: path)
        let ing = ingester(path)
        XCTAssertEqual(ing.tick(), .ok)
        try append("2026-11-25 10:00:00 INFO a2\n", to: path)
        XCTAssertEqual(rename(path, path + ".1"), 0)
        try append("2026-11-25 10:00:00 INFO b1\n", to: path)
        XCTAssertEqual(ing.tick(), .ok)
        XCTAssertEqual(try db.scalar("SELECT string_agg(message, ',' ORDER BY message) FROM collector.log_entries"), "a1,a2,b1")
    }

    func testCopytruncateAndLateFileAgainstTheDatabase() throws {
        let path = dir + "/late.log"
        let ing = ingester(path)
        XCTAssertEqual(ing.tick(), .ok, "a missing file is a state, not a failure")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.log_entries"), "0")
        try append("2026-11-25 10:00:00 INFO first life 1\n2026-11-25 10:00:00 INFO first life 2\n", to: path)
        XCTAssertEqual(ing.tick(), .ok)
        XCTAssertEqual(truncate(path, 0), 0)  // copytruncate
        try append("2026-11-25 10:00:00 INFO second life\n", to: path)
        XCTAssertEqual(ing.tick(), .ok)
        XCTAssertEqual(try db.scalar("SELECT string_agg(message, ',' ORDER BY message) FROM collector.log_entries"),
                       "first life 1,first life 2,second life")
        XCTAssertEqual(try db.scalar("SELECT byte_offset FROM collector.log_positions WHERE source = 'demo'"),
                       String("2026-11-25 10:00:00 INFO second life\n".utf8.count))
    }

    /// issue 15: an application writes 200 lines/s while logrotate's copytruncate
    /// runs 5 times (copy to load.log.1, older copies moved to .2, truncate), and
    /// ticks land anywhere in between: every line is stored once. The writer does
    /// the rotation itself, so no line falls into the window between copy and
    /// truncate (that one is logrotate's loss: docs/architecture.md).
    func testFiveCopytruncateRotationsUnder200LinesPerSecondLoseAndDuplicateNothing() throws {
        let path = dir + "/load.log"
        let total = 1400, rotateEvery = 240
        let stats = StatsRegistry()
        let ing = ingester(path, stats: stats)
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        let done = Atomic(false)
        let writer = Thread {
            for i in 0..<total {
                if i > 0 && i % rotateEvery == 0 {
                    _ = rename(path + ".1", path + ".2")
                    try? FileManager.default.copyItem(atPath: path, toPath: path + ".1")
                    _ = ftruncate(fd, 0)
                }
                let line = Array("2026-11-25 10:00:00 INFO [load] line \(i) of the copytruncate test\n".utf8)
                _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                usleep(5_000)
            }
            done.store(true, ordering: .relaxed)
        }
        writer.start()
        while !done.load(ordering: .relaxed) {
            XCTAssertEqual(ing.tick(), .ok)
            usleep(UInt32.random(in: 50_000...400_000))
        }
        close(fd)
        XCTAssertEqual(ing.tick(), .ok)
        let r = try db.connect().query("SELECT count(*), count(DISTINCT message) FROM collector.log_entries")
        XCTAssertEqual(r.string(0, 0), String(total), "no line lost, none duplicated")
        XCTAssertEqual(r.string(0, 1), String(total))
        XCTAssertEqual(stats.counter("logs.copytruncates"), 5)
        print("copytruncate: \(total) of \(total) lines over 5 rotations, copies read \(stats.counter("logs.copytruncate_copies_read"))")
    }
}
