import XCTest
@testable import PGStatsCore
import PluginKit

/// Tick behaviour a real server cannot easily show: restarts, servers changing
/// version under a connection, failures of single tiers.
final class TickLogicTests: XCTestCase {
    let server = FakeServer()
    let sink = RecordingSink()
    let log = LogRecorder()
    let clock = ManualClock()

    private func appTick() -> AppTick { AppTick(environment: .fake(server, sink, log, clock)) }

    private func extendedTick(top: Int = 20) -> ExtendedTick {
        var configuration = PGStatsConfiguration()
        configuration.topStatements = top
        return ExtendedTick(environment: .fake(server, sink, log, clock), configuration: configuration)
    }

    private var lastDatabaseRow: [String: RowValue] { sink.rows(in: StatsTables.database).last ?? [:] }

    func testServerRestartRePrimesRatesEvenThoughCountersGrew() {
        let tick = appTick()
        XCTAssertEqual(tick.run(), .ok)
        XCTAssertEqual(lastDatabaseRow["xact_commit_per_sec"], .null, "priming sample")
        server.grow(50)
        clock.advance(seconds: 10)
        XCTAssertEqual(tick.run(), .ok)
        XCTAssertEqual(lastDatabaseRow["xact_commit_per_sec"], .double(5))
        XCTAssertEqual(lastDatabaseRow["deadlocks_delta"], .int(50))
        XCTAssertEqual(lastDatabaseRow["cache_hit_ratio"], .double(0.5))

        // Restarted and busy since: counters are higher than before, but they count from zero again.
        server.serverStartedAt += 60_000_000
        server.backendPID = 200
        server.grow(5000)
        clock.advance(seconds: 10)
        XCTAssertEqual(tick.run(), .ok)
        for column in ["xact_commit_per_sec", "deadlocks_delta", "cache_hit_ratio", "checkpoints_timed_delta", "wal_bytes_delta"] {
            XCTAssertEqual(lastDatabaseRow[column], .null, "\(column) re-primes after a restart")
        }
        server.grow(20)
        clock.advance(seconds: 10)
        XCTAssertEqual(tick.run(), .ok)
        XCTAssertEqual(lastDatabaseRow["xact_commit_per_sec"], .double(2))
    }

    func testCountersThatWentDownWithoutANewResetTimeGiveNoNegativeValue() {
        let tick = appTick()
        _ = tick.run()
        server.grow(-900)   // e.g. pg_stat_reset() on a server that left stats_reset alone
        clock.advance(seconds: 10)
        XCTAssertEqual(tick.run(), .ok)
        XCTAssertEqual(lastDatabaseRow["xact_commit_per_sec"], .null)
        XCTAssertEqual(lastDatabaseRow["deadlocks_delta"], .null)
        XCTAssertEqual(lastDatabaseRow["xact_commit"], .int(100), "counters themselves are stored as read")
    }

    func testServerVersionIsDetectedOncePerConnection() {
        let tick = appTick()
        for _ in 0..<3 { XCTAssertEqual(tick.run(), .ok) }
        XCTAssertEqual(server.factProbes, 1)
        server.backendPID = 101   // the lane reconnected
        XCTAssertEqual(tick.run(), .ok)
        XCTAssertEqual(server.factProbes, 2)
        XCTAssertEqual(lastDatabaseRow["server_version_num"], .int(150000))
    }

    func testUndefinedColumnReDetectsTheVersionAndUsesTheNewSQL() {
        server.version = 160000
        let tick = appTick()
        XCTAssertEqual(tick.run(), .ok)
        XCTAssertTrue(server.statements.contains { $0.contains("checkpoint_write_time AS checkpoint_write_time_ms") }, "the 16 statement")
        // Same connection identity, but the server now answers like 17: the old column is gone.
        server.version = 170000
        server.failures["buffers_backend, buffers_backend_fsync"] =
            QueryError.classify(connectionLost: false, message: "SQLSTATE 42703: column \"buffers_backend\" does not exist")
        server.checkpoints = (11, 3)
        XCTAssertEqual(tick.run(), .ok)
        XCTAssertEqual(server.factProbes, 2, "re-detected after the undefined column")
        XCTAssertTrue(server.statements.last { $0.contains("checkpoints_timed") }?.contains("pg_stat_checkpointer") ?? false)
        XCTAssertEqual(lastDatabaseRow["checkpoints_timed"], .int(11))
        XCTAssertEqual(lastDatabaseRow["server_version_num"], .int(170000))
        XCTAssertTrue(log.warnings.isEmpty, "a successful re-detection is not a problem: \(log.warnings)")
    }

    func testPersistentUndefinedColumnIsWarnedOnceAndTheRowStillWritten() {
        server.failures["FROM pg_stat_wal"] =
            QueryError.classify(connectionLost: false, message: "SQLSTATE 42P01: relation \"pg_stat_wal\" does not exist")
        let tick = appTick()
        for _ in 0..<3 { XCTAssertEqual(tick.run(), .ok) }
        XCTAssertEqual(sink.rows(in: StatsTables.database).count, 3)
        XCTAssertEqual(lastDatabaseRow["wal_bytes"], .null)
        XCTAssertEqual(lastDatabaseRow["xact_commit"], .int(1000))
        XCTAssertEqual(log.warnings.count, 1, "\(log.warnings)")
        XCTAssertTrue(log.warnings.first?.contains("WAL stats") ?? false)
        XCTAssertEqual(server.factProbes, 4, "one detection, then one re-detection per failing tick")
    }

    func testPostgres13HasNoWALTierAndNoWarning() {
        server.version = 130000
        let tick = appTick()
        XCTAssertEqual(tick.run(), .ok)
        XCTAssertFalse(server.statements.contains { $0.contains("pg_stat_wal") })
        XCTAssertEqual(lastDatabaseRow["wal_bytes"], .null)
        XCTAssertTrue(log.warnings.isEmpty)
    }

    func testLostConnectionMidTickAsksForARetryAndEmitsNothing() {
        server.failures["FROM pg_locks"] = QueryError.classify(connectionLost: true, message: "server closed the connection")
        XCTAssertEqual(appTick().run(), .retry)
        XCTAssertTrue(sink.rows.isEmpty)
        server.failures = ["AS backend_pid": QueryError.classify(connectionLost: true, message: "database unavailable")]
        XCTAssertEqual(extendedTick().run(), .retry)
    }

    func testAFailingExtendedTierIsSkippedTheOthersRun() {
        server.failures["FROM pg_stat_user_tables"] =
            QueryError.classify(connectionLost: false, message: "SQLSTATE 57014: canceling statement due to statement timeout")
        let tick = extendedTick()
        XCTAssertEqual(tick.run(), .ok)
        XCTAssertEqual(tick.run(), .ok)
        XCTAssertEqual(sink.rows(in: StatsTables.databases).count, 4, "two databases per tick")
        XCTAssertTrue(server.statements.contains { $0.contains("pg_stat_statements") }, "later tiers still ran")
        XCTAssertEqual(log.warnings.count, 1, "\(log.warnings)")
        XCTAssertTrue(log.warnings.first?.contains("table stats") ?? false)
        server.failures = [:]
        XCTAssertEqual(tick.run(), .ok)
        XCTAssertTrue(log.lines.contains { $0.level == .info && $0.message.contains("table stats") }, "recovery is noted")
    }

    func testMissingExtensionAndMissingPrivilegesWarnOncePerStart() {
        server.statementColumns = nil
        server.readsAllStats = false
        let app = appTick(), extended = extendedTick()
        for _ in 0..<3 {
            XCTAssertEqual(app.run(), .ok)
            XCTAssertEqual(extended.run(), .ok)
        }
        XCTAssertEqual(log.warnings.filter { $0.contains("pg_stat_statements is not installed") }.count, 1)
        XCTAssertEqual(log.warnings.filter { $0.contains("pg_read_all_stats") }.count, 1)
        XCTAssertEqual(log.warnings.count, 2, "\(log.warnings)")
        XCTAssertFalse(server.statements.contains { $0.contains(".pg_stat_statements s") }, "no query against a missing view")

        // CREATE EXTENSION while the collector runs: the next pg_extended tick finds it, same connection.
        server.statementColumns = ["userid", "dbid", "queryid", "query", "calls", "total_exec_time", "rows"]
        XCTAssertEqual(extended.run(), .ok)
        XCTAssertTrue(server.statements.last?.contains("\"public\".pg_stat_statements s") ?? false)
        XCTAssertTrue(log.lines.contains { $0.level == .info && $0.message.contains("statement stats") }, "recovery is noted")
        let probes = server.factProbes
        XCTAssertEqual(extended.run(), .ok)
        XCTAssertEqual(server.factProbes, probes, "detected once again, then cached")
    }
}
