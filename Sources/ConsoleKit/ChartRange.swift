/// The host page's time ranges and which table each reads: raw rows (bucketed)
/// for the last hour or day, hourly rollups for a week or a month, daily for a
/// year, so no chart reads more than ~1,000 rows per series.
package enum ChartRange: String, Sendable, CaseIterable {
    case hour = "1h", day = "24h", week = "7d", month = "30d", year = "1y"

    package enum Source: Sendable { case raw, hourly, daily }

    package var seconds: Double {
        switch self {
        case .hour: 3600
        case .day: 86_400
        case .week: 7 * 86_400
        case .month: 30 * 86_400
        case .year: 365 * 86_400
        }
    }

    package var source: Source {
        switch self {
        case .hour, .day: .raw
        case .week, .month: .hourly
        case .year: .daily
        }
    }

    /// Raw rows are averaged into buckets of this many seconds.
    package var bucketSecs: Int {
        switch self {
        case .hour: 30
        case .day: 300
        case .week, .month: 3600
        case .year: 86_400
        }
    }

    package init(query: String?) { self = query.flatMap(ChartRange.init(rawValue:)) ?? .day }
}

/// One chart on the host page: a column of a metric table family
/// (`<family>_raw`, `_hourly` with `<column>_avg`, `_daily`).
package struct ChartSpec: Sendable {
    package var title: String
    package var family: String
    package var column: String
    package var unit: String
    /// `insights.domain` of the anomaly markers (the intelligence plugin's catalogue).
    package var domain: String

    package static let host: [ChartSpec] = [
        .init(title: "CPU", family: "system_metrics", column: "cpu_pct", unit: "%", domain: "system"),
        .init(title: "Memory used", family: "system_metrics", column: "mem_used_pct", unit: "%", domain: "system"),
        .init(title: "Load (1 min)", family: "system_metrics", column: "load_1m", unit: "", domain: "system"),
        .init(title: "Fullest disk", family: "system_metrics", column: "disk_used_pct_max", unit: "%", domain: "system"),
        .init(title: "Network received", family: "system_metrics", column: "net_rx_bytes_per_sec", unit: "B/s", domain: "system"),
        .init(title: "Network sent", family: "system_metrics", column: "net_tx_bytes_per_sec", unit: "B/s", domain: "system"),
        .init(title: "API latency p95", family: "api_metrics", column: "latency_p95_ms", unit: "ms", domain: "api"),
        .init(title: "API error rate", family: "api_metrics", column: "error_rate_pct", unit: "%", domain: "api"),
        .init(title: "Proxy requests", family: "proxy_metrics", column: "requests_per_sec", unit: "/s", domain: "proxy"),
        .init(title: "Proxy upstream latency p95", family: "proxy_metrics", column: "upstream_latency_p95_ms", unit: "ms", domain: "proxy"),
        .init(title: "DB connections", family: "db_metrics", column: "connections_total", unit: "", domain: "db"),
        .init(title: "DB cache hit ratio", family: "db_metrics", column: "cache_hit_ratio", unit: "", domain: "db"),
    ]
}
