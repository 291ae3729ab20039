@testable import PGStatsCore
import PluginKit

/// A scripted PostgreSQL for tick logic that needs no real server: it answers
/// the probes and the app tick's counter queries from its properties, records
/// every statement, and fails statements containing a configured needle.
final class FakeServer: SQLSession, @unchecked Sendable {
    var version = 150000
    var backendPID: Int64 = 100
    var serverStartedAt: Int64 = 1_700_000_000_000_000
    var statsReset: Int64?
    var readsAllStats = true
    var statementColumns: [String]? = ["userid", "dbid", "toplevel", "queryid", "query", "calls", "total_exec_time", "rows"]
    var database: [String: Int64] = Dictionary(uniqueKeysWithValues: DatabaseStatsQuery.counters.map { ($0, 1000) })
    var checkpoints: (timed: Int64, requested: Int64) = (10, 2)
    var walBytes: Int64 = 1_000_000
    /// A statement containing a key fails with its error.
    var failures: [String: QueryError] = [:]
    private(set) var statements: [String] = []
    private(set) var factProbes = 0

    func query(_ sql: String, _ params: [String?]) throws(QueryError) -> ResultRows {
        statements.append(sql)
        for (needle, error) in failures where sql.contains(needle) { throw error }
        if sql.contains("AS backend_pid") {
            return ResultRows(columns: ["backend_pid", "server_started_at", "max_connections", "database_name"],
                              rows: [["\(backendPID)", "\(serverStartedAt)", "100", "app"]])
        }
        if sql.contains("AS server_version_num") {
            factProbes += 1
            return ResultRows(columns: ["server_version_num", "reads_all_stats", "statements_schema", "statements_columns"],
                              rows: [["\(version)", readsAllStats ? "t" : "f", statementColumns == nil ? nil : "public",
                                      statementColumns?.joined(separator: ",")]])
        }
        if sql.contains("FROM pg_stat_database\n") {
            let names = DatabaseStatsQuery.counters
            return ResultRows(columns: names + ["stats_reset", "numbackends"],
                              rows: [names.map { database[$0].map(String.init) } + [statsReset.map(String.init), "3"]])
        }
        if sql.contains("checkpoints_timed") {
            return ResultRows(columns: ["checkpoints_timed", "checkpoints_req", "checkpointer_stats_reset"],
                              rows: [["\(checkpoints.timed)", "\(checkpoints.requested)", nil]])
        }
        if sql.contains("FROM pg_stat_wal") {
            return ResultRows(columns: ["wal_bytes", "wal_stats_reset"], rows: [["\(walBytes)", nil]])
        }
        if sql.contains("FROM pg_database d") {
            return ResultRows(columns: ["database_name", "xid_age"], rows: [["app", "1234"], ["postgres", "99"]])
        }
        return ResultRows(columns: [], rows: [])
    }

    /// Adds `delta` to every pg_stat_database counter.
    func grow(_ delta: Int64) {
        for key in database.keys { database[key, default: 0] += delta }
    }
}

/// Rows the ticks emit, by table.
final class RecordingSink: RowSink, @unchecked Sendable {
    private(set) var rows: [(table: String, cells: [String: RowValue])] = []

    func emit(_ layout: TableLayout, _ row: Row) throws(EmitFailure) {
        rows.append((layout.table, Dictionary(uniqueKeysWithValues: zip(layout.columnNames, row.values(for: layout)))))
    }

    func rows(in layout: TableLayout) -> [[String: RowValue]] { rows.filter { $0.table == layout.table }.map(\.cells) }
}

/// Log lines, by level.
final class LogRecorder: @unchecked Sendable {
    private(set) var lines: [(level: PluginLogLevel, message: String)] = []
    var sink: LogSink { LogSink { [self] level, message in lines.append((level, message)) } }
    var warnings: [String] { lines.filter { $0.level == .warn }.map(\.message) }
}

/// A hand-wound monotonic clock.
final class ManualClock: @unchecked Sendable {
    var nanos: UInt64 = 1_000_000_000
    func advance(seconds: Double) { nanos += UInt64(seconds * 1e9) }
}

extension TickEnvironment {
    static func fake(_ server: FakeServer, _ sink: RecordingSink, _ log: LogRecorder, _ clock: ManualClock) -> TickEnvironment {
        TickEnvironment(session: server, sink: sink, log: log.sink, clock: { clock.nanos },
                        now: { 1_800_000_000_000_000 + Int64(clock.nanos / 1000) })
    }
}
