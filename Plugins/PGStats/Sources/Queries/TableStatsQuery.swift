/// Per user table of the connected database: `pg_stat_user_tables`, sizes and
/// relfrozenxid age; the largest `limit` tables, so a database with thousands
/// of tables cannot blow up one tick.
struct TableStatsQuery: TierQuery {
    let limit: Int
    var tier: StatsTier { .tables }
    var parameters: [String?] { [String(limit)] }

    func sql(for facts: ServerFacts) -> TierSQL {
        // Partitioned parents (relkind 'p') have no storage and relfrozenxid 0: no age for them.
        .statement("""
            SELECT current_database() AS database_name, s.schemaname AS schema_name, s.relname AS table_name,
                   s.n_live_tup, s.n_dead_tup,
                   CASE WHEN s.n_live_tup > 0 THEN s.n_dead_tup::float8 / s.n_live_tup END AS dead_tup_ratio,
                   s.seq_scan, s.seq_tup_read, s.idx_scan, s.idx_tup_fetch,
                   s.n_tup_ins, s.n_tup_upd, s.n_tup_del, s.n_tup_hot_upd,
                   s.n_mod_since_analyze, s.n_ins_since_vacuum,
                   \(SQLText.micros("s.last_vacuum", as: "last_vacuum")),
                   \(SQLText.micros("s.last_autovacuum", as: "last_autovacuum")),
                   \(SQLText.micros("s.last_analyze", as: "last_analyze")),
                   \(SQLText.micros("s.last_autoanalyze", as: "last_autoanalyze")),
                   s.vacuum_count, s.autovacuum_count, s.analyze_count, s.autoanalyze_count,
                   pg_table_size(s.relid) AS table_size_bytes,
                   pg_indexes_size(s.relid) AS indexes_size_bytes,
                   pg_total_relation_size(s.relid) AS total_size_bytes,
                   CASE WHEN c.relkind IN ('r', 'm', 't') THEN age(c.relfrozenxid) END AS relfrozenxid_age
              FROM pg_stat_user_tables s
              JOIN pg_class c ON c.oid = s.relid
             ORDER BY pg_total_relation_size(s.relid) DESC, s.schemaname, s.relname
             LIMIT $1::int
            """)
    }
}
