import PluginKit

/// The pg_extended tick (5 min, slow lane): per-database xid age, per-table,
/// per-index and per-table IO stats, replication and replication slots, and
/// the top statements, each tier into its own table. A tier that fails is
/// skipped; the others still run.
///
/// `@unchecked Sendable`: the host never runs one tick concurrently with
/// itself, and this state belongs to this tick alone.
final class ExtendedTick: @unchecked Sendable {
    private let environment: TickEnvironment
    private let configuration: PGStatsConfiguration
    private var runner: TierRunner

    init(environment: TickEnvironment, configuration: PGStatsConfiguration) {
        self.environment = environment
        self.configuration = configuration
        runner = TierRunner(log: environment.log)
    }

    func run() -> RunResult {
        do {
            try collect()
            return .ok
        } catch {
            environment.log.debug("pg_extended tick interrupted, will retry: \(error.message)")
            return .retry
        }
    }

    private func collect() throws(TickAbort) {
        guard try runner.begin(environment.session) != nil else { return }
        // One sample time for every row of this tick, whatever tier or table.
        let ts = RowValue.timestamp(micros: environment.now())
        let limit = configuration.maxRelations
        try collect(DatabaseAgeQuery(), into: StatsTables.databases, ts: ts)
        try collect(TableStatsQuery(limit: limit), into: StatsTables.tables, ts: ts)
        try collect(IndexStatsQuery(limit: limit), into: StatsTables.indexes, ts: ts)
        try collect(TableIOQuery(limit: limit), into: StatsTables.io, ts: ts)
        try collect(ReplicationQuery(), into: StatsTables.replication, ts: ts)
        try collect(ReplicationSlotQuery(), into: StatsTables.replicationSlots, ts: ts)
        try collect(StatementStatsQuery(limit: configuration.topStatements, scope: configuration.statementScope),
                    into: StatsTables.statements, ts: ts)
    }

    /// Runs one tier and emits one row per result row.
    private func collect(_ query: some TierQuery, into layout: TableLayout, ts: RowValue) throws(TickAbort) {
        guard let result = try runner.rows(query, environment.session) else { return }
        for index in result.rows.indices {
            var row = Row(result, row: index, layout: layout)
            row["ts"] = ts
            do {
                try environment.sink.emit(layout, row)
            } catch {
                if error.retry { throw TickAbort(message: error.message) }
                runner.problems.rejected(query.tier, error, log: environment.log)
                return
            }
        }
    }
}
