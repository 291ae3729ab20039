import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// The daemon as a process against a real PostgreSQL.
final class DaemonTests: XCTestCase {
    /// Starts `pqcrypta-collector run` with `config`, returns the process.
    static func start(config: String, dir: String, db: TestDatabase) throws -> (Process, Pipe) {
        try TestSupport.write(config, to: dir + "/collector.toml")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestSupport.collectorBinary)
        p.arguments = ["run", "--config", dir + "/collector.toml"]
        var env = ProcessInfo.processInfo.environment
        env.merge(db.environment) { $1 }
        env["LOG_LEVEL"] = "info"
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return (p, err)
    }

    /// SIGTERM, then how long the process took to exit.
    static func terminate(_ p: Process) -> TimeInterval {
        let start = Date()
        kill(p.processIdentifier, SIGTERM)
        while p.isRunning && Date().timeIntervalSince(start) < 15 { usleep(20_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        return Date().timeIntervalSince(start)
    }

    func testRunAppliesSchemaWritesHeartbeatsAndPluginRowsAndStopsCleanly() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let dir = try TestSupport.makeTempDir("daemon")
        let plugins = dir + "/plugins"
        mkdir(plugins, 0o755)
        try TestSupport.compilePlugin(TestSupport.examplePluginSource, to: plugins + "/hello_parser.so")
        // A tick that blocks 2.5 s every 0.5 s: it must not disturb the 1 s heartbeat.
        try TestSupport.compilePlugin(TestSupport.fixturePlugin("variant.c"), to: plugins + "/sleepy.so",
                                      defines: ["PLUGIN_NAME=\"sleepy\"", "SLOW_TICK_MS=2500", "TICK_INTERVAL_MS=500"])
        let (p, err) = try Self.start(config: """
            [intervals]
            heartbeat_secs = 1
            watchdog_secs = 2
            [collector]
            flush_interval_ms = 500
            state_dir = "\(dir)/state"
            [plugins]
            dir = "\(plugins)"
            [plugin.hello_parser]
            interval_secs = 1
            greeting = "from the daemon test"
            [logs]
            enabled = false
            """, dir: dir, db: db)
        usleep(7_000_000)
        let took = Self.terminate(p)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, log)
        XCTAssertLessThan(took, 5, "SIGTERM stops the daemon within a few seconds (a 2.5 s tick may be running)")
        XCTAssertTrue(log.contains("stopped"), log)
        XCTAssertTrue(log.contains("hello_parser stopped"), "plugin shutdown ran: \(log)")

        XCTAssertEqual(try db.scalar("SELECT count(*) > 0 FROM collector.schema_migrations WHERE name = 'hello_parser/001_hello_counts'"), "t")
        let beats = try db.connect().query("SELECT extract(epoch FROM ts)::float8 FROM collector.heartbeat ORDER BY ts")
        XCTAssertGreaterThanOrEqual(beats.rowCount, 5, log)
        let times = (0..<beats.rowCount).compactMap { beats.string($0, 0).flatMap(Double.init) }
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        XCTAssertTrue(gaps.allSatisfy { $0 > 0.7 && $0 < 1.3 }, "heartbeat gaps while a tick blocks: \(gaps)")
        let hello = try db.connect().query("SELECT count(*), max(runs), min(greeting) FROM collector.hello_counts")
        XCTAssertGreaterThanOrEqual(Int(hello.string(0, 0) ?? "0") ?? 0, 4, "rows flushed, the last ones at shutdown")
        XCTAssertEqual(hello.string(0, 2), "from the daemon test")
        XCTAssertEqual(try db.scalar("SELECT count(DISTINCT host) FROM collector.hello_counts"), "1")

        let stats = try String(contentsOfFile: dir + "/state/stats.json", encoding: .utf8)
        XCTAssertTrue(stats.contains("\"sleepy/work\""), stats)
        let parsed = try JSONSerialization.jsonObject(with: Data(stats.utf8)) as? [String: Any]
        let sleepy = (parsed?["ticks"] as? [String: Any])?["sleepy/work"] as? [String: Any]
        XCTAssertGreaterThan(sleepy?["skipped"] as? Int ?? 0, 0, "overlapping runs are skipped and counted")
        XCTAssertEqual(try db.scalar("SELECT skipped > 0 FROM collector.plugin_stats WHERE plugin = 'sleepy' AND tick = 'work'"), "t")
    }

    func testBadPluginIsRefusedWhileTheOthersRun() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let dir = try TestSupport.makeTempDir("daemon")
        let plugins = dir + "/plugins"
        mkdir(plugins, 0o755)
        try TestSupport.compilePlugin(TestSupport.examplePluginSource, to: plugins + "/hello_parser.so")
        try TestSupport.compilePlugin(TestSupport.fixturePlugin("variant.c"), to: plugins + "/broken.so", defines: ["BAD_MAJOR"])
        let (p, err) = try Self.start(config: """
            [collector]
            flush_interval_ms = 300
            state_dir = "\(dir)/state"
            [plugins]
            dir = "\(plugins)"
            [plugin.hello_parser]
            interval_secs = 0.5
            [logs]
            enabled = false
            """, dir: dir, db: db)
        usleep(3_000_000)
        _ = Self.terminate(p)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let refusals = log.split(separator: "\n").filter { $0.contains("refused plugin") }
        XCTAssertEqual(refusals.count, 1, log)
        XCTAssertTrue(refusals.first?.contains("broken.so: ABI major 2") ?? false, log)
        XCTAssertGreaterThan(Int(try db.scalar("SELECT count(*) FROM collector.hello_counts") ?? "0") ?? 0, 2)
    }

    /// The bundled SystemMetrics plugin: rows in both tables on every tick.
    func testSystemMetricsPluginWritesBothTablesEveryTick() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let dir = try TestSupport.makeTempDir("sys")
        let (p, err) = try Self.start(config: """
            [intervals]
            system_secs = 1
            [collector]
            processes = ["pqcrypta-collector", "postgres", "no-such-process"]
            flush_interval_ms = 200
            state_dir = "\(dir)/state"
            [plugins]
            files = ["\(TestSupport.binDir)/libSystemMetrics.so"]
            [logs]
            enabled = false
            """, dir: dir, db: db)
        usleep(5_500_000)
        _ = Self.terminate(p)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, log)
        let ticks = Int(try db.scalar("SELECT count(*) FROM collector.system_metrics_raw") ?? "0") ?? 0
        XCTAssertGreaterThanOrEqual(ticks, 4, log)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.process_metrics_raw"), String(ticks * 3), "one row per watched name per tick")
        // The first tick only primes CPU; later ones have sane values.
        let s = try db.connect().query("""
            SELECT bool_and(cpu_pct BETWEEN 0 AND 100), bool_and(mem_used_bytes <= mem_total_bytes), bool_and(jsonb_array_length(cpu_cores) > 0)
            FROM collector.system_metrics_raw WHERE cpu_pct IS NOT NULL
            """)
        XCTAssertEqual(s.string(0, 0), "t")
        XCTAssertEqual(s.string(0, 1), "t")
        XCTAssertEqual(s.string(0, 2), "t")
        let me = try db.connect().query("SELECT bool_and(process_count >= 1 AND rss_bytes > 0 AND NOT missing) FROM collector.process_metrics_raw WHERE process_name = 'pqcrypta-collector'")
        XCTAssertEqual(me.string(0, 0), "t", "the collector finds itself by its 18-character name")
        XCTAssertEqual(try db.scalar("SELECT bool_and(missing AND process_count = 0) FROM collector.process_metrics_raw WHERE process_name = 'no-such-process'"), "t")
        XCTAssertEqual(try db.scalar("SELECT count(DISTINCT date_trunc('second', ts)) FROM collector.system_metrics_raw"), String(ticks))
    }
}
