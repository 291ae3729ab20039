/// What a tier runs on a given server.
enum TierSQL: Sendable, Equatable {
    /// Run this statement.
    case statement(String)
    /// This server version has no such data (pg_stat_wal before 14): the tier's
    /// columns stay NULL, silently; it is not a problem to report.
    case unsupported
    /// The data could exist but is not available here (pg_stat_statements not
    /// installed in this database): skipped, with one warning per start.
    case unavailable(String)
}
