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
        func config(extra: String = "", plugin: String = "") -> String {
            let files = ["libSystemMetrics.so", "libLogSources.so"].map { "\"\(TestSupport.binDir)/\($0)\"" } + ["\"\(badPlugin)\""]
            return """
                [intervals]
                heartbeat_secs = 1
                system_secs = 1
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
                [[logs.sources]]
                name = "bad"
                path = "\(badLog)"
                parser = "bad"
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
}
