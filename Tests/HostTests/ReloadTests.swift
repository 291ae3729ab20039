import Foundation
import CollectorTestSupport
import XCTest

/// SIGHUP: a bad configuration is rejected whole, a good one is applied live
/// where it can be, with one log line per change (issue 16).
final class ReloadTests: XCTestCase {
    private func waitFor(_ text: String, in path: String, timeout: TimeInterval = 15) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var log = ""
        while Date() < deadline {
            log = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if log.contains(text) { return log }
            usleep(100_000)
        }
        XCTFail("no '\(text)' in the log within \(timeout) s:\n\(log)")
        return log
    }

    func testReloadRejectsABadConfigAndAppliesAGoodOne() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let dir = try TestSupport.makeTempDir("reload")
        let plugins = dir + "/plugins"
        mkdir(plugins, 0o755)
        let copy = try TestSupport.run("/usr/bin/install", ["-m", "0644", TestSupport.binDir + "/libLogSources.so", plugins + "/"])
        XCTAssertEqual(copy.status, 0, copy.stderr)
        try TestSupport.write("", to: dir + "/a.log")
        try TestSupport.write("", to: dir + "/b.log")
        func config(_ extra: String, sources: String) -> String {
            """
            [collector]
            flush_interval_ms = 300
            state_dir = "\(dir)/state"
            [plugins]
            dir = "\(plugins)"
            [logs]
            default_sources = false
            tick_secs = 1
            \(extra)
            [[logs.sources]]
            name = "a"
            path = "\(dir)/a.log"
            parser = "syslog"
            \(sources)
            """
        }
        try TestSupport.write(config("", sources: ""), to: dir + "/collector.toml")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestSupport.collectorBinary)
        p.arguments = ["run", "--config", dir + "/collector.toml"]
        var env = ProcessInfo.processInfo.environment
        env.merge(db.environment) { $1 }
        env["LOG_LEVEL"] = nil
        env["RUST_LOG"] = nil
        p.environment = env
        FileManager.default.createFile(atPath: dir + "/daemon.log", contents: nil)
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/daemon.log"))
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { _ = DaemonTests.terminate(p) } }
        let logPath = dir + "/daemon.log"
        _ = waitFor("log ingestion: 1 source(s): a", in: logPath)

        // A source whose parser no plugin provides: rejected whole, the daemon goes on.
        try TestSupport.write(config("", sources: "[[logs.sources]]\nname = \"b\"\npath = \"\(dir)/b.log\"\nparser = \"hello\"\n"),
                              to: dir + "/collector.toml")
        kill(p.processIdentifier, SIGHUP)
        var log = waitFor("reload rejected", in: logPath)
        XCTAssertTrue(log.contains("logs.sources[1].parser"), log)
        XCTAssertTrue(p.isRunning)

        // The plugin that provides it dropped in, an interval, the log level and a key read only at start.
        try TestSupport.compilePlugin(TestSupport.examplePluginSource, to: plugins + "/hello_parser.so")
        try TestSupport.write(config("", sources: """
            [[logs.sources]]
            name = "b"
            path = "\(dir)/b.log"
            parser = "hello"
            [intervals]
            system_secs = 7
            [retention]
            raw_days = 3
            [plugin.hello_parser]
            isolate = false
            """) , to: dir + "/collector.toml")
        kill(p.processIdentifier, SIGHUP)
        log = waitFor("log ingestion: 2 source(s)", in: logPath)
        XCTAssertTrue(log.contains("reload: plugin hello_parser 1.0.0 loaded from \(plugins)/hello_parser.so: applied"), log)
        XCTAssertTrue(log.contains("reload: log source b added (file \(dir)/b.log, parser hello): applied"), log)
        XCTAssertTrue(log.contains("reload: intervals.system_secs 10 -> 7: applied"), log)
        XCTAssertTrue(log.contains("reload: retention.raw_days 14 -> 3: needs a restart"), log)
        XCTAssertTrue(log.contains("reload: plugin.hello_parser.isolate (unset) -> false: applied"), "read by the plugin loaded now: \(log)")

        // The new source reads into the database through the new plugin's parser.
        try TestSupport.write("2026-11-25 10:00:00 ERROR [worker-3] disk almost full\n", to: dir + "/b.log")
        try db.waitUntil("SELECT count(*) = 1 FROM collector.log_entries WHERE source = 'b' AND component = 'worker-3'",
                         "the new source's row")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.schema_migrations WHERE name = 'hello_parser/001_hello_counts'"), "1",
                       "the new plugin's migration ran at reload")

        // Again: what was applied is not reported again, what needs a restart still is.
        kill(p.processIdentifier, SIGHUP)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, log.components(separatedBy: "retention.raw_days 14 -> 3: needs a restart").count < 3 {
            usleep(100_000)
            log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        }
        XCTAssertEqual(log.components(separatedBy: "retention.raw_days 14 -> 3: needs a restart").count, 3, log)
        XCTAssertEqual(log.components(separatedBy: "intervals.system_secs 10 -> 7: applied").count, 2, log)
        XCTAssertEqual(DaemonTests.terminate(p) < 10, true)
        XCTAssertEqual(p.terminationStatus, 0, log)
    }
}
