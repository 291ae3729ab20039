import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// Issue 12: a misbehaving plugin (built here with one `cc` command from
/// Fixtures/plugins/bad.c) never stalls the daemon nor loses or duplicates lines.
/// Each test runs the real daemon against the real database with the bundled
/// SystemMetrics and LogSources plugins loaded and a second, healthy log source
/// written while the bad plugin misbehaves.
final class IsolationTests: XCTestCase {
    /// A scratch directory with the bad plugin built with `defines`, a healthy
    /// syslog file `good.log` and the bad source's file `bad.log`.
    struct Setup {
        let dir: String
        let badPlugin: String
        var goodLog: String { dir + "/good.log" }
        var badLog: String { dir + "/bad.log" }

        init(_ label: String, defines: [String]) throws {
            dir = try TestSupport.makeTempDir(label)
            let plugins = dir + "/plugins"
            mkdir(plugins, 0o755)
            badPlugin = try TestSupport.compilePlugin(TestSupport.fixturePlugin("bad.c"), to: plugins + "/bad.so", defines: defines)
        }

        /// The daemon's config: bundled plugins plus the bad one, both sources, short intervals.
        func config(extra: String = "", plugin: String = "", badSource: Bool = true) -> String {
            let files = ["libSystemMetrics.so", "libLogSources.so"].map { "\"\(TestSupport.binDir)/\($0)\"" } + ["\"\(badPlugin)\""]
            return """
                [intervals]
                heartbeat_secs = 1
                system_secs = 1
                watchdog_secs = 1
                [collector]
                flush_interval_ms = 200
                state_dir = "\(dir)/state"
                tick_stuck_min_secs = 2
                shutdown_timeout_secs = 3
                \(extra)
                [plugins]
                files = [\(files.joined(separator: ", "))]
                [plugin.bad]
                \(plugin)
                [logs]
                tick_secs = 1
                default_sources = false
                initial_backfill_bytes = 1000000000
                [[logs.sources]]
                name = "good"
                path = "\(goodLog)"
                parser = "syslog"
                \(badSource ? "[[logs.sources]]\nname = \"bad\"\npath = \"\(badLog)\"\nparser = \"bad\"" : "")
                """
        }

        /// Appends syslog lines `range` to the healthy source.
        func writeGood(_ range: Range<Int>) throws {
            var text = ""
            for i in range { text += "Nov 28 10:00:00 testhost app[42]: good line \(i)\n" }
            let f = fopen(goodLog, "a")
            defer { fclose(f) }
            fputs(text, f)
        }

        /// The bad source: `count` lines, the one at index `poison` carrying the marker.
        /// Returns the byte offset where each line starts.
        @discardableResult
        func writeBad(count: Int, poison: Int) throws -> [Int] {
            var text = "", starts: [Int] = []
            for i in 0..<count {
                starts.append(text.utf8.count)
                text += i == poison ? "bad line \(i) POISON\n" : "bad line \(i)\n"
            }
            try TestSupport.write(text, to: badLog)
            return starts
        }
    }

    private func count(_ db: TestDatabase, _ sql: String) -> Int { Int((try? db.scalar(sql)) ?? nil ?? "0") ?? 0 }

    private func waitFor(_ what: String, timeout: TimeInterval, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() && Date() < deadline { usleep(100_000) }
        XCTAssertTrue(condition(), "timed out waiting for \(what)")
    }

    /// Heartbeat gaps in seconds, in time order.
    private func heartbeatGaps(_ db: TestDatabase) throws -> [Double] {
        let beats = try db.connect().query("SELECT extract(epoch FROM ts)::float8 FROM collector.heartbeat ORDER BY ts")
        let times = (0..<beats.rowCount).compactMap { beats.string($0, 0).flatMap(Double.init) }
        return zip(times.dropFirst(), times).map { $0 - $1 }
    }

    /// The healthy source holds every line written to it exactly once.
    private func assertGoodExactlyOnce(_ db: TestDatabase, _ total: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try db.connect().query("SELECT count(*), count(DISTINCT message) FROM collector.log_entries WHERE source = 'good'")
        XCTAssertEqual(r.string(0, 0), String(total), "good source rows", file: file, line: line)
        XCTAssertEqual(r.string(0, 1), String(total), "good source distinct rows", file: file, line: line)
    }

    /// In process (isolate = false), a parser that never returns: only its own
    /// source stops; the heartbeat, metric ticks and the other source go on; an
    /// ALERT tick_stuck names the tick; SIGTERM exits within shutdown_timeout_secs
    /// after committing the lines parsed before the stuck one.
    func testInProcessHangingParserStallsOnlyItsSourceAndShutdownFlushesWithinTheTimeout() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let setup = try Setup("iso-hang", defines: ["PARSE_HANG"])
        let starts = try setup.writeBad(count: 300, poison: 200)
        try setup.writeGood(0..<500)
        let (p, err) = try DaemonTests.start(config: setup.config(plugin: "isolate = false"), dir: setup.dir, db: db)
        waitFor("the first good lines", timeout: 20) { count(db, "SELECT count(*) FROM collector.log_entries WHERE source = 'good'") == 500 }
        try setup.writeGood(500..<1000)
        waitFor("the tick_stuck alert", timeout: 15) {
            count(db, "SELECT count(*) FROM collector.alerts WHERE type = 'tick_stuck' AND target = 'host/log:bad' AND status = 'open'") == 1
        }
        waitFor("the later good lines", timeout: 10) { count(db, "SELECT count(*) FROM collector.log_entries WHERE source = 'good'") == 1000 }
        XCTAssertEqual(count(db, "SELECT count(*) FROM collector.log_entries WHERE source = 'bad'"), 0, "nothing of the stuck batch is committed yet")
        usleep(2_000_000)  // a few more heartbeats and metric ticks while it stays stuck
        let took = DaemonTests.terminate(p)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, log)
        XCTAssertLessThan(took, 4, "shutdown_timeout_secs = 3 bounds the stop: \(log)")
        XCTAssertTrue(log.contains("tick host/log:bad stuck"), log)
        XCTAssertTrue(log.contains("tick host/log:bad (plugin bad) did not stop within the shutdown timeout"), log)

        // Lines 0..<199 are committed; line 199's record was still open (the next
        // line could have continued it), so the position is the start of line 199.
        let bad = try db.connect().query("SELECT count(*), count(DISTINCT message), max(message) FILTER (WHERE message = 'bad line 198') FROM collector.log_entries WHERE source = 'bad'")
        XCTAssertEqual(bad.string(0, 0), "199", log)
        XCTAssertEqual(bad.string(0, 1), "199")
        XCTAssertEqual(bad.string(0, 2), "bad line 198")
        XCTAssertEqual(try db.scalar("SELECT byte_offset FROM collector.log_positions WHERE source = 'bad'"), String(starts[199]))
        try assertGoodExactlyOnce(db, 1000)
        let gaps = try heartbeatGaps(db)
        XCTAssertGreaterThanOrEqual(gaps.count, 4)
        XCTAssertTrue(gaps.allSatisfy { $0 < 1.6 }, "heartbeat keeps its 1 s schedule while the parser is stuck: \(gaps)")
        XCTAssertGreaterThan(count(db, "SELECT count(*) FROM collector.system_metrics_raw"), 3, "metric ticks keep running")
    }

    // MARK: out of process

    /// The bad source's rows: every line once, the poison line once with its marker.
    private func assertBadSourceComplete(_ db: TestDatabase, lines: Int, poison: Int?, marker: String?, _ log: String,
                                         file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try db.connect().query("SELECT count(*), count(DISTINCT message) FROM collector.log_entries WHERE source = 'bad'")
        XCTAssertEqual(r.string(0, 0), String(lines), "bad source rows\n\(log)", file: file, line: line)
        XCTAssertEqual(r.string(0, 1), String(lines), "bad source distinct rows", file: file, line: line)
        if let poison, let marker {
            let p = try db.connect().query("SELECT count(*), min(context->>'parser_failed'), bool_and((context->>'unparsed')::bool) FROM collector.log_entries WHERE source = 'bad' AND message = 'bad line \(poison) POISON'")
            XCTAssertEqual(p.string(0, 0), "1", "the poison line is stored once", file: file, line: line)
            XCTAssertEqual(p.string(0, 1), marker, file: file, line: line)
            XCTAssertEqual(p.string(0, 2), "t", file: file, line: line)
            XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.log_entries WHERE source = 'bad' AND context ? 'parser_failed'"), "1",
                           "no other line is marked", file: file, line: line)
        }
    }

    /// `DaemonTests.start`, with the daemon's stderr in `dir/daemon.log` (a pipe
    /// nobody reads until the end would fill up and block the daemon's logging).
    static func startLoggingToFile(config: String, dir: String, db: TestDatabase) throws -> Process {
        try TestSupport.write(config, to: dir + "/collector.toml")
        FileManager.default.createFile(atPath: dir + "/daemon.log", contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestSupport.collectorBinary)
        p.arguments = ["run", "--config", dir + "/collector.toml"]
        var env = ProcessInfo.processInfo.environment
        env.merge(db.environment) { $1 }
        env["LOG_LEVEL"] = "info"
        p.environment = env
        p.standardError = FileHandle(forWritingAtPath: dir + "/daemon.log")
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// The pid of the daemon's plugin runner, from /proc.
    static func runnerPid(of daemon: Int32) -> Int32? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for entry in entries {
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == daemon else { continue }
            let cmdline = (try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8)) ?? ""
            if cmdline.contains("plugin-runner") { return pid }
        }
        return nil
    }

    /// Runs the daemon with the bad plugin isolated (its default: not bundled) until
    /// `done`, while the good source gets a second wave; stops it and returns its log.
    private func runIsolated(_ setup: Setup, db: TestDatabase, plugin: String = "", extra: String = "", goodLines: Int = 1000,
                             during: (Int32) throws -> Void = { _ in }, until done: () -> Bool, timeout: TimeInterval = 30) throws -> String {
        try setup.writeGood(0..<(goodLines / 2))
        let p = try Self.startLoggingToFile(config: setup.config(extra: extra, plugin: plugin), dir: setup.dir, db: db)
        usleep(1_500_000)
        try setup.writeGood((goodLines / 2)..<goodLines)
        try during(p.processIdentifier)
        waitFor("the isolated plugin's work", timeout: timeout, done)
        waitFor("the good source", timeout: 10) { count(db, "SELECT count(*) FROM collector.log_entries WHERE source = 'good'") >= goodLines }
        usleep(1_500_000)  // one more tick of each: nothing may be added twice
        let took = DaemonTests.terminate(p)
        let log = (try? String(contentsOfFile: setup.dir + "/daemon.log", encoding: .utf8)) ?? ""
        XCTAssertEqual(p.terminationStatus, 0, log)
        XCTAssertLessThan(took, 11, log)
        XCTAssertNil(Self.runnerPid(of: p.processIdentifier), "no runner outlives the daemon")
        try assertGoodExactlyOnce(db, goodLines)
        let gaps = try heartbeatGaps(db)
        XCTAssertGreaterThanOrEqual(gaps.count, 4, log)
        XCTAssertTrue(gaps.allSatisfy { $0 < 1.6 }, "heartbeat keeps its 1 s schedule: \(gaps)")
        return log
    }

    func testIsolatedParserCrashingOnOneLineStoresItRawOnceAndEveryOtherLineExactlyOnce() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let setup = try Setup("iso-crash", defines: ["PARSE_CRASH"])
        let starts = try setup.writeBad(count: 1000, poison: 500)
        let log = try runIsolated(setup, db: db, until: {
            count(db, "SELECT count(*) FROM collector.log_entries WHERE source = 'bad'") >= 1000
        })
        try assertBadSourceComplete(db, lines: 1000, poison: 500, marker: "crash", log)
        XCTAssertTrue(log.contains("parser 'bad' of plugin bad failed (crash) on the line at byte offset \(starts[500]) of \(setup.badLog) (failure 1"), log)
        XCTAssertTrue(log.contains("killed by signal 11"), log)
        XCTAssertTrue(log.contains("plugin bad runs isolated: runner pid"), log)
        let stats = try String(contentsOfFile: setup.dir + "/state/stats.json", encoding: .utf8)
        XCTAssertTrue(stats.contains("\"runner.crashes\": 2") || stats.contains("\"runner.crashes\":2"), stats)
        XCTAssertTrue(stats.contains("logs.parser_failed_lines"), stats)
    }

    func testIsolatedParserHangingOnOneLineIsKilledAtItsDeadlineAndTheLineStoredRaw() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let setup = try Setup("iso-hang", defines: ["PARSE_HANG"])
        let starts = try setup.writeBad(count: 1000, poison: 700)
        let log = try runIsolated(setup, db: db, plugin: "parse_timeout_ms = 500", until: {
            count(db, "SELECT count(*) FROM collector.log_entries WHERE source = 'bad'") >= 1000
        })
        try assertBadSourceComplete(db, lines: 1000, poison: 700, marker: "timeout", log)
        XCTAssertTrue(log.contains("failed (timeout) on the line at byte offset \(starts[700])"), log)
        XCTAssertTrue(log.contains("runner missed its 500 ms deadline parsing source bad"), log)
    }

    func testIsolatedTickCallingAbortNeverTakesTheDaemonDown() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let setup = try Setup("iso-abort", defines: ["TICK_ABORT", "TICK_MS=300"])
        try setup.writeBad(count: 200, poison: -1)
        let log = try runIsolated(setup, db: db, until: {
            // The runner is restarted after each abort (backoff 0.5 s, 1 s, 2 s …).
            count(db, "SELECT count(*) FROM collector.heartbeat") >= 6
        })
        let crashes = log.components(separatedBy: "runner died running tick bad/work").count - 1
        XCTAssertGreaterThanOrEqual(crashes, 2, log)
        XCTAssertTrue(log.contains("(Aborted)"), log)
        let r = try db.connect().query("SELECT count(*), count(DISTINCT message) FROM collector.log_entries WHERE source = 'bad'")
        XCTAssertEqual(r.string(0, 0), r.string(0, 1), "the plugin's parser, in the same runner, duplicates nothing")
    }

    /// An isolated plugin's init() runs in its runner only: crashing there refuses
    /// the plugin with one line, and the daemon runs on without it.
    func testIsolatedPluginCrashingInInitIsRefusedAndTheDaemonRunsOn() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let setup = try Setup("iso-init", defines: ["INIT_CRASH"])
        try setup.writeGood(0..<500)
        let p = try Self.startLoggingToFile(config: setup.config(badSource: false), dir: setup.dir, db: db)
        waitFor("the good lines", timeout: 20) { count(db, "SELECT count(*) FROM collector.log_entries WHERE source = 'good'") >= 500 }
        waitFor("heartbeats", timeout: 10) { count(db, "SELECT count(*) FROM collector.heartbeat") >= 3 }
        _ = DaemonTests.terminate(p)
        let log = (try? String(contentsOfFile: setup.dir + "/daemon.log", encoding: .utf8)) ?? ""
        XCTAssertEqual(p.terminationStatus, 0, log)
        XCTAssertTrue(log.contains("refused plugin \(setup.badPlugin): runner of plugin bad did not start (killed by signal 11"), log)
        try assertGoodExactlyOnce(db, 500)
    }

    func testIsolatedTickThatNeverReturnsIsKilledAtItsDeadline() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let setup = try Setup("iso-tickhang", defines: ["TICK_HANG", "TICK_MS=300"])
        try setup.writeBad(count: 300, poison: -1)
        let log = try runIsolated(setup, db: db, plugin: "tick_timeout_ms = 400", until: {
            count(db, "SELECT count(*) FROM collector.heartbeat") >= 6
        })
        XCTAssertTrue(log.contains("runner missed its 400 ms deadline running tick bad/work"), log)
        let r = try db.connect().query("SELECT count(*), count(DISTINCT message) FROM collector.log_entries WHERE source = 'bad'")
        XCTAssertEqual(r.string(0, 0), r.string(0, 1), "the plugin's parser, in the same runner, duplicates nothing")
    }

    func testIsolatedRunnerLeakingMemoryIsKilledAboveMaxRSS() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let setup = try Setup("iso-leak", defines: ["TICK_LEAK", "TICK_MS=200"])
        try setup.writeBad(count: 100, poison: -1)
        var killed = false
        let log = try runIsolated(setup, db: db, plugin: "max_rss_mb = 64", until: {
            killed = killed || count(db, "SELECT count(*) FROM collector.heartbeat") >= 8
            return killed
        })
        XCTAssertTrue(log.contains("is above max_rss_mb (64 MB); killing it"), log)
        XCTAssertTrue(log.contains("killed: resident memory above max_rss_mb = 64"), log)
    }

    func testIsolatedRunnerOutputIsCapturedRateLimited() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let setup = try Setup("iso-spam", defines: ["TICK_SPAM", "TICK_MS=200"])
        try setup.writeBad(count: 100, poison: -1)
        let log = try runIsolated(setup, db: db, until: { count(db, "SELECT count(*) FROM collector.heartbeat") >= 5 })
        let captured = log.split(separator: "\n").filter { $0.contains("runner output: spam to") }
        XCTAssertGreaterThan(captured.count, 0, log)
        XCTAssertLessThanOrEqual(captured.count, 2 * 20, "at most 20 lines per 10 s reach the log")
        XCTAssertTrue(log.contains("line(s) suppressed"), log)
        try assertBadSourceComplete(db, lines: 100, poison: nil, marker: nil, log)
    }

    func testRunnerKilledFromOutsideLosesAndDuplicatesNothing() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let setup = try Setup("iso-kill", defines: [])
        try setup.writeBad(count: 2000, poison: -1)
        var kills = 0
        let log = try runIsolated(setup, db: db, during: { daemon in
            for wave in 1...2 {
                waitFor("the runner", timeout: 10) { Self.runnerPid(of: daemon) != nil }
                if let pid = Self.runnerPid(of: daemon) { kill(pid, SIGKILL); kills += 1 }
                // More lines while it is down.
                var text = ""
                for i in (wave * 2000)..<(wave * 2000 + 2000) { text += "bad line \(i)\n" }
                let f = fopen(setup.badLog, "a")
                fputs(text, f)
                fclose(f)
                usleep(1_200_000)
            }
        }, until: { count(db, "SELECT count(*) FROM collector.log_entries WHERE source = 'bad'") >= 6000 })
        XCTAssertEqual(kills, 2)
        try assertBadSourceComplete(db, lines: 6000, poison: nil, marker: nil, log)
    }

    // MARK: crash-loop protection

    /// An in-process plugin (isolate = false, as the bundled ones) whose tick calls
    /// abort(): the daemon dies on its first two starts, the third starts the plugin
    /// isolated with an error line and an ALERT, and survives; the healthy source
    /// holds every line exactly once across the crashes.
    func testPluginThatCrashedTheDaemonTwiceIsStartedIsolated() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let setup = try Setup("iso-loop", defines: ["TICK_ABORT", "TICK_MS=1500"])
        try setup.writeBad(count: 100, poison: -1)
        try setup.writeGood(0..<300)
        let config = setup.config(plugin: "isolate = false")
        for start in 1...2 {
            let p = try Self.startLoggingToFile(config: config, dir: setup.dir, db: db)
            let deadline = Date().addingTimeInterval(20)
            while p.isRunning && Date() < deadline { usleep(50_000) }
            XCTAssertFalse(p.isRunning, "start \(start): the in-process abort() kills the daemon")
            if p.isRunning { _ = DaemonTests.terminate(p) }
            XCTAssertEqual(p.terminationReason, .uncaughtSignal, "start \(start)")
            try setup.writeGood((start * 300)..<(start * 300 + 300))
        }
        let state = try String(contentsOfFile: setup.dir + "/state/crash-guard.state", encoding: .utf8)
        XCTAssertEqual(state, "bad 1\n", "after the first crash: one start in a row (the second is counted at the next start)")
        let p = try Self.startLoggingToFile(config: config, dir: setup.dir, db: db)
        waitFor("the crash-loop alert", timeout: 20) {
            count(db, "SELECT count(*) FROM collector.alerts WHERE type = 'plugin_crash_loop' AND target = 'bad' AND status = 'open'") == 1
        }
        waitFor("the good lines", timeout: 20) { count(db, "SELECT count(*) FROM collector.log_entries WHERE source = 'good'") >= 900 }
        usleep(3_500_000)  // the tick aborts its runner now, not the daemon
        XCTAssertTrue(p.isRunning, "the third start survives")
        _ = DaemonTests.terminate(p)
        let log = (try? String(contentsOfFile: setup.dir + "/daemon.log", encoding: .utf8)) ?? ""
        XCTAssertEqual(p.terminationStatus, 0, log)
        XCTAssertTrue(log.contains("plugin bad crashed the daemon on its last 2 starts; starting it isolated"), log)
        XCTAssertTrue(log.contains("the previous run died of a fatal signal inside plugin bad"), log)
        XCTAssertTrue(log.contains("runner died running tick bad/work"), log)
        try assertGoodExactlyOnce(db, 900)
        let bad = try db.connect().query("SELECT count(*), count(DISTINCT message) FROM collector.log_entries WHERE source = 'bad'")
        XCTAssertEqual(bad.string(0, 0), bad.string(0, 1), "no duplicates across the crashes")
    }

    // MARK: configuration

    func testIsolationDefaultsAndKeys() throws {
        let empty = ConfigNode.table([:])
        XCTAssertFalse(try IsolationSettings.resolve(plugin: "log_sources", section: empty, isolateAll: false).isolate, "bundled: in process")
        XCTAssertTrue(try IsolationSettings.resolve(plugin: "hello_parser", section: empty, isolateAll: false).isolate, "third party: isolated")
        XCTAssertTrue(try IsolationSettings.resolve(plugin: "log_sources", section: empty, isolateAll: true).isolate)
        let section = ConfigNode.table(["isolate": .bool(false), "parse_timeout_ms": .int(250), "tick_timeout_ms": .int(900), "max_rss_mb": .int(64)])
        let s = try IsolationSettings.resolve(plugin: "hello_parser", section: section, isolateAll: false)
        XCTAssertFalse(s.isolate)
        XCTAssertEqual(s.parseTimeoutMs, 250)
        XCTAssertEqual(s.tickTimeoutMs, 900)
        XCTAssertEqual(s.maxRSSMB, 64)
        XCTAssertThrowsError(try IsolationSettings.resolve(plugin: "x", section: .table(["isolate": .string("yes")]), isolateAll: false)) {
            XCTAssertEqual(($0 as? ConfigError)?.key, "plugin.x.isolate")
        }
        XCTAssertThrowsError(try IsolationSettings.resolve(plugin: "x", section: .table(["parse_timeout_ms": .int(1)]), isolateAll: false)) {
            XCTAssertEqual(($0 as? ConfigError)?.key, "plugin.x.parse_timeout_ms")
        }
        let c = try ConfigLoader.load(toml: "[plugins]\nisolate_all = true\n[collector]\nshutdown_timeout_secs = 4\ntick_stuck_factor = 5\n", environment: [:]).config
        XCTAssertTrue(c.plugins.isolateAll)
        XCTAssertEqual(c.collector.shutdownTimeoutSecs, 4)
        XCTAssertEqual(c.collector.tickStuckFactor, 5)
        XCTAssertEqual(c.collector.tickStuckMinSecs, 30)
        XCTAssertThrowsError(try ConfigLoader.load(toml: "[collector]\ntick_stuck_factor = 1\n", environment: [:]))
    }

    /// Runner backoff: 0.5 s doubling to a 60 s cap.
    func testRunnerBackoff() {
        XCTAssertEqual((1...9).map { RunnerClient.backoffMs($0) }, [500, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000])
    }

    /// `[plugins] isolate_all`: the five bundled plugins in runners. Their ticks'
    /// SQL goes through the daemon (PGStats queries the server), their rows and the
    /// analyzer's run come back over the socket, the syslog parser runs remotely.
    func testIsolateAllRunsTheBundledPluginsInRunners() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let dir = try TestSupport.makeTempDir("iso-all")
        let files = ["libSystemMetrics.so", "libLogSources.so", "libPGStats.so", "libAppMetrics.so", "libIntelligence.so"]
            .map { "\"\(TestSupport.binDir)/\($0)\"" }
        let setup = try Setup("iso-all-logs", defines: [])
        try setup.writeGood(0..<2000)
        let p = try Self.startLoggingToFile(config: """
            [intervals]
            heartbeat_secs = 1
            system_secs = 1
            app_secs = 1
            intel_secs = 2
            [collector]
            flush_interval_ms = 200
            state_dir = "\(dir)/state"
            [plugins]
            files = [\(files.joined(separator: ", "))]
            isolate_all = true
            [logs]
            tick_secs = 1
            default_sources = false
            initial_backfill_bytes = 1000000000
            [[logs.sources]]
            name = "good"
            path = "\(setup.goodLog)"
            parser = "syslog"
            """, dir: dir, db: db)
        waitFor("rows of every kind", timeout: 30) {
            count(db, "SELECT count(*) FROM collector.system_metrics_raw") >= 2 && count(db, "SELECT count(*) FROM collector.db_metrics_raw") >= 2
                && count(db, "SELECT count(*) FROM collector.log_entries WHERE source = 'good'") >= 2000
        }
        usleep(2_500_000)
        _ = DaemonTests.terminate(p)
        let log = (try? String(contentsOfFile: dir + "/daemon.log", encoding: .utf8)) ?? ""
        XCTAssertEqual(p.terminationStatus, 0, log)
        for plugin in ["system_metrics", "log_sources", "pg_stats", "app_metrics", "intelligence"] {
            XCTAssertTrue(log.contains("plugin \(plugin) runs isolated: runner pid"), "\(plugin) started its runner\n\(log)")
        }
        XCTAssertFalse(log.contains("runner died"), log)
        XCTAssertFalse(log.contains("missed its"), log)
        XCTAssertFalse(log.contains("refused at emit"), "every bundled target fits its table: \(log)")
        XCTAssertFalse(log.contains("rejected"), "no batch rejected at flush: \(log)")
        try assertGoodExactlyOnce(db, 2000)
        let stats = try String(contentsOfFile: dir + "/state/stats.json", encoding: .utf8)
        let parsed = try JSONSerialization.jsonObject(with: Data(stats.utf8)) as? [String: Any]
        let ticks = parsed?["ticks"] as? [String: Any]
        let anomaly = ticks?["intelligence/anomaly"] as? [String: Any]
        XCTAssertGreaterThanOrEqual(anomaly?["runs"] as? Int ?? 0, 1, "the analyzer ran in its runner: \(stats)")
        let app = ticks?["pg_stats/app"] as? [String: Any]
        XCTAssertEqual(app?["failures"] as? Int, 0, "PGStats' SQL through the daemon: \(stats)")
    }
}
