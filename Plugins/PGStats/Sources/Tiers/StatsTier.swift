/// One independently failing unit of collection. A tier that fails is skipped
/// (and warned about once per start); the other tiers carry on.
enum StatsTier: String, Sendable, CaseIterable {
    // app tick, one db_metrics_raw row
    case connections = "connection stats (pg_stat_activity)"
    case database = "database stats (pg_stat_database)"
    case backgroundWriter = "bgwriter/checkpointer stats"
    case wal = "WAL stats (pg_stat_wal)"
    case locks = "lock stats (pg_locks)"
    // pg_extended tick, one table each
    case databases = "database xid age (pg_database)"
    case tables = "table stats (pg_stat_user_tables)"
    case indexes = "index stats (pg_stat_user_indexes)"
    case io = "table IO stats (pg_statio_user_tables)"
    case replication = "replication stats (pg_stat_replication)"
    case replicationSlots = "replication slot stats (pg_replication_slots)"
    case statements = "statement stats (pg_stat_statements)"
}
