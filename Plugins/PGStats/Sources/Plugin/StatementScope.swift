/// Which statements of pg_stat_statements compete for the top N.
enum StatementScope: String, Sendable, Equatable {
    /// Every database of the cluster (pg_stat_statements is cluster-wide).
    case cluster
    /// Only the database the collector is connected to.
    case database
}
