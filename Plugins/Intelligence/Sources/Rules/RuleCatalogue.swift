/// Every health rule, in the order docs/rules.md lists them. Each runs as an
/// analyzer of its own (named like the rule), so one that cannot run on a
/// server, or fails, leaves the others and their findings alone.
public enum RuleCatalogue {
    public static let all: [Rule] = [
        TableRules.bloat, TableRules.missingIndex, StatementRules.slowQuery,
        IndexRules.duplicate, IndexRules.invalid, IndexRules.unused,
        ServerRules.wraparound, ServerRules.sequence,
        StatementRules.idleInTransaction, StatementRules.longQuery,
        ServerRules.replicationSlot, ServerRules.replicaLag, ServerRules.cacheHit,
        HostRules.database, HostRules.process, HostRules.api, HostRules.proxy,
        // Watchdog (30 s): alerts.
        TableRules.health, HostRules.processHealth, HostRules.apiHealth,
    ]

    public static func named(_ name: String) -> Rule? { all.first { $0.name == name } }
}
