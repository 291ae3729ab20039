import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// The database goes away mid-run and comes back: log rows are neither lost nor
/// duplicated, metric rows wait in a buffer that stays under its cap, and the
/// daemon keeps running throughout.
final class OutageTests: XCTestCase {
    func testPostgresStopAndStartMidRun() throws {
        guard ProcessInfo.processInfo.environment["PQC_PG_DIR"] != nil else {
            if ProcessInfo.processInfo.environment["PQC_TEST_REQUIRE_DB"] == "1" { throw TestFailure("no test cluster") }
            throw XCTSkip("no test PostgreSQL: run scripts/test.sh")
        }
        // A cluster of this test's own, so stopping it disturbs no other test.
        let dir = try TestSupport.makeTempDir("outage")
        let script = TestSupport.repoRoot.appendingPathComponent("scripts/pg-local.sh").path
        let started = try TestSupport.run("/bin/bash", [script, "start", dir + "/pg"])
        XCTAssertEqual(started.status, 0, started.stderr)
        defer { _ = try? TestSupport.run("/bin/bash", [script, "stop", dir + "/pg"]) }
        let port = try XCTUnwrap(started.stdout.split(separator: " ").first { $0.hasPrefix("PGPORT=") }.map { String($0.dropFirst(7)) })
        let pgctl = try XCTUnwrap(started.stdout.split(separator: " ").first { $0.hasPrefix("PQC_PG_BIN=") }.map { String($0.dropFirst(11)) }) + "/pg_ctl"
        func pg(_ action: String) throws {
            // The restarted server must not inherit our descriptors (Process waits on them).
            let closeFDs = "for fd in /proc/$$/fd/*; do n=${fd##*/}; [ \"$n\" -gt 2 ] 2>/dev/null && eval \"exec $n>&-\" 2>/dev/null; done; "
            let cmd = closeFDs + "runuser -u postgres -- \(pgctl) -D \(dir)/pg/data -l \(dir)/pg/postgresql.log -o '-p \(port)' -w -m fast \(action) >\(dir)/pg_ctl.out 2>&1"
            let r = try TestSupport.run("/bin/bash", ["-c", cmd])
            XCTAssertEqual(r.status, 0, "pg_ctl \(action): \(r.stderr)")
        }
        var dbConfig = DatabaseConfig()
        dbConfig.host = "127.0.0.1"
        dbConfig.port = Int(port) ?? 0
        dbConfig.user = "postgres"
        dbConfig.name = "collector"
        dbConfig.sslmode = "disable"
        let db = TestDatabase(config: dbConfig, name: "collector")

        let plugins = dir + "/plugins"
        mkdir(plugins, 0o755)
        try TestSupport.compilePlugin(TestSupport.examplePluginSource, to: plugins + "/hello_parser.so")
        let log = dir + "/app.log"
        var written = 0
        func writeLines(_ n: Int) throws {
            if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
            let h = try XCTUnwrap(FileHandle(forWritingAtPath: log))
            h.seekToEndOfFile()
            h.write(Data((written..<(written + n)).map { "2026-11-25 10:00:00 INFO [o] line \($0)\n" }.joined().utf8))
            h.closeFile()
            written += n
        }
        try writeLines(500)
        let cap = 64 << 10
        let (p, err) = try DaemonTests.start(config: """
            [intervals]
            heartbeat_secs = 1
            watchdog_secs = 1
            [collector]
            flush_interval_ms = 300
            buffer_max_bytes = \(cap)
            state_dir = "\(dir)/state"
            [database]
            connect_timeout_secs = 1
            reconnect_max_secs = 2
            [plugins]
            dir = "\(plugins)"
            [plugin.hello_parser]
            interval_secs = 0.1
            greeting = "\(String(repeating: "g", count: 4000))"
            [logs]
            tick_secs = 1
            default_sources = false
            [[logs.sources]]
            name = "outage"
            path = "\(log)"
            parser = "hello"
            """, dir: dir, db: db)
        func logRows() -> Int { Int((try? db.scalar("SELECT count(*) FROM collector.log_entries")) ?? nil ?? "0") ?? 0 }
        var deadline = Date().addingTimeInterval(20)
        while logRows() < 500 && Date() < deadline { usleep(100_000) }
        XCTAssertEqual(logRows(), 500)

        try pg("stop")
        try writeLines(700)                 // written while the database is down
        var maxBuffered = 0, dropped = 0
        for _ in 0..<60 {                   // 6 s of up to 10 rows/s of 4 kB: past the 64 kB cap
            usleep(100_000)
            if let data = FileManager.default.contents(atPath: dir + "/state/stats.json"),
               let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                maxBuffered = max(maxBuffered, json["buffered_bytes"] as? Int ?? 0)
                dropped = (json["counters"] as? [String: Any])?["writer.dropped_rows"] as? Int ?? dropped
            }
        }
        XCTAssertGreaterThan(maxBuffered, cap / 2, "rows piled up while the database was down")
        print("outage: max buffered \(maxBuffered) bytes, dropped \(dropped) rows")
        XCTAssertGreaterThan(dropped, 0, "past the cap the oldest metric rows are dropped and counted")
        XCTAssertTrue(p.isRunning, "the daemon keeps running while the database is down")
        try pg("start")
        try writeLines(300)
        deadline = Date().addingTimeInterval(30)
        while logRows() < written && Date() < deadline { usleep(200_000) }
        usleep(1_500_000)
        _ = DaemonTests.terminate(p)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, stderr)
        let r = try db.connect().query("SELECT count(*), count(DISTINCT message) FROM collector.log_entries")
        XCTAssertEqual(r.string(0, 0), String(written), "no log line lost or duplicated across the outage")
        XCTAssertEqual(r.string(0, 1), String(written))
        XCTAssertLessThanOrEqual(maxBuffered, cap, "buffered metric rows stay under buffer_max_bytes")
        XCTAssertGreaterThan(Int(try db.scalar("SELECT count(*) FROM collector.hello_counts") ?? "0") ?? 0, 0)
        XCTAssertTrue(stderr.contains("lost") || stderr.contains("cannot connect"), "the outage is logged")
    }
}
