/// Lock counts from `pg_locks` (whole cluster): total, not granted, and by
/// mode. The collector's own locks (on pg_locks itself) are left out.
struct LockStatsQuery: TierQuery {
    var tier: StatsTier { .locks }

    func sql(for facts: ServerFacts) -> TierSQL {
        // pid is NULL for locks held by prepared transactions: IS DISTINCT FROM keeps them.
        .statement("""
            WITH l AS (SELECT mode, granted FROM pg_locks WHERE pid IS DISTINCT FROM pg_backend_pid())
            SELECT (SELECT count(*) FROM l) AS locks_total,
                   (SELECT count(*) FROM l WHERE NOT granted) AS locks_waiting,
                   coalesce((SELECT json_object_agg(m.mode, m.n ORDER BY m.mode)
                               FROM (SELECT mode, count(*) AS n FROM l GROUP BY mode) m), '{}'::json) AS lock_mode_counts
            """)
    }
}
