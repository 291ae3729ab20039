import PluginKit

/// The app tick (10 s, fast lane): one collector.db_metrics_raw row per run,
/// from pg_stat_activity, pg_stat_database, the bgwriter/checkpointer view,
/// pg_stat_wal and pg_locks, plus reset-aware rates from the previous run.
///
/// `@unchecked Sendable`: the host never runs one tick concurrently with
/// itself (pqcrypta_plugin.h, THREADING), and this state belongs to this tick
/// alone, so runs are serialised without a lock.
final class AppTick: @unchecked Sendable {
    private let environment: TickEnvironment
    private var runner: TierRunner
    private var database = CounterTracker()
    private var checkpointer = CounterTracker()
    private var wal = CounterTracker()

    private var layout: TableLayout { StatsTables.database }

    init(environment: TickEnvironment) {
        self.environment = environment
        runner = TierRunner(log: environment.log)
    }

    func run() -> RunResult {
        do {
            try collect()
            return .ok
        } catch {
            environment.log.debug("app tick interrupted, will retry: \(error.message)")
            return .retry
        }
    }

    private func collect() throws(TickAbort) {
        let session = environment.session
        guard let (instance, facts) = try runner.begin(session) else { return }
        if !facts.readsAllStats {
            runner.problems.once("privileges", """
                the collector's role is not a member of pg_read_all_stats (pg_monitor): other roles' sessions \
                are counted without their state, and their statements are not collected
                """, log: environment.log)
        }
        let started = instance.identity.serverStartedAt
        var row = Row()
        row["ts"] = .timestamp(micros: environment.now())
        row["database_name"] = .text(instance.databaseName)
        row["server_started_at"] = .timestamp(micros: started)
        row["max_connections"] = .optionalInt(instance.maxConnections)

        if let r = try runner.rows(ConnectionStatsQuery(), session) {
            row.merge(r, row: 0, layout: layout)
        }
        if let r = try runner.rows(DatabaseStatsQuery(), session), !r.isEmpty {
            row.merge(r, row: 0, layout: layout)
            let delta = advance(&database, r, DatabaseStatsQuery.counters, resetColumn: "stats_reset", started: started)
            row.merge(DerivedRates.database(delta))
        }
        if let r = try runner.rows(BackgroundWriterQuery(), session), !r.isEmpty {
            row.merge(r, row: 0, layout: layout)
            let delta = advance(&checkpointer, r, BackgroundWriterQuery.counters, resetColumn: "checkpointer_stats_reset", started: started)
            row.merge(DerivedRates.checkpointer(delta))
        }
        if let r = try runner.rows(WALStatsQuery(), session), !r.isEmpty {
            row.merge(r, row: 0, layout: layout)
            let delta = advance(&wal, r, WALStatsQuery.counters, resetColumn: "wal_stats_reset", started: started)
            row.merge(DerivedRates.wal(delta))
        }
        if let r = try runner.rows(LockStatsQuery(), session) {
            row.merge(r, row: 0, layout: layout)
        }
        // After the tiers: a tier may have re-detected the version.
        row["server_version_num"] = .int((runner.facts ?? facts).version.number)

        do {
            try environment.sink.emit(layout, row)
        } catch {
            if error.retry { throw TickAbort(message: error.message) }
            runner.problems.rejected(.database, error, log: environment.log)
        }
    }

    /// Feeds one counter group's reading to its tracker: the change since the
    /// previous reading, or nil when (re)priming.
    private func advance(_ tracker: inout CounterTracker, _ result: ResultRows, _ counters: [String],
                         resetColumn: String, started: Int64) -> CounterDelta? {
        tracker.advance(to: CounterSnapshot(reading: result, counters: counters, resetColumn: resetColumn,
                                            serverStartedAt: started, takenAtNanos: environment.clock()))
    }
}
