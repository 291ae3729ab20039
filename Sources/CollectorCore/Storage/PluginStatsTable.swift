/// Upserts the per-tick stats into `collector.plugin_stats` (one row per
/// host, plugin and tick), so dashboards see backoff and skips beside the data.
package struct PluginStatsTable: Sendable {
    package let hostname: String
    package let lane: DatabaseLane
    package let gate: SchemaGate

    package func write(_ stats: StatsRegistry) throws(PGError) {
        guard gate.isOpen else { return }
        let snapshot = stats.snapshot()
        let dropped = stats.counter("writer.dropped_rows")
        try lane.withConnection { (c: PGConnection) throws(PGError) in
            try c.transaction { () throws(PGError) in
                for (id, s) in snapshot {
                    let parts = id.split(separator: "/", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { continue }
                    try c.query("""
                        INSERT INTO collector.plugin_stats (host, plugin, tick, runs, failures, skipped, consecutive_failures,
                            backoff_secs, last_error, dropped_rows, last_duration_ms, updated_at)
                        VALUES ($1, $2, $3, $4::bigint, $5::bigint, $6::bigint, $7::int, $8::float8, NULLIF($9, ''), $10::bigint, $11::float8, now())
                        ON CONFLICT (host, plugin, tick) DO UPDATE SET runs = EXCLUDED.runs, failures = EXCLUDED.failures,
                            skipped = EXCLUDED.skipped, consecutive_failures = EXCLUDED.consecutive_failures,
                            backoff_secs = EXCLUDED.backoff_secs, last_error = EXCLUDED.last_error,
                            dropped_rows = EXCLUDED.dropped_rows, last_duration_ms = EXCLUDED.last_duration_ms, updated_at = now()
                        """, [hostname, parts[0], parts[1], String(s.runs), String(s.failures), String(s.skipped),
                              String(s.consecutiveFailures), String(s.backoffSecs), s.lastError,
                              String(parts[0] == "host" ? dropped : 0), String(Double(s.lastDurationNanos) / 1e6)])
                }
            }
        }
    }
}
