/// A raw table and its hourly rollup that watched metrics are read from.
///
/// Raw rows are read as `r` with the window `w` (the series' previous row, for
/// counter rates); hourly rows as `h`. Both tables are keyed on `(host, ts)` /
/// `(host, hour, ...)`, so every read is an index range scan of one host.
public struct MetricSource: Sendable, Equatable {
    /// A short name ("system", "process", "table").
    public let name: String
    public let raw: String
    public let hourly: String
    /// The series key within the host, as a SQL text expression on `r` and on
    /// `h` (nil: one series per host).
    public let rawKey: String?
    public let hourlyKey: String?
    /// Raw rows that count (e.g. `r.up` for scrapes); nil = all.
    public let rawFilter: String?
    /// When set, only the `maxKeys` series with the largest latest value of this
    /// raw expression are watched (per-table metrics: the largest tables).
    public let rankBy: String?

    public init(name: String, raw: String, hourly: String, rawKey: String? = nil, hourlyKey: String? = nil,
                rawFilter: String? = nil, rankBy: String? = nil) {
        self.name = name
        self.raw = raw
        self.hourly = hourly
        self.rawKey = rawKey
        self.hourlyKey = hourlyKey
        self.rawFilter = rawFilter
        self.rankBy = rankBy
    }

    public static let system = MetricSource(
        name: "system", raw: "collector.system_metrics_raw", hourly: "collector.system_metrics_hourly")
    public static let process = MetricSource(
        name: "process", raw: "collector.process_metrics_raw", hourly: "collector.process_metrics_hourly",
        rawKey: "r.process_name", hourlyKey: "h.process_name", rawFilter: "NOT coalesce(r.missing, false)")
    public static let api = MetricSource(
        name: "api", raw: "collector.api_metrics_raw", hourly: "collector.api_metrics_hourly", rawFilter: "r.up")
    public static let proxy = MetricSource(
        name: "proxy", raw: "collector.proxy_metrics_raw", hourly: "collector.proxy_metrics_hourly", rawFilter: "r.up")
    public static let db = MetricSource(
        name: "db", raw: "collector.db_metrics_raw", hourly: "collector.db_metrics_hourly")
    public static let replication = MetricSource(
        name: "replication", raw: "collector.replication_metrics_raw", hourly: "collector.replication_metrics_hourly",
        rawKey: "coalesce(r.application_name, '') || '@' || coalesce(r.client_addr, '')",
        hourlyKey: "h.application_name || '@' || h.client_addr")
    public static let table = MetricSource(
        name: "table", raw: "collector.table_metrics_raw", hourly: "collector.table_metrics_hourly",
        rawKey: "r.schema_name || '.' || r.table_name", hourlyKey: "h.schema_name || '.' || h.table_name",
        rankBy: "r.total_size_bytes")
}

/// One watched metric: where its value comes from, which direction hurts, and
/// what an operator calls it.
public struct WatchedMetric: Sendable, Equatable {
    public let source: MetricSource
    /// The `domain` of its baselines and insights ("system", "api", "db", ...).
    public let domain: String
    /// The `metric` of its baselines and insights; unique within the domain.
    public let name: String
    public let label: String
    public let unit: String
    public let direction: AnomalyDirection
    /// The point's value, a SQL expression on the raw row `r` (window `w`).
    public let raw: String
    /// The hour's mean, a SQL expression on the hourly row `h`.
    public let hourly: String
    /// The hour's lowest and highest point when the rollup keeps them (the
    /// within-hour spread of the baseline's stddev), else nil.
    public let hourlyMin: String?
    public let hourlyMax: String?

    public init(source: MetricSource, domain: String, name: String, label: String, unit: String, direction: AnomalyDirection,
                raw: String, hourly: String, hourlyMin: String? = nil, hourlyMax: String? = nil) {
        self.source = source
        self.domain = domain
        self.name = name
        self.label = label
        self.unit = unit
        self.direction = direction
        self.raw = raw
        self.hourly = hourly
        self.hourlyMin = hourlyMin
        self.hourlyMax = hourlyMax
    }

    /// A gauge stored raw as `column` and rolled up as `column_avg` (and
    /// `column_min`/`column_max` when `spread` names the rollup keeps them).
    public static func gauge(_ source: MetricSource, _ domain: String, _ column: String, _ label: String, _ unit: String,
                             _ direction: AnomalyDirection, spread: Spread = .minMax, name: String? = nil) -> WatchedMetric {
        WatchedMetric(
            source: source, domain: domain, name: name ?? column, label: label, unit: unit, direction: direction,
            raw: "r.\(column)", hourly: "h.\(column)_avg",
            hourlyMin: spread == .minMax ? "h.\(column)_min" : nil,
            hourlyMax: spread == .none ? nil : "h.\(column)_max")
    }

    /// A per-second rate of a monotonic counter stored raw as `total` (the
    /// increase over the series' previous row, a reset giving NULL) and rolled
    /// up as the hour's increase `delta`.
    public static func counterRate(_ source: MetricSource, _ domain: String, _ name: String, _ label: String,
                                   _ direction: AnomalyDirection, total: String, delta: String) -> WatchedMetric {
        let increase = "(r.\(total) - lag(r.\(total)) OVER w)"
        return WatchedMetric(
            source: source, domain: domain, name: name, label: label, unit: "/s", direction: direction,
            raw: "CASE WHEN \(increase) >= 0 THEN \(increase) / nullif(extract(epoch FROM r.ts - lag(r.ts) OVER w), 0) END",
            hourly: "h.\(delta) / 3600.0")
    }

    /// A per-second rate of a per-sample delta column `rawDelta` (rolled up as
    /// the hour's increase `hourlyDelta`).
    public static func deltaRate(_ source: MetricSource, _ domain: String, _ name: String, _ label: String,
                                 _ direction: AnomalyDirection, rawDelta: String, hourlyDelta: String) -> WatchedMetric {
        WatchedMetric(
            source: source, domain: domain, name: name, label: label, unit: "/s", direction: direction,
            raw: "r.\(rawDelta) / nullif(extract(epoch FROM r.ts - lag(r.ts) OVER w), 0)",
            hourly: "h.\(hourlyDelta) / 3600.0")
    }

    /// Which of `_min`/`_max` the hourly rollup keeps for a gauge.
    public enum Spread: Sendable, Equatable { case minMax, maxOnly, none }
}
