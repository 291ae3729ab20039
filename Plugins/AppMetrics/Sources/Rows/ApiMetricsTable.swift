import PluginKit

/// `collector.api_metrics_raw` (migrations/001): one row per scrape.
enum ApiMetricsTable {
    static let name = "collector.api_metrics_raw"

    /// The columns the plugin fills (the host adds `host` and `ts`).
    static var columns: [String] { downRow(ScrapeInfo(scrapeMs: 0, httpStatus: nil)).columns }

    /// up = false with only the HTTP facts: the other columns are NULL.
    static func downRow(_ info: ScrapeInfo) -> RowCells {
        row(nil, info: info, derived: .none, extraMaxBytes: 0)
    }

    static func row(_ m: ApiMetrics?, info: ScrapeInfo, derived: ApiDerived, extraMaxBytes: Int) -> RowCells {
        var r = RowCells()
        r.add("up", .bool(m != nil))
        r.add("scrape_ms", info.scrapeMs)
        r.add("http_status", info.httpStatus.map(Int64.init))
        r.add("requests_total", m?.requestsTotal)
        r.add("requests_per_sec", m == nil ? nil : derived.requestsPerSec)
        r.add("errors_total", m?.errorsTotal)
        r.add("error_rate_pct", m == nil ? nil : derived.errorRatePct)
        r.add("status_2xx_total", m?.status2xxTotal)
        r.add("status_3xx_total", m?.status3xxTotal)
        r.add("status_4xx_total", m?.status4xxTotal)
        r.add("status_5xx_total", m?.status5xxTotal)
        r.add("latency_avg_ms", m?.latencyAvgMs)
        r.add("latency_p50_ms", m?.latencyP50Ms)
        r.add("latency_p90_ms", m?.latencyP90Ms)
        r.add("latency_p95_ms", m?.latencyP95Ms)
        r.add("latency_p99_ms", m?.latencyP99Ms)
        r.add("latency_max_ms", m?.latencyMaxMs)
        r.add("active_connections", m?.activeConnections)
        r.add("cache_hits_total", m?.cacheHitsTotal)
        r.add("cache_misses_total", m?.cacheMissesTotal)
        r.add("cache_hit_ratio", m?.cacheHitRatio)
        r.add("cache_entries", m?.cacheEntries)
        r.add("cache_size_bytes", m?.cacheSizeBytes)
        r.add("uptime_secs", m?.uptimeSecs)
        r.add("extra", ExtraColumn.cell(m?.extra, maxBytes: extraMaxBytes))
        return r
    }
}
