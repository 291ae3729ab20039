import CollectorCore
import CollectorTestSupport
import ConsoleKit
import Foundation
import Logging
import XCTest

/// The console over a database the real daemon is filling: the collector
/// binary with the SystemMetrics and LogSources plugins, tailing a log with
/// hostile lines, and the console beside it reading the database and the
/// daemon's stats.json.
final class ConsoleDaemonTests: XCTestCase {
    func testPagesOverWhatTheDaemonWrites() throws {
        let env = ProcessInfo.processInfo.environment
        let bin = env["PQC_TEST_BIN_DIR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug").path
        guard FileManager.default.fileExists(atPath: bin + "/pqcrypta-collector") else { throw XCTSkip("no collector binary in \(bin)") }
        // Migrated first, so the wait below can query the tables before the daemon's own migrate has run.
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let dir = NSTemporaryDirectory() + "console-daemon-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir + "/state", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            Nov 28 23:59:01 web sshd[4242]: Failed password for <script>alert(1)</script> from 203.0.113.9 port 52200 ssh2
            Nov 28 23:59:02 web sshd[4242]: Failed password for "><img src=x onerror=alert(2)> from 203.0.113.9 port 52201 ssh2
            Nov 28 23:59:03 web sshd[4243]: Accepted publickey for deploy from 198.51.100.7 port 40000 ssh2

            """.write(toFile: dir + "/auth.log", atomically: true, encoding: .utf8)
        try """
            [database]
            sslmode = "disable"
            [intervals]
            heartbeat_secs = 1
            system_secs = 1
            watchdog_secs = 1
            [collector]
            hostname = "daemon-host"
            flush_interval_ms = 300
            state_dir = "\(dir)/state"
            processes = ["pqcrypta-collector", "no-such-process"]
            [plugins]
            files = ["\(bin)/libSystemMetrics.so", "\(bin)/libLogSources.so"]
            [logs]
            tick_secs = 1
            default_sources = false
            [[logs.sources]]
            name = "auth"
            path = "\(dir)/auth.log"
            parser = "syslog"
            """.write(toFile: dir + "/collector.toml", atomically: true, encoding: .utf8)
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: bin + "/pqcrypta-collector")
        daemon.arguments = ["run", "--config", dir + "/collector.toml"]
        var daemonEnv = env
        for key in daemonEnv.keys where key.hasPrefix("DB_") || key == "COLLECTOR_CONFIG" { daemonEnv[key] = nil }
        daemonEnv.merge(db.environment) { $1 }
        daemon.environment = daemonEnv
        daemon.standardOutput = FileHandle.nullDevice
        let stderr = Pipe()
        daemon.standardError = stderr
        try daemon.run()
        defer {
            if daemon.isRunning { kill(daemon.processIdentifier, SIGTERM) }
            daemon.waitUntilExit()
        }
        // Until the daemon has written system rows, log rows, tick statistics and stats.json.
        // Errors are retried: the daemon's start (ensure_partitions attaching partitions) may deadlock a reader once.
        var ready = false
        let rowsDeadline = Date().addingTimeInterval(30)
        while !ready && Date() < rowsDeadline {
            ready = (try? db.scalar("""
                SELECT (SELECT count(*) FROM collector.system_metrics_raw) > 1
                   AND (SELECT count(*) FROM collector.log_entries WHERE source = 'auth') = 3
                   AND (SELECT count(*) FROM collector.plugin_stats WHERE plugin = 'system_metrics') > 0
                """)) == "t"
            if !ready { usleep(300_000) }
        }
        XCTAssertTrue(ready, "the daemon wrote system rows, the three auth lines and its tick statistics")
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: dir + "/state/stats.json") && Date() < deadline { usleep(100_000) }

        var settings = ConsoleSettings()
        settings.port = 0
        settings.statsPath = dir + "/state/stats.json"
        settings.localHost = "daemon-host"
        settings.heartbeatSecs = 1
        let database = ConsoleDatabase(config: db.config, size: 2)
        defer { database.shutdown() }
        var logger = Logging.Logger(label: "daemon-test")
        logger.logLevel = .critical
        let box = PortBox()
        let app = ConsoleServer(database: database, settings: settings).makeApplication(logger: logger) { box.set($0) }
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { task.cancel() }
        let http = HTTPProbe(port: try box.wait())

        let fleet = try http.get("/")
        XCTAssertEqual(fleet.status, 200)
        XCTAssertTrue(fleet.body.contains("href=\"/host/daemon-host\""), fleet.body)
        let host = try http.get("/host/daemon-host?range=1h")
        XCTAssertEqual(host.status, 200)
        XCTAssertTrue(host.body.contains("<figcaption>CPU <span class=\"mute\">last "), "CPU chart from the daemon's raw rows")
        XCTAssertTrue(host.body.contains("no-such-process"), "watched processes listed")
        XCTAssertTrue(host.body.contains("system_metrics"), "ticks listed")
        let logs = try http.get("/logs?source=auth&from=2000-01-01T00:00")
        XCTAssertEqual(logs.status, 200)
        XCTAssertTrue(logs.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), logs.body)
        XCTAssertFalse(logs.body.contains("<script>alert"), "escaped")
        XCTAssertFalse(logs.body.contains("<img src=x"), "escaped")
        let health = try http.get("/health")
        XCTAssertTrue(health.body.contains("writer.rows_written"), "stats.json counters shown: \(health.body)")
        let metrics = try http.get("/metrics").body
        XCTAssertTrue(metrics.contains("pqc_tick_runs_total{host=\"daemon-host\",plugin=\"system_metrics\",tick=\"sys\"}"), metrics)
        XCTAssertTrue(metrics.contains("pqc_writer_rows_written_total{host=\"daemon-host\"}"), metrics)
        XCTAssertTrue(metrics.contains("pqc_log_rows_last_hour{host=\"daemon-host\",source=\"auth\"} "), metrics)
        XCTAssertTrue(metrics.contains("pqc_heartbeat_age_seconds{host=\"daemon-host\"}"), metrics)
    }
}
