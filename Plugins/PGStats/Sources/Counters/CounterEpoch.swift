/// What a group of cumulative counters counts from. Counters of one epoch only
/// grow; a new epoch (server restart, `pg_stat_reset*()`) starts them again at
/// zero, so a delta across two epochs means nothing.
struct CounterEpoch: Sendable, Equatable {
    /// `pg_postmaster_start_time()`, microseconds since the epoch.
    var serverStartedAt: Int64?
    /// The group's `stats_reset`, microseconds since the epoch (NULL until the
    /// first reset on some servers).
    var statsReset: Int64?

    init(serverStartedAt: Int64?, statsReset: Int64?) {
        self.serverStartedAt = serverStartedAt
        self.statsReset = statsReset
    }
}
