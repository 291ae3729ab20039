/// Per user index of the connected database: `pg_stat_user_indexes`, size,
/// kind, validity and the bloat estimate (`IndexBloatEstimate`); the largest
/// `limit` indexes. last_idx_scan exists from PostgreSQL 16.
struct IndexStatsQuery: TierQuery {
    let limit: Int
    var tier: StatsTier { .indexes }
    var parameters: [String?] { [String(limit)] }

    func sql(for facts: ServerFacts) -> TierSQL {
        let lastScan = facts.version.hasLastIndexScan
            ? SQLText.micros("s.last_idx_scan", as: "last_idx_scan")
            : "NULL::int8 AS last_idx_scan"
        return .statement("""
            WITH \(IndexBloatEstimate.cte)
            SELECT current_database() AS database_name, s.schemaname AS schema_name, s.relname AS table_name,
                   s.indexrelname AS index_name, s.idx_scan, s.idx_tup_read, s.idx_tup_fetch,
                   \(lastScan),
                   pg_relation_size(s.indexrelid) AS index_size_bytes,
                   b.bloat_bytes, b.bloat_pct,
                   i.indisunique AS is_unique, i.indisprimary AS is_primary, i.indisvalid AS is_valid
              FROM pg_stat_user_indexes s
              JOIN pg_index i ON i.indexrelid = s.indexrelid
              LEFT JOIN index_bloat b ON b.indexrelid = s.indexrelid
             ORDER BY pg_relation_size(s.indexrelid) DESC, s.schemaname, s.indexrelname
             LIMIT $1::int
            """)
    }
}
