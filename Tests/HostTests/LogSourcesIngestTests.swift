import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// The bundled LogSources plugin (libLogSources.so) driven by the host's
/// ingestion, on real logs: public samples, this machine's PostgreSQL log, and
/// a real journal file made by systemd-journal-remote.
final class LogSourcesIngestTests: XCTestCase {
    var db: TestDatabase!
    var dir = ""
    var parsers: [String: ParserRegistration] = [:]

    static var sharedLogs: String { TestSupport.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/logs").path }

    override func setUpWithError() throws {
        db = try TestDatabase.create()
        dir = try TestSupport.makeTempDir("logsrc")
        var config = CollectorConfig()
        config.plugins.files = [TestSupport.binDir + "/libLogSources.so"]
        let report = PluginLoader(services: HostServices.offline(config)).loadAll()
        let plugin = try XCTUnwrap(report.loaded.first, "libLogSources.so loads: \(report.refused)")
        for p in plugin.parsers { parsers[p.name] = p }
        _ = try Migrator(connection: try db.connect()).apply(EmbeddedMigrations.all)
    }

    override func tearDown() {
        db?.drop()
        _ = try? FileManager.default.removeItem(atPath: dir)
    }

    /// `multilineWaitMs` is 0 unless a test is about that wait: these tests read files they just wrote.
    private func ingester(_ sources: [LogSourceConfig], journal: String = "", backfill: Int = Int.max,
                          multilineWaitMs: Int = 0) -> LogIngester {
        var logs = LogsConfig()
        logs.multilineWaitMs = multilineWaitMs
        logs.sources = sources
        logs.initialBackfillBytes = backfill
        logs.journalDirectory = journal
        let lane = DatabaseLane(lane: .fast, config: db.config, statementTimeoutMs: 30_000)
        return LogIngester(config: logs, hostname: "h", parsers: parsers, lane: lane, stats: StatsRegistry())
    }

    func testRegistersTheSevenParsers() {
        XCTAssertEqual(Set(parsers.keys), ["postgresql", "journalctl", "syslog", "apache_error", "simple_timestamp", "fail2ban", "certbot"])
    }

    func testPublicSyslogSampleEveryLineOnce() throws {
        let path = Self.sharedLogs + "/loghub/Linux_2k.log"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("../shared/data/logs is absent: sample-based test skipped") }
        XCTAssertEqual(ingester([LogSourceConfig(name: "kernel", kind: .file, target: path, parser: "syslog")]).tick(), .ok)
        // The sample's last line has no newline: a tailer waits for it, as for any line still being written.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let complete = text.utf8.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        XCTAssertEqual(complete, 1999)
        let r = try db.connect().query("SELECT count(*), count(component), count(DISTINCT fingerprint) > 10, count(*) FILTER (WHERE context ? 'unparsed') FROM collector.log_entries")
        XCTAssertEqual(r.string(0, 0), String(complete))
        XCTAssertEqual(r.string(0, 1), String(complete))
        XCTAssertEqual(r.string(0, 2), "t")
        XCTAssertEqual(r.string(0, 3), "0")
        // Lines 539-540: "Jun 30 20:53:04 combo klogind[19272]: ..."
        let k = try db.connect().query("SELECT DISTINCT component, context->>'host' FROM collector.log_entries WHERE context->>'pid' = '19272'")
        XCTAssertEqual(k.rowCount, 1)
        XCTAssertEqual(k.string(0, 0), "klogind")
        XCTAssertEqual(k.string(0, 1), "combo")
    }

    func testThisMachinesPostgreSQLLogWithStatementContinuation() throws {
        guard let log = ProcessInfo.processInfo.environment["PQC_PG_LOG"] else { throw XCTSkip("no PQC_PG_LOG from scripts/test.sh") }
        // Make the server log an error with its STATEMENT line.
        let marker = "marker_\(UInt32.random(in: 0...UInt32.max))"
        XCTAssertThrowsError(try db.connect().query("SELECT 1/0 AS \(marker)"))
        usleep(300_000)
        // Start near the end of the (possibly long-lived) server log, as a first start does.
        XCTAssertEqual(ingester([LogSourceConfig(name: "postgresql", kind: .file, target: log, parser: "postgresql")], backfill: 256 << 10).tick(), .ok)
        let r = try db.connect().query("SELECT level, message, context->>'database', context->>'user' FROM collector.log_entries WHERE message LIKE '%division by zero%' AND message LIKE '%\(marker)%'")
        XCTAssertEqual(r.rowCount, 1, "one record: the ERROR with its STATEMENT attached")
        XCTAssertEqual(r.string(0, 0), "error")
        XCTAssertTrue(r.string(0, 1)?.contains("\nSTATEMENT:  SELECT 1/0 AS \(marker)") ?? false, r.string(0, 1) ?? "")
        XCTAssertEqual(r.string(0, 2), db.name)
        XCTAssertEqual(r.string(0, 3), "postgres")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.log_entries WHERE message LIKE 'STATEMENT:%\(marker)%'"), "0",
                       "no STATEMENT line stored on its own")
    }

    /// A multi-line record that ends a read while its file is still being written
    /// stays open until the writer has been quiet for `multiline_wait_ms`, so a
    /// continuation line written a moment later joins it, and nothing of it is
    /// committed (or its position passed) before it is complete.
    func testRecordEndingAFreshReadWaitsForItsContinuationLines() throws {
        let path = dir + "/postgresql.log"
        func append(_ text: String, ageSeconds: Int) throws {
            let f = try XCTUnwrap(fopen(path, "a"))
            fputs(text, f)
            fclose(f)
            let then = time(nil) - ageSeconds
            var times = [timeval(tv_sec: then, tv_usec: 0), timeval(tv_sec: then, tv_usec: 0)]
            XCTAssertEqual(utimes(path, &times), 0)
        }
        func rows() throws -> [String] {
            let r = try db.connect().query("SELECT message FROM collector.log_entries ORDER BY ts")
            return (0..<r.rowCount).compactMap { r.string($0, 0) }
        }
        let logs = ingester([LogSourceConfig(name: "postgresql", kind: .file, target: path, parser: "postgresql")],
                            multilineWaitMs: 1000)
        // An older multi-line record, long written: it is complete. The next record is fresh.
        try append("2026-11-25 10:00:00.000 UTC [10] u@d ERROR:  relation \"t\" does not exist\n2026-11-25 10:00:00.000 UTC [10] u@d STATEMENT:  SELECT * FROM t\n", ageSeconds: 60)
        XCTAssertEqual(logs.tick(), .ok)
        XCTAssertEqual(try rows().count, 1)
        try append("2026-11-25 10:00:01.000 UTC [11] u@d ERROR:  division by zero\n", ageSeconds: 0)
        XCTAssertEqual(logs.tick(), .ok)
        XCTAssertEqual(try rows().count, 1, "the fresh record is held open")
        let heldOffset = try db.scalar("SELECT byte_offset FROM collector.log_positions")
        try append("2026-11-25 10:00:01.000 UTC [11] u@d STATEMENT:  SELECT 1/0\n", ageSeconds: 0)
        XCTAssertEqual(logs.tick(), .ok)
        XCTAssertEqual(try db.scalar("SELECT byte_offset FROM collector.log_positions"), heldOffset,
                       "the committed position stays before the open record")
        // Quiet for longer than the wait: the record is complete, with its continuation.
        try append("", ageSeconds: 5)
        XCTAssertEqual(logs.tick(), .ok)
        XCTAssertEqual(try rows(), ["relation \"t\" does not exist\nSTATEMENT:  SELECT * FROM t", "division by zero\nSTATEMENT:  SELECT 1/0"])
        XCTAssertEqual(try db.scalar("SELECT byte_offset = \(FileSize.of(path)) FROM collector.log_positions"), "t")
    }

    /// Writes journal entries in export format and turns them into a real journal file.
    private func writeJournal(_ path: String, unit: String, messages: [String], priority: Int = 6) throws {
        let now = Int64(Date().timeIntervalSince1970 * 1e6)
        var export = ""
        for (i, m) in messages.enumerated() {
            export += "__REALTIME_TIMESTAMP=\(now + Int64(i))\n__MONOTONIC_TIMESTAMP=\(now + Int64(i))\n_BOOT_ID=0123456789abcdef0123456789abcdef\n"
            export += "_SYSTEMD_UNIT=\(unit)\nSYSLOG_IDENTIFIER=demo\nPRIORITY=\(priority)\nMESSAGE=\(m)\n\n"
        }
        try TestSupport.write(export, to: dir + "/export.txt")
        let r = try TestSupport.run("/lib/systemd/systemd-journal-remote", ["--output=\(path)", dir + "/export.txt"])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testRealJournalFileFirstRunTakesLast100ThenFollowsTheCursor() throws {
        let journal = dir + "/remote-demo.journal"
        try writeJournal(journal, unit: "demo.service", messages: (0..<150).map { "entry \($0)" })
        let ing = ingester([LogSourceConfig(name: "demo", kind: .journal, target: "demo.service", parser: "journalctl")], journal: journal)
        XCTAssertEqual(ing.tick(), .ok)
        XCTAssertEqual(try db.scalar("SELECT count(*) || ' ' || min(message) FROM collector.log_entries"), "100 entry 100")
        try writeJournal(journal, unit: "demo.service", messages: ["late one", "late two"], priority: 3)
        XCTAssertEqual(ing.tick(), .ok)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.log_entries"), "102")
        XCTAssertEqual(try db.scalar("SELECT string_agg(level, ',') FROM collector.log_entries WHERE message LIKE 'late%'"), "error,error")
        XCTAssertNotNil(try db.scalar("SELECT cursor FROM collector.log_positions WHERE source = 'demo'"))
        // A restart follows the committed cursor: nothing again.
        XCTAssertEqual(ingester([LogSourceConfig(name: "demo", kind: .journal, target: "demo.service", parser: "journalctl")], journal: journal).tick(), .ok)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.log_entries"), "102")
    }

    /// The same journal through an isolated journalctl parser (a real plugin runner):
    /// entries go to the runner in batches and come back as the same rows.
    func testRealJournalFileThroughAPluginRunner() throws {
        let journal = dir + "/remote-demo.journal"
        try writeJournal(journal, unit: "demo.service", messages: (0..<150).map { "entry \($0)" })
        var config = CollectorConfig()
        config.plugins.files = [TestSupport.binDir + "/libLogSources.so"]
        let plugin = try XCTUnwrap(PluginLoader(services: HostServices.offline(config)).loadAll().loaded.first)
        RunnerClient.executableOverride = TestSupport.collectorBinary
        defer { RunnerClient.executableOverride = nil }
        var settings = IsolationSettings()
        settings.isolate = true
        let client = RunnerClient(plugin: plugin, settings: settings, configPath: "/dev/null", stats: StatsRegistry(), lanes: [:])
        defer { client.stop() }
        var logs = LogsConfig()
        logs.sources = [LogSourceConfig(name: "demo", kind: .journal, target: "demo.service", parser: "journalctl")]
        logs.journalDirectory = journal
        let lane = DatabaseLane(lane: .fast, config: db.config, statementTimeoutMs: 30_000)
        let ing = LogIngester(config: logs, hostname: "h", parsers: parsers, lane: lane, stats: StatsRegistry(), runners: ["journalctl": client])
        XCTAssertEqual(ing.tick(), .ok)
        XCTAssertNotNil(client.pid, "the entries were parsed in the runner")
        XCTAssertEqual(try db.scalar("SELECT count(*) || ' ' || min(message) FROM collector.log_entries"), "100 entry 100")
        try writeJournal(journal, unit: "demo.service", messages: ["late one", "late two"], priority: 3)
        XCTAssertEqual(ing.tick(), .ok)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.log_entries"), "102")
        XCTAssertEqual(try db.scalar("SELECT string_agg(level, ',') FROM collector.log_entries WHERE message LIKE 'late%'"), "error,error")
    }

    func testHangingOrFailingJournalctlIsCountedNotFatal() throws {
        let stub = dir + "/journalctl-hang"
        try TestSupport.write("#!/bin/sh\nsleep 30\n", to: stub)
        chmod(stub, 0o755)
        let reader = JournalReader(unit: "x", location: "", timeoutMs: 300, maxLineBytes: 1024, executable: stub)
        let start = Date()
        XCTAssertThrowsError(try reader.read(after: nil) { _, _ in true }) { error in
            XCTAssertTrue("\(error)".contains("killed"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
        let failing = JournalReader(unit: "x", location: "/nonexistent-dir", timeoutMs: 5000, maxLineBytes: 1024)
        XCTAssertThrowsError(try failing.read(after: nil) { _, _ in true }) { error in
            XCTAssertTrue("\(error)".contains("exited with status"), "\(error)")
        }
    }
}
