/// The top `limit` statements by total execution time from
/// `pg_stat_statements`, of all databases of the cluster or of the connected
/// one only (`StatementScope`). Column names follow
/// the installed extension version (`StatementViewShape`); statistics an older
/// version lacks are NULL. Rows without a queryid (other roles' statements,
/// when the role lacks pg_read_all_stats) are left out: they cannot be told
/// apart, and the hourly rollup keys on queryid.
struct StatementStatsQuery: TierQuery {
    let limit: Int
    let scope: StatementScope
    var tier: StatsTier { .statements }
    var parameters: [String?] { [String(limit)] }

    /// Statement texts are cut here: a generated query can be megabytes.
    static let maxQueryCharacters = 4096

    func sql(for facts: ServerFacts) -> TierSQL {
        guard let shape = facts.statements else {
            return .unavailable("""
                pg_stat_statements is not installed in this database \
                (add it to shared_preload_libraries and run CREATE EXTENSION pg_stat_statements)
                """)
        }
        guard let total = shape.executionTime("total") else {
            return .unavailable("the installed pg_stat_statements has no total execution time column")
        }
        func optional(_ expression: String?, _ type: String) -> String { expression ?? "NULL::\(type)" }
        func column(_ name: String, _ type: String) -> String { shape.has(name) ? "s.\(name)" : "NULL::\(type)" }
        return .statement("""
            SELECT row_number() OVER (ORDER BY \(total) DESC) AS rank,
                   d.datname AS database_name, r.rolname AS username, s.queryid,
                   \(column("toplevel", "bool")) AS toplevel,
                   left(s.query, \(Self.maxQueryCharacters)) AS query, s.calls, s.rows,
                   \(total) AS total_exec_time_ms,
                   \(optional(shape.executionTime("mean"), "float8")) AS mean_exec_time_ms,
                   \(optional(shape.executionTime("min"), "float8")) AS min_exec_time_ms,
                   \(optional(shape.executionTime("max"), "float8")) AS max_exec_time_ms,
                   \(optional(shape.executionTime("stddev"), "float8")) AS stddev_exec_time_ms,
                   \(column("total_plan_time", "float8")) AS total_plan_time_ms,
                   s.shared_blks_hit, s.shared_blks_read, s.shared_blks_dirtied, s.shared_blks_written,
                   s.local_blks_hit, s.local_blks_read, s.temp_blks_read, s.temp_blks_written,
                   \(optional(shape.blockTime("read"), "float8")) AS blk_read_time_ms,
                   \(optional(shape.blockTime("write"), "float8")) AS blk_write_time_ms,
                   \(column("wal_bytes", "numeric")) AS wal_bytes
              FROM \(SQLText.identifier(shape.schema)).pg_stat_statements s
              LEFT JOIN pg_database d ON d.oid = s.dbid
              LEFT JOIN pg_roles r ON r.oid = s.userid
             WHERE s.queryid IS NOT NULL\(scope == .database ? "\n               AND d.datname = current_database()" : "")
             ORDER BY \(total) DESC
             LIMIT $1::int
            """)
    }
}
