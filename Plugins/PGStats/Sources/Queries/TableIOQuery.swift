/// Per user table: buffer hits and reads of heap, indexes and TOAST from
/// `pg_statio_user_tables`; the `limit` busiest tables.
struct TableIOQuery: TierQuery {
    let limit: Int
    var tier: StatsTier { .io }
    var parameters: [String?] { [String(limit)] }

    func sql(for facts: ServerFacts) -> TierSQL {
        .statement("""
            SELECT current_database() AS database_name, schemaname AS schema_name, relname AS table_name,
                   heap_blks_read, heap_blks_hit, idx_blks_read, idx_blks_hit,
                   toast_blks_read, toast_blks_hit, tidx_blks_read, tidx_blks_hit,
                   CASE WHEN heap_blks_read + heap_blks_hit > 0
                        THEN heap_blks_hit::float8 / (heap_blks_read + heap_blks_hit) END AS heap_hit_ratio
              FROM pg_statio_user_tables
             ORDER BY coalesce(heap_blks_read, 0) + coalesce(heap_blks_hit, 0)
                      + coalesce(idx_blks_read, 0) + coalesce(idx_blks_hit, 0) DESC, schemaname, relname
             LIMIT $1::int
            """)
    }
}
