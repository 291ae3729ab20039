import PluginKit

/// `collector.proxy_metrics_raw` (migrations/001): one row per scrape.
enum ProxyMetricsTable {
    static let name = "collector.proxy_metrics_raw"

    /// The columns the plugin fills (the host adds `host` and `ts`).
    static var columns: [String] { downRow(ScrapeInfo(scrapeMs: 0, httpStatus: nil)).columns }

    static func downRow(_ info: ScrapeInfo) -> RowCells {
        row(nil, info: info, requestsPerSec: nil, extraMaxBytes: 0)
    }

    static func row(_ m: ProxyMetrics?, info: ScrapeInfo, requestsPerSec: Double?, extraMaxBytes: Int) -> RowCells {
        var r = RowCells()
        r.add("up", .bool(m != nil))
        r.add("scrape_ms", info.scrapeMs)
        r.add("http_status", info.httpStatus.map(Int64.init))
        r.add("connections_active", m?.connectionsActive)
        r.add("connections_total", m?.connectionsTotal)
        r.add("requests_total", m?.requestsTotal)
        r.add("requests_per_sec", m == nil ? nil : requestsPerSec)
        r.add("errors_total", m?.errorsTotal)
        r.add("tls_handshakes_total", m?.tlsHandshakesTotal)
        r.add("tls_handshake_failures_total", m?.tlsHandshakeFailuresTotal)
        r.add("tls_handshake_avg_ms", m?.tlsHandshakeAvgMs)
        r.add("rate_limited_total", m?.rateLimitedTotal)
        r.add("rate_limit_allowed_total", m?.rateLimitAllowedTotal)
        r.add("blocked_ips", m?.blockedIPs)
        r.add("upstream_requests_total", m?.upstreamRequestsTotal)
        r.add("upstream_errors_total", m?.upstreamErrorsTotal)
        r.add("upstream_latency_avg_ms", m?.upstreamLatencyAvgMs)
        r.add("upstream_latency_p50_ms", m?.upstreamLatencyP50Ms)
        r.add("upstream_latency_p95_ms", m?.upstreamLatencyP95Ms)
        r.add("upstream_latency_p99_ms", m?.upstreamLatencyP99Ms)
        r.add("bytes_in_total", m?.bytesInTotal)
        r.add("bytes_out_total", m?.bytesOutTotal)
        r.add("uptime_secs", m?.uptimeSecs)
        r.add("extra", ExtraColumn.cell(m?.extra, maxBytes: extraMaxBytes))
        return r
    }
}
