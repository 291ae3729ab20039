import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// Exactly-once ingestion across SIGKILL: every line present once after a restart.
final class LogCrashTests: XCTestCase {
    func testSigkillDuringIngestOf100kLinesLosesAndDuplicatesNothing() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let dir = try TestSupport.makeTempDir("crash")
        let plugins = dir + "/plugins"
        mkdir(plugins, 0o755)
        try TestSupport.compilePlugin(TestSupport.examplePluginSource, to: plugins + "/hello_parser.so")
        let total = 100_000
        var text = ""
        text.reserveCapacity(total * 60)
        for i in 0..<total { text += "2026-11-25 10:00:00 INFO [seq] line \(i) of the crash test\n" }
        try TestSupport.write(text, to: dir + "/app.log")
        let config = """
            [intervals]
            heartbeat_secs = 60
            [collector]
            state_dir = "\(dir)/state"
            [plugins]
            dir = "\(plugins)"
            [logs]
            tick_secs = 1
            tick_budget_ms = 60000
            default_sources = false
            initial_backfill_bytes = 1000000000
            [[logs.sources]]
            name = "crash"
            path = "\(dir)/app.log"
            parser = "hello"
            """
        func count() -> Int { Int((try? db.scalar("SELECT count(*) FROM collector.log_entries")) ?? nil ?? "0") ?? 0 }

        var (p, _) = try DaemonTests.start(config: config, dir: dir, db: db)
        // Kill as soon as part of the file is committed: mid-ingest.
        let deadline = Date().addingTimeInterval(60)
        while count() == 0 && Date() < deadline { usleep(5_000) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let atKill = count()
        XCTAssertGreaterThan(atKill, 0)
        XCTAssertLessThan(atKill, total, "the kill landed mid-ingest")

        (p, _) = try DaemonTests.start(config: config, dir: dir, db: db)
        while count() < total && Date() < deadline { usleep(50_000) }
        usleep(1_500_000)  // one more tick: nothing may be added twice
        _ = DaemonTests.terminate(p)
        let r = try db.connect().query("SELECT count(*), count(DISTINCT message) FROM collector.log_entries")
        XCTAssertEqual(r.string(0, 0), String(total))
        XCTAssertEqual(r.string(0, 1), String(total))
    }
}
