/// What the plugin detects once per connection: the server version, the shape
/// of pg_stat_statements (nil when it is not installed in this database) and
/// whether the role may see other roles' sessions and statements.
struct ServerFacts: Sendable, Equatable {
    let version: ServerVersion
    let statements: StatementViewShape?
    /// Superuser, or member of pg_read_all_stats (pg_monitor includes it).
    let readsAllStats: Bool
}
