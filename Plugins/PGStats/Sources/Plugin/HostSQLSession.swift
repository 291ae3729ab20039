import PluginKit

/// Runs SQL on the host's connection of the calling tick's lane.
struct HostSQLSession: SQLSession {
    let host: PluginHost

    func query(_ sql: String, _ params: [String?]) throws(QueryError) -> ResultRows {
        do {
            let result = try host.query(sql, params)
            return ResultRows(columns: result.columns, rows: result.rows)
        } catch {
            throw QueryError.classify(connectionLost: error.kind == .retry, message: error.message)
        }
    }
}
