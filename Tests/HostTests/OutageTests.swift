import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// The database goes away mid-run and comes back: log rows are neither lost nor
/// duplicated, metric rows wait in a buffer that stays under its cap, and the
/// daemon keeps running throughout.
final class OutageTests: XCTestCase {
    /// A daemon with a 1 s heartbeat, 10 plugin rows of 4 kB a second, and one log source.
    static func config(dir: String, log: String, collector: String) -> String {
        """
        [intervals]
        heartbeat_secs = 1
        watchdog_secs = 1
        [collector]
        flush_interval_ms = 300
        \(collector)
        state_dir = "\(dir)/state"
        [database]
        connect_timeout_secs = 1
        reconnect_max_secs = 1
        [plugins]
        dir = "\(dir)/plugins"
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
        """
    }

    func testPostgresStopAndStartMidRun() throws {
        let cluster = try OwnCluster("outage")
        defer { cluster.stop() }
        let dir = cluster.dir, db = cluster.db
        func pg(_ action: String) throws { try cluster.pg(action) }
        let appLog = try cluster.helloPluginAndLog()
        let log = appLog.path
        func writeLines(_ n: Int) throws { try appLog.write(n) }
        var written: Int { appLog.written }
        try writeLines(500)
        let cap = 64 << 10
        // The memory-only path: without a spool, past the cap the oldest metric rows go.
        let (p, err) = try DaemonTests.start(config: Self.config(dir: dir, log: log, collector: "buffer_max_bytes = \(cap)\nspool_max_bytes = 0"),
                                             dir: dir, db: db)
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

    /// issue 15: the disk spool through an outage with a SIGKILL in the middle of
    /// it and another during the replay, then a stop with the database down and a
    /// start with it up: every log line once, no heartbeat or plugin row twice,
    /// heartbeats for the whole outage, nothing dropped. The outage lasts
    /// `PQC_OUTAGE_SECS` (60 here; `scripts/bench-outage.sh` runs it for 10 minutes).
    func testSpoolCarriesRowsThroughAnOutageTwoKillsAndAStopWithTheDatabaseDown() throws {
        let cluster = try OwnCluster("spool")
        defer { cluster.stop() }
        let dir = cluster.dir, db = cluster.db
        let appLog = try cluster.helloPluginAndLog()
        let log = appLog.path
        func writeLines(_ n: Int) throws { try appLog.write(n) }
        var written: Int { appLog.written }
        let config = Self.config(dir: dir, log: log, collector: "buffer_max_bytes = \(64 << 10)")
        func count(_ sql: String) -> Int { Int((try? db.scalar(sql)) ?? nil ?? "0") ?? 0 }
        func spoolFiles() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: dir + "/state/spool")) ?? [] }
        func wait(_ secs: Double, until done: () -> Bool) { let end = Date().addingTimeInterval(secs); while !done() && Date() < end { usleep(20_000) } }
        func sigkill(_ p: Process) { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }

        try writeLines(300)
        var (p, _) = try DaemonTests.start(config: config, dir: dir, db: db)
        wait(20) { count("SELECT count(*) FROM collector.log_entries") >= 300 }
        XCTAssertEqual(count("SELECT count(*) FROM collector.log_entries"), 300)

        // The outage, with a SIGKILL in its middle: rows wait on disk, not in memory.
        let half = UInt32(max(4, (ProcessInfo.processInfo.environment["PQC_OUTAGE_SECS"].flatMap { Int($0) } ?? 60) / 2))
        let outageStart = Date()
        try cluster.pg("stop")
        try writeLines(400)
        sleep(half)
        sigkill(p)
        XCTAssertFalse(spoolFiles().isEmpty, "a failed flush moves rows to the spool")
        (p, _) = try DaemonTests.start(config: config, dir: dir, db: db)
        try writeLines(300)
        sleep(half)
        try cluster.pg("start")
        let outageEnd = Date()

        // A SIGKILL during the replay: as soon as its first record is committed.
        let c = try db.connect()
        wait(30) { ((try? c.query("SELECT count(*) FROM collector.spool_positions").string(0, 0)) ?? nil) == "1" }
        sigkill(p)
        print("spool: killed during the replay with \(spoolFiles().count) segment(s) left")
        var (p3, err3) = try DaemonTests.start(config: config, dir: dir, db: db)
        wait(40) { count("SELECT count(*) FROM collector.log_entries") >= written && spoolFiles().isEmpty }
        XCTAssertEqual(spoolFiles(), [], "the spool is replayed and emptied")

        // A stop with the database down, then a start with it up.
        try cluster.pg("stop")
        sleep(2)
        _ = DaemonTests.terminate(p3)
        let stopped = Date()
        let stopLog = String(decoding: err3.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p3.terminationStatus, 0, stopLog)
        XCTAssertTrue(stopLog.contains("are in the spool"), stopLog)
        XCTAssertFalse(spoolFiles().isEmpty)
        try cluster.pg("start")
        (p3, err3) = try DaemonTests.start(config: config, dir: dir, db: db)
        wait(30) { spoolFiles().isEmpty }
        usleep(1_500_000)
        _ = DaemonTests.terminate(p3)
        let lastLog = String(decoding: err3.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(lastLog.contains("spool: replayed"), lastLog)

        let logs = try db.connect().query("SELECT count(*), count(DISTINCT message) FROM collector.log_entries")
        XCTAssertEqual(logs.string(0, 0), String(written), "no log line lost or duplicated")
        XCTAssertEqual(logs.string(0, 1), String(written))
        XCTAssertEqual(count("SELECT count(*) - count(DISTINCT (pid, ts)) FROM collector.heartbeat"), 0, "no heartbeat twice")
        XCTAssertEqual(count("SELECT count(*) - count(DISTINCT ts) FROM collector.hello_counts"), 0, "no plugin row twice")
        XCTAssertEqual(count("SELECT coalesce(max(dropped_rows), 0) FROM collector.heartbeat"), 0, "nothing dropped")
        // Heartbeats for the whole outage: the collector was alive, the database was not.
        let span = "to_timestamp(\(outageStart.timeIntervalSince1970)) AND to_timestamp(\(outageEnd.timeIntervalSince1970))"
        let during = count("SELECT count(*) FROM collector.heartbeat WHERE ts BETWEEN \(span)")
        let outageSecs = Int(outageEnd.timeIntervalSince(outageStart))
        print("spool: \(written) log lines once; \(during) heartbeats in a \(outageSecs) s outage")
        XCTAssertGreaterThanOrEqual(during, outageSecs - 3, "one heartbeat a second through the outage, the restart aside")
        let gap = Double((try? db.scalar("""
            SELECT max(gap) FROM (SELECT extract(epoch FROM ts - lag(ts) OVER (ORDER BY ts))::float8 AS gap
            FROM collector.heartbeat WHERE ts <= to_timestamp(\(stopped.timeIntervalSince1970))) g
            """)) ?? nil ?? "99") ?? 99
        XCTAssertLessThan(gap, 4, "no hole in the heartbeats but the kills' restarts")
    }
}

/// A PostgreSQL cluster of the test's own, so stopping it disturbs no other test.
struct OwnCluster {
    let dir: String
    let db: TestDatabase
    private let script: String
    private let port: String
    private let pgctl: String

    init(_ name: String) throws {
        guard ProcessInfo.processInfo.environment["PQC_PG_DIR"] != nil else {
            if ProcessInfo.processInfo.environment["PQC_TEST_REQUIRE_DB"] == "1" { throw TestFailure("no test cluster") }
            throw XCTSkip("no test PostgreSQL: run scripts/test.sh")
        }
        dir = try TestSupport.makeTempDir(name)
        script = TestSupport.repoRoot.appendingPathComponent("scripts/pg-local.sh").path
        let started = try TestSupport.run("/bin/bash", [script, "start", dir + "/pg"])
        guard started.status == 0 else { throw TestFailure("pg-local.sh start: \(started.stderr)") }
        port = try XCTUnwrap(started.stdout.split(separator: " ").first { $0.hasPrefix("PGPORT=") }.map { String($0.dropFirst(7)) })
        pgctl = try XCTUnwrap(started.stdout.split(separator: " ").first { $0.hasPrefix("PQC_PG_BIN=") }.map { String($0.dropFirst(11)) }) + "/pg_ctl"
        var dbConfig = DatabaseConfig()
        dbConfig.host = "127.0.0.1"
        dbConfig.port = Int(port) ?? 0
        dbConfig.user = "postgres"
        dbConfig.name = "collector"
        dbConfig.sslmode = "disable"
        db = TestDatabase(config: dbConfig, name: "collector")
    }

    func pg(_ action: String) throws {
        // The restarted server must not inherit our descriptors (Process waits on them).
        let closeFDs = "for fd in /proc/$$/fd/*; do n=${fd##*/}; [ \"$n\" -gt 2 ] 2>/dev/null && eval \"exec $n>&-\" 2>/dev/null; done; "
        let cmd = closeFDs + "runuser -u postgres -- \(pgctl) -D \(dir)/pg/data -l \(dir)/pg/postgresql.log -o '-p \(port)' -w -m fast \(action) >\(dir)/pg_ctl.out 2>&1"
        let r = try TestSupport.run("/bin/bash", ["-c", cmd])
        XCTAssertEqual(r.status, 0, "pg_ctl \(action): \(r.stderr)")
    }

    func stop() { _ = try? TestSupport.run("/bin/bash", [script, "stop", dir + "/pg"]) }

    /// The example plugin in `<dir>/plugins` (its parser reads the log, its tick
    /// writes plugin rows), and the log file `<dir>/app.log`.
    func helloPluginAndLog() throws -> AppLog {
        mkdir(dir + "/plugins", 0o755)
        try TestSupport.compilePlugin(TestSupport.examplePluginSource, to: dir + "/plugins/hello_parser.so")
        return AppLog(dir + "/app.log")
    }
}

/// A log file an application appends numbered lines to (one message each).
final class AppLog {
    let path: String
    private(set) var written = 0

    init(_ path: String) { self.path = path }

    func write(_ n: Int) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let h = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        h.seekToEndOfFile()
        h.write(Data((written..<(written + n)).map { "2026-11-25 10:00:00 INFO [o] line \($0)\n" }.joined().utf8))
        h.closeFile()
        written += n
    }
}
