/// Where tiers run their SQL: the host's lane connection in the daemon, a
/// scripted stand-in in unit tests.
protocol SQLSession {
    /// Runs one statement with text parameters ($1..$n).
    func query(_ sql: String, _ params: [String?]) throws(QueryError) -> ResultRows
}
