/// The connected database's `pg_stat_database` counters and size. Every
/// column exists unchanged in PostgreSQL 13-18.
struct DatabaseStatsQuery: TierQuery {
    var tier: StatsTier { .database }

    /// The cumulative counters rates and deltas are derived from.
    static let counters = [
        "xact_commit", "xact_rollback", "blks_read", "blks_hit", "tup_inserted", "tup_updated", "tup_deleted",
        "temp_files", "temp_bytes", "deadlocks", "conflicts",
    ]

    func sql(for facts: ServerFacts) -> TierSQL {
        .statement("""
            SELECT numbackends, xact_commit, xact_rollback, blks_read, blks_hit, tup_returned, tup_fetched,
                   tup_inserted, tup_updated, tup_deleted, conflicts, temp_files, temp_bytes, deadlocks,
                   \(SQLText.micros("stats_reset", as: "stats_reset")),
                   pg_database_size(datid) AS database_size_bytes
              FROM pg_stat_database
             WHERE datname = current_database()
            """)
    }
}
