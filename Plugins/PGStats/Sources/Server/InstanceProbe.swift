/// Reads the `InstanceSample` at the start of a tick.
enum InstanceProbe {
    static let sql = """
        SELECT pg_backend_pid() AS backend_pid,
               \(SQLText.micros("pg_postmaster_start_time()", as: "server_started_at")),
               current_setting('max_connections')::int AS max_connections,
               current_database() AS database_name
        """

    /// nil when the answer is unusable (which no PostgreSQL 13-17 gives).
    static func read(_ session: any SQLSession) throws(QueryError) -> InstanceSample? {
        let r = try session.query(sql, [])
        guard let pid = r.int(0, "backend_pid"), let started = r.int(0, "server_started_at"),
              let database = r.text(0, "database_name") else { return nil }
        return InstanceSample(identity: ConnectionIdentity(backendPID: pid, serverStartedAt: started),
                              maxConnections: r.int(0, "max_connections"), databaseName: database)
    }
}
