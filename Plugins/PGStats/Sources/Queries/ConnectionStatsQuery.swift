/// Client connections by state, lock waiters, the oldest transaction and query,
/// and all backends by wait event type, from `pg_stat_activity` (whole cluster).
/// The collector's own backend is left out: it would count itself as one
/// active connection on every sample.
struct ConnectionStatsQuery: TierQuery {
    var tier: StatsTier { .connections }

    func sql(for facts: ServerFacts) -> TierSQL {
        let client = "backend_type = 'client backend'"
        return .statement("""
            SELECT count(*) FILTER (WHERE \(client)) AS connections_total,
                   count(*) FILTER (WHERE \(client) AND state = 'active') AS connections_active,
                   count(*) FILTER (WHERE \(client) AND state = 'idle') AS connections_idle,
                   count(*) FILTER (WHERE \(client) AND state LIKE 'idle in transaction%') AS connections_idle_in_transaction,
                   count(*) FILTER (WHERE \(client) AND wait_event_type = 'Lock') AS connections_waiting,
                   (100.0 * count(*) FILTER (WHERE \(client)) / current_setting('max_connections')::int)::float8 AS connections_used_pct,
                   coalesce(max(extract(epoch FROM now() - xact_start)) FILTER (WHERE \(client)), 0)::float8 AS longest_xact_secs,
                   coalesce(max(extract(epoch FROM now() - query_start)) FILTER (WHERE \(client) AND state = 'active'), 0)::float8
                     AS longest_query_secs,
                   coalesce((SELECT json_object_agg(w.wait_event_type, w.n ORDER BY w.wait_event_type)
                               FROM (SELECT wait_event_type, count(*) AS n FROM pg_stat_activity
                                      WHERE wait_event_type IS NOT NULL AND pid <> pg_backend_pid()
                                      GROUP BY wait_event_type) w), '{}'::json) AS wait_event_type_counts
              FROM pg_stat_activity
             WHERE pid <> pg_backend_pid()
            """)
    }
}
