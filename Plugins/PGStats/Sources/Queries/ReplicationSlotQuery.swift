/// One row per replication slot (`pg_replication_slots`): a slot nobody
/// consumes retains WAL without bound, so the retained bytes matter most.
/// wal_status and safe_wal_size exist from PostgreSQL 13.
struct ReplicationSlotQuery: TierQuery {
    var tier: StatsTier { .replicationSlots }

    func sql(for facts: ServerFacts) -> TierSQL {
        .statement("""
            SELECT slot_name, slot_type, plugin, database AS database_name, active, active_pid, temporary, wal_status,
                   restart_lsn::text AS restart_lsn, confirmed_flush_lsn::text AS confirmed_flush_lsn,
                   (\(SQLText.currentWALPosition) - restart_lsn)::int8 AS retained_wal_bytes,
                   safe_wal_size AS safe_wal_size_bytes,
                   age(xmin) AS xmin_age, age(catalog_xmin) AS catalog_xmin_age
              FROM pg_replication_slots
             ORDER BY slot_name
            """)
    }
}
