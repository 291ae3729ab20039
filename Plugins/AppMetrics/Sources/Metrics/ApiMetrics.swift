import ByteKit
/// One scrape of the API's `/metrics` JSON, as the spec's `ApiMetrics`:
/// request counts, latency percentiles, error rate, active connections and
/// cache stats. Every field is optional; the README lists the names accepted.
struct ApiMetrics: Sendable, Equatable {
    var requestsTotal: Int64?
    var errorsTotal: Int64?
    /// The endpoint's own rate, used only when no counter gives one.
    var reportedRequestsPerSec: Double?
    /// The endpoint's own error rate, 0...1 (reported as a fraction or a percentage).
    var reportedErrorRatio: Double?
    var status2xxTotal: Int64?
    var status3xxTotal: Int64?
    var status4xxTotal: Int64?
    var status5xxTotal: Int64?
    var latencyAvgMs: Double?
    var latencyP50Ms: Double?
    var latencyP90Ms: Double?
    var latencyP95Ms: Double?
    var latencyP99Ms: Double?
    var latencyMaxMs: Double?
    var activeConnections: Int64?
    var cacheHitsTotal: Int64?
    var cacheMissesTotal: Int64?
    var reportedCacheHitRatio: Double?
    var cacheEntries: Int64?
    var cacheSizeBytes: Int64?
    var uptimeSecs: Double?
    /// Members of the document none of the above used.
    var extra: JSONValue?

    init() {}

    /// Reads a document already known to be a JSON object.
    init(document: JSONValue) {
        var r = FieldReader(document: document)
        requestsTotal = r.counter(["requests_total", "total_requests", "requests.total", "requests.count", "requests", "request_count"])
        errorsTotal = r.counter(["errors_total", "total_errors", "error_count", "requests.errors", "requests.errors_total",
                                 "errors.total", "errors"])
        reportedRequestsPerSec = r.measure(["requests_per_sec", "requests_per_second", "rps", "requests.per_sec",
                                            "requests.per_second", "requests.rate"])
        reportedErrorRatio = r.fraction(["error_rate", "requests.error_rate", "errors.rate"],
                                        percent: ["error_rate_pct", "error_rate_percent", "requests.error_rate_pct", "errors.rate_pct"])
        status2xxTotal = r.counter(Self.statusPaths("2xx"))
        status3xxTotal = r.counter(Self.statusPaths("3xx"))
        status4xxTotal = r.counter(Self.statusPaths("4xx"))
        status5xxTotal = r.counter(Self.statusPaths("5xx"))
        latencyAvgMs = r.measure(Self.latencyPaths("avg") + ["avg_response_time_ms", "response_time_avg_ms", "latency_ms.mean",
                                                              "latency.mean_ms", "mean_latency_ms"])
        latencyP50Ms = r.measure(Self.latencyPaths("p50") + ["latency_ms.median", "latency.median_ms", "median_latency_ms"])
        latencyP90Ms = r.measure(Self.latencyPaths("p90"))
        latencyP95Ms = r.measure(Self.latencyPaths("p95"))
        latencyP99Ms = r.measure(Self.latencyPaths("p99"))
        latencyMaxMs = r.measure(Self.latencyPaths("max"))
        activeConnections = r.gauge32(["active_connections", "connections_active", "connections.active", "connections"])
        cacheHitsTotal = r.counter(["cache_hits_total", "cache_hits", "cache.hits_total", "cache.hits"])
        cacheMissesTotal = r.counter(["cache_misses_total", "cache_misses", "cache.misses_total", "cache.misses"])
        reportedCacheHitRatio = r.fraction(["cache_hit_ratio", "cache_hit_rate", "cache.hit_ratio", "cache.hit_rate"],
                                           percent: ["cache_hit_rate_pct", "cache_hit_ratio_pct", "cache.hit_rate_pct", "cache.hit_ratio_pct"])
        cacheEntries = r.gauge64(["cache_entries", "cache.entries", "cache.entry_count"])
        cacheSizeBytes = r.gauge64(["cache_size_bytes", "cache_bytes", "cache.size_bytes", "cache.bytes", "cache.memory_bytes"])
        uptimeSecs = r.measure(MetricPaths.uptime)
        extra = r.extra()
    }

    /// The cache hit ratio: the endpoint's, else hits / (hits + misses) over the counters' lifetime.
    var cacheHitRatio: Double? {
        if let reportedCacheHitRatio { return reportedCacheHitRatio }
        guard let hits = cacheHitsTotal, let misses = cacheMissesTotal else { return nil }
        let (lookups, overflow) = hits.addingReportingOverflow(misses)
        guard !overflow, lookups > 0 else { return nil }
        return Double(hits) / Double(lookups)
    }

    /// The counter the error rate is derived from: errors, else server errors (5xx).
    var errorCounter: Int64? { errorsTotal ?? status5xxTotal }

    static func statusPaths(_ klass: String) -> [FieldPath] {
        ["status_\(klass)_total", "status_\(klass)", "responses_\(klass)", "responses_\(klass)_total",
         FieldPath(keys: ["status_codes", klass]), FieldPath(keys: ["responses", klass]),
         FieldPath(keys: ["requests", "by_status", klass]), FieldPath(keys: ["status", klass])]
    }

    static func latencyPaths(_ quantile: String) -> [FieldPath] {
        MetricPaths.latency(quantile)
    }
}
