/// One row per WAL sender (`pg_stat_replication`): state, LSNs, lag as time
/// and as bytes behind this server's current WAL position.
struct ReplicationQuery: TierQuery {
    var tier: StatsTier { .replication }

    func sql(for facts: ServerFacts) -> TierSQL {
        .statement("""
            SELECT pid, usename, application_name, client_addr::text AS client_addr, state, sync_state, sync_priority,
                   sent_lsn::text AS sent_lsn, write_lsn::text AS write_lsn,
                   flush_lsn::text AS flush_lsn, replay_lsn::text AS replay_lsn,
                   \(SQLText.milliseconds("write_lag", as: "write_lag_ms")),
                   \(SQLText.milliseconds("flush_lag", as: "flush_lag_ms")),
                   \(SQLText.milliseconds("replay_lag", as: "replay_lag_ms")),
                   (\(SQLText.currentWALPosition) - replay_lsn)::int8 AS replay_lag_bytes,
                   \(SQLText.micros("backend_start", as: "backend_start")),
                   \(SQLText.micros("reply_time", as: "reply_time"))
              FROM pg_stat_replication
             ORDER BY application_name, pid
            """)
    }
}
