import PluginKit

/// `collector.api_metrics_raw` (migrations/001): one row per scrape.
enum ApiMetricsTable {
    /// The columns the plugin fills, with their types (the host adds `host` and `ts`).
    static let layout = TableLayout(table: "collector.api_metrics_raw", columns: [
        TableColumn("up", .bool),
        TableColumn("scrape_ms", .double),
        TableColumn("http_status", .int),
        TableColumn("requests_total", .int),
        TableColumn("requests_per_sec", .double),
        TableColumn("errors_total", .int),
        TableColumn("error_rate_pct", .double),
        TableColumn("status_2xx_total", .int),
        TableColumn("status_3xx_total", .int),
        TableColumn("status_4xx_total", .int),
        TableColumn("status_5xx_total", .int),
        TableColumn("latency_avg_ms", .double),
        TableColumn("latency_p50_ms", .double),
        TableColumn("latency_p90_ms", .double),
        TableColumn("latency_p95_ms", .double),
        TableColumn("latency_p99_ms", .double),
        TableColumn("latency_max_ms", .double),
        TableColumn("active_connections", .int),
        TableColumn("cache_hits_total", .int),
        TableColumn("cache_misses_total", .int),
        TableColumn("cache_hit_ratio", .double),
        TableColumn("cache_entries", .int),
        TableColumn("cache_size_bytes", .int),
        TableColumn("uptime_secs", .double),
        TableColumn("extra", .json),
    ])

    /// up = false with only the HTTP facts: the other columns are NULL.
    static func downRow(_ info: ScrapeInfo) -> Row {
        row(nil, info: info, derived: .none, extraMaxBytes: 0)
    }

    static func row(_ m: ApiMetrics?, info: ScrapeInfo, derived: ApiDerived, extraMaxBytes: Int) -> Row {
        var r = Row()
        r.set("up", .bool(m != nil))
        r.set("scrape_ms", info.scrapeMs)
        r.set("http_status", info.httpStatus.map(Int64.init))
        r.set("requests_total", m?.requestsTotal)
        r.set("requests_per_sec", m == nil ? nil : derived.requestsPerSec)
        r.set("errors_total", m?.errorsTotal)
        r.set("error_rate_pct", m == nil ? nil : derived.errorRatePct)
        r.set("status_2xx_total", m?.status2xxTotal)
        r.set("status_3xx_total", m?.status3xxTotal)
        r.set("status_4xx_total", m?.status4xxTotal)
        r.set("status_5xx_total", m?.status5xxTotal)
        r.set("latency_avg_ms", m?.latencyAvgMs)
        r.set("latency_p50_ms", m?.latencyP50Ms)
        r.set("latency_p90_ms", m?.latencyP90Ms)
        r.set("latency_p95_ms", m?.latencyP95Ms)
        r.set("latency_p99_ms", m?.latencyP99Ms)
        r.set("latency_max_ms", m?.latencyMaxMs)
        r.set("active_connections", m?.activeConnections)
        r.set("cache_hits_total", m?.cacheHitsTotal)
        r.set("cache_misses_total", m?.cacheMissesTotal)
        r.set("cache_hit_ratio", m?.cacheHitRatio)
        r.set("cache_entries", m?.cacheEntries)
        r.set("cache_size_bytes", m?.cacheSizeBytes)
        r.set("uptime_secs", m?.uptimeSecs)
        r.set("extra", ExtraColumn.cell(m?.extra, maxBytes: extraMaxBytes))
        return r
    }
}
