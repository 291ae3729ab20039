/// Detects the `ServerFacts` with one catalog query.
enum ServerFactsProbe {
    static let sql = """
        SELECT current_setting('server_version_num')::int AS server_version_num,
               pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS reads_all_stats,
               (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                 WHERE e.extname = 'pg_stat_statements') AS statements_schema,
               (SELECT string_agg(a.attname, ',' ORDER BY a.attnum)
                  FROM pg_extension e
                  JOIN pg_class c ON c.relnamespace = e.extnamespace AND c.relname = 'pg_stat_statements'
                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                 WHERE e.extname = 'pg_stat_statements') AS statements_columns
        """

    static func read(_ session: any SQLSession) throws(QueryError) -> ServerFacts {
        let r = try session.query(sql, [])
        guard let number = r.int(0, "server_version_num") else {
            throw QueryError(kind: .other, message: "server_version_num is unreadable")
        }
        var shape: StatementViewShape?
        if let schema = r.text(0, "statements_schema"), let columns = r.text(0, "statements_columns") {
            shape = StatementViewShape(schema: schema, columns: Set(columns.split(separator: ",").map(String.init)))
        }
        return ServerFacts(version: ServerVersion(Int(number)), statements: shape, readsAllStats: r.bool(0, "reads_all_stats") ?? false)
    }
}
