/// One reading of a group of counters that are reset together (all of
/// `pg_stat_database` for a database, the checkpointer's, the WAL's).
struct CounterSnapshot: Sendable, Equatable {
    var epoch: CounterEpoch
    /// Counter name to value; a counter the server did not report is absent.
    var values: [String: Int64]
    /// Monotonic time of the reading, nanoseconds.
    var takenAtNanos: UInt64

    init(epoch: CounterEpoch, values: [String: Int64], takenAtNanos: UInt64) {
        self.epoch = epoch
        self.values = values
        self.takenAtNanos = takenAtNanos
    }
}

extension CounterSnapshot {
    /// Reads `counters` from row 0 of `result`; their epoch is the server start
    /// and the reset time in column `resetColumn`.
    init(reading result: ResultRows, counters: [String], resetColumn: String, serverStartedAt: Int64, takenAtNanos: UInt64) {
        var values: [String: Int64] = [:]
        for name in counters {
            if let v = result.int(0, name) { values[name] = v }
        }
        self.init(epoch: CounterEpoch(serverStartedAt: serverStartedAt, statsReset: result.int(0, resetColumn)),
                  values: values, takenAtNanos: takenAtNanos)
    }
}
