import PluginKit

/// `[plugin.pg_stats]` settings.
struct PGStatsConfiguration: Sendable, Equatable {
    /// How many statements of pg_stat_statements to store per pg_extended tick
    /// (`top_statements`), ranked by total execution time.
    var topStatements = 20
    /// At most this many tables, indexes and IO rows per pg_extended tick
    /// (`max_relations`): the largest / busiest first.
    var maxRelations = 1000
    /// Whose statements compete for the top N (`statement_scope`): every
    /// database of the cluster ("cluster") or the connected one ("database").
    var statementScope = StatementScope.cluster

    init() {}

    /// Reads the section through `value` (`PluginHost.config`). A missing key
    /// keeps its default; an invalid one keeps it too, with a warning.
    static func read(_ value: (String) -> ConfigValue?, log: LogSink) -> PGStatsConfiguration {
        var c = PGStatsConfiguration()
        c.topStatements = integer("top_statements", value, default: c.topStatements, range: 1...1000, log: log)
        c.maxRelations = integer("max_relations", value, default: c.maxRelations, range: 1...100_000, log: log)
        if let raw = value("statement_scope") {
            if case .string(let s) = raw, let scope = StatementScope(rawValue: s) {
                c.statementScope = scope
            } else {
                log.warn("[plugin.pg_stats] statement_scope must be \"cluster\" or \"database\"; using \"cluster\"")
            }
        }
        return c
    }

    private static func integer(_ key: String, _ value: (String) -> ConfigValue?, default fallback: Int,
                                range: ClosedRange<Int>, log: LogSink) -> Int {
        guard let raw = value(key) else { return fallback }
        if case .int(let n) = raw, n >= Int64(range.lowerBound), n <= Int64(range.upperBound) { return Int(n) }
        log.warn("[plugin.pg_stats] \(key) must be an integer in \(range.lowerBound)...\(range.upperBound); using \(fallback)")
        return fallback
    }
}
