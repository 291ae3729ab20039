/// Every metric the Intelligence plugin baselines and watches for anomalies.
/// Adding one is one line here (its raw column and hourly rollup must exist).
///
/// Directions: `.up` when only a rise hurts (latency, errors, CPU), `.down` when
/// only a fall does (cache hit ratio), `.both` for throughput, where a collapse
/// and a surge both deserve a look.
public enum MetricCatalogue {
    public static let all: [WatchedMetric] = [
        // host (SystemMetrics)
        .gauge(.system, "system", "cpu_pct", "CPU", "%", .up),
        .gauge(.system, "system", "cpu_iowait_pct", "CPU iowait", "%", .up, spread: .maxOnly),
        .gauge(.system, "system", "mem_used_pct", "memory used", "%", .up),
        .gauge(.system, "system", "swap_used_pct", "swap used", "%", .up, spread: .maxOnly),
        .gauge(.system, "system", "load_1m", "load (1 min)", "", .up),
        .gauge(.system, "system", "disk_used_pct_max", "fullest disk", "%", .up),
        .gauge(.system, "system", "disk_busy_pct_max", "busiest disk", "%", .up, spread: .maxOnly),
        .gauge(.system, "system", "disk_read_bytes_per_sec", "disk reads", "B/s", .both, spread: .maxOnly),
        .gauge(.system, "system", "disk_write_bytes_per_sec", "disk writes", "B/s", .both, spread: .maxOnly),
        .gauge(.system, "system", "net_rx_bytes_per_sec", "network received", "B/s", .both, spread: .maxOnly),
        .gauge(.system, "system", "net_tx_bytes_per_sec", "network sent", "B/s", .both, spread: .maxOnly),
        // each watched process (SystemMetrics, collector.processes)
        .gauge(.process, "process", "cpu_pct", "process CPU", "%", .up),
        .gauge(.process, "process", "rss_bytes", "process RSS", "B", .up),
        // API (AppMetrics)
        .gauge(.api, "api", "requests_per_sec", "API request rate", "/s", .both),
        .gauge(.api, "api", "error_rate_pct", "API error rate", "%", .up),
        .gauge(.api, "api", "latency_p50_ms", "API latency p50", "ms", .up, spread: .none),
        .gauge(.api, "api", "latency_p95_ms", "API latency p95", "ms", .up),
        .gauge(.api, "api", "latency_p99_ms", "API latency p99", "ms", .up, spread: .maxOnly),
        .gauge(.api, "api", "active_connections", "API connections", "", .up, spread: .maxOnly),
        // proxy (AppMetrics)
        .gauge(.proxy, "proxy", "connections_active", "proxy connections", "", .up, spread: .maxOnly),
        .gauge(.proxy, "proxy", "requests_per_sec", "proxy request rate", "/s", .both, spread: .maxOnly),
        .counterRate(.proxy, "proxy", "errors_per_sec", "proxy errors", .up, total: "errors_total", delta: "errors_delta"),
        .counterRate(.proxy, "proxy", "tls_handshake_failures_per_sec", "TLS handshake failures", .up,
                     total: "tls_handshake_failures_total", delta: "tls_handshake_failures_delta"),
        .counterRate(.proxy, "proxy", "rate_limited_per_sec", "rate-limited requests", .up,
                     total: "rate_limited_total", delta: "rate_limited_delta"),
        .gauge(.proxy, "proxy", "upstream_latency_p95_ms", "upstream latency p95", "ms", .up, spread: .maxOnly),
        // database (PGStats)
        .gauge(.db, "db", "connections_total", "DB connections", "", .up),
        .gauge(.db, "db", "connections_active", "active DB connections", "", .up, spread: .maxOnly),
        .gauge(.db, "db", "connections_waiting", "DB connections waiting on locks", "", .up, spread: .maxOnly),
        .gauge(.db, "db", "cache_hit_ratio", "DB cache hit ratio", "", .down),
        .gauge(.db, "db", "xact_commit_per_sec", "commits", "/s", .both, spread: .maxOnly),
        .gauge(.db, "db", "xact_rollback_per_sec", "rollbacks", "/s", .up, spread: .maxOnly),
        WatchedMetric(source: .db, domain: "db", name: "temp_bytes_per_sec", label: "temp file bytes", unit: "B/s",
                      direction: .up, raw: "r.temp_bytes_per_sec", hourly: "h.temp_bytes_delta / 3600.0"),
        .deltaRate(.db, "db", "deadlocks_per_sec", "deadlocks", .up, rawDelta: "deadlocks_delta", hourlyDelta: "deadlocks_delta"),
        // replication (PGStats), per standby
        .gauge(.replication, "replication", "replay_lag_ms", "replication replay lag", "ms", .up),
        .gauge(.replication, "replication", "replay_lag_bytes", "replication lag", "B", .up, spread: .maxOnly),
        // tables (PGStats), the largest `max_tables`
        .gauge(.table, "table", "dead_tup_ratio", "dead tuple ratio", "", .up),
    ]

    /// The sources the catalogue reads, each once, in catalogue order.
    public static func sources(_ metrics: [WatchedMetric] = all) -> [MetricSource] {
        var seen: [MetricSource] = []
        for m in metrics where !seen.contains(m.source) { seen.append(m.source) }
        return seen
    }

    public static func metrics(of source: MetricSource, in metrics: [WatchedMetric] = all) -> [WatchedMetric] {
        metrics.filter { $0.source == source }
    }
}
