/// `pg_stat_wal` (PostgreSQL 14+; on 13 the WAL columns stay NULL).
struct WALStatsQuery: TierQuery {
    var tier: StatsTier { .wal }

    /// Counters with derived columns, reset together with `wal_stats_reset`.
    static let counters = ["wal_bytes"]

    func sql(for facts: ServerFacts) -> TierSQL {
        guard facts.version.hasWALView else { return .unsupported }
        let writeSync = facts.version.walViewHasWriteAndSync
            ? "wal_write, wal_sync"
            : "NULL::int8 AS wal_write, NULL::int8 AS wal_sync"
        return .statement("""
            SELECT wal_records, wal_fpi, wal_bytes, wal_buffers_full, \(writeSync),
                   \(SQLText.micros("stats_reset", as: "wal_stats_reset"))
              FROM pg_stat_wal
            """)
    }
}
