import PluginKit

/// `collector.proxy_metrics_raw` (migrations/001): one row per scrape.
enum ProxyMetricsTable {
    /// The columns the plugin fills, with their types (the host adds `host` and `ts`).
    static let layout = TableLayout(table: "collector.proxy_metrics_raw", columns: [
        TableColumn("up", .bool),
        TableColumn("scrape_ms", .double),
        TableColumn("http_status", .int),
        TableColumn("connections_active", .int),
        TableColumn("connections_total", .int),
        TableColumn("requests_total", .int),
        TableColumn("requests_per_sec", .double),
        TableColumn("errors_total", .int),
        TableColumn("tls_handshakes_total", .int),
        TableColumn("tls_handshake_failures_total", .int),
        TableColumn("tls_handshake_avg_ms", .double),
        TableColumn("rate_limited_total", .int),
        TableColumn("rate_limit_allowed_total", .int),
        TableColumn("blocked_ips", .int),
        TableColumn("upstream_requests_total", .int),
        TableColumn("upstream_errors_total", .int),
        TableColumn("upstream_latency_avg_ms", .double),
        TableColumn("upstream_latency_p50_ms", .double),
        TableColumn("upstream_latency_p95_ms", .double),
        TableColumn("upstream_latency_p99_ms", .double),
        TableColumn("bytes_in_total", .int),
        TableColumn("bytes_out_total", .int),
        TableColumn("uptime_secs", .double),
        TableColumn("extra", .json),
    ])

    static func downRow(_ info: ScrapeInfo) -> Row {
        row(nil, info: info, requestsPerSec: nil, extraMaxBytes: 0)
    }

    static func row(_ m: ProxyMetrics?, info: ScrapeInfo, requestsPerSec: Double?, extraMaxBytes: Int) -> Row {
        var r = Row()
        r.set("up", .bool(m != nil))
        r.set("scrape_ms", info.scrapeMs)
        r.set("http_status", info.httpStatus.map(Int64.init))
        r.set("connections_active", m?.connectionsActive)
        r.set("connections_total", m?.connectionsTotal)
        r.set("requests_total", m?.requestsTotal)
        r.set("requests_per_sec", m == nil ? nil : requestsPerSec)
        r.set("errors_total", m?.errorsTotal)
        r.set("tls_handshakes_total", m?.tlsHandshakesTotal)
        r.set("tls_handshake_failures_total", m?.tlsHandshakeFailuresTotal)
        r.set("tls_handshake_avg_ms", m?.tlsHandshakeAvgMs)
        r.set("rate_limited_total", m?.rateLimitedTotal)
        r.set("rate_limit_allowed_total", m?.rateLimitAllowedTotal)
        r.set("blocked_ips", m?.blockedIPs)
        r.set("upstream_requests_total", m?.upstreamRequestsTotal)
        r.set("upstream_errors_total", m?.upstreamErrorsTotal)
        r.set("upstream_latency_avg_ms", m?.upstreamLatencyAvgMs)
        r.set("upstream_latency_p50_ms", m?.upstreamLatencyP50Ms)
        r.set("upstream_latency_p95_ms", m?.upstreamLatencyP95Ms)
        r.set("upstream_latency_p99_ms", m?.upstreamLatencyP99Ms)
        r.set("bytes_in_total", m?.bytesInTotal)
        r.set("bytes_out_total", m?.bytesOutTotal)
        r.set("uptime_secs", m?.uptimeSecs)
        r.set("extra", ExtraColumn.cell(m?.extra, maxBytes: extraMaxBytes))
        return r
    }
}
