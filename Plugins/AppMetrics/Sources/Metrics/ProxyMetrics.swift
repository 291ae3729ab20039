import ByteKit
/// One scrape of the proxy's metrics JSON, as the spec's `ProxyMetrics`:
/// connections, TLS handshake stats, rate-limit counters and upstream latency
/// percentiles. Every field is optional; the README lists the names accepted.
struct ProxyMetrics: Sendable, Equatable {
    var connectionsActive: Int64?
    var connectionsTotal: Int64?
    var requestsTotal: Int64?
    var reportedRequestsPerSec: Double?
    var errorsTotal: Int64?
    var tlsHandshakesTotal: Int64?
    var tlsHandshakeFailuresTotal: Int64?
    var tlsHandshakeAvgMs: Double?
    var rateLimitedTotal: Int64?
    var rateLimitAllowedTotal: Int64?
    var blockedIPs: Int64?
    var upstreamRequestsTotal: Int64?
    var upstreamErrorsTotal: Int64?
    var upstreamLatencyAvgMs: Double?
    var upstreamLatencyP50Ms: Double?
    var upstreamLatencyP95Ms: Double?
    var upstreamLatencyP99Ms: Double?
    var bytesInTotal: Int64?
    var bytesOutTotal: Int64?
    var uptimeSecs: Double?
    /// Members of the document none of the above used.
    var extra: JSONValue?

    init() {}

    /// Reads a document already known to be a JSON object.
    init(document: JSONValue) {
        var r = FieldReader(document: document)
        connectionsActive = r.gauge32(["connections_active", "active_connections", "connections.active", "connections.current"])
        connectionsTotal = r.counter(["connections_total", "total_connections", "connections.total", "connections.accepted_total",
                                      "connections.accepted"])
        requestsTotal = r.counter(["requests_total", "total_requests", "requests.total", "requests.count", "requests"])
        reportedRequestsPerSec = r.measure(["requests_per_sec", "requests_per_second", "rps", "requests.per_sec",
                                            "requests.per_second", "requests.rate"])
        errorsTotal = r.counter(["errors_total", "total_errors", "error_count", "requests.errors", "requests.errors_total",
                                 "errors.total", "errors"])
        tlsHandshakesTotal = r.counter(["tls_handshakes_total", "tls_handshakes", "tls.handshakes_total", "tls.handshakes"])
        tlsHandshakeFailuresTotal = r.counter(["tls_handshake_failures_total", "tls_handshake_failures", "tls_handshake_errors_total",
                                               "tls.handshake_failures_total", "tls.handshake_failures", "tls.handshake_errors",
                                               "tls.failures"])
        tlsHandshakeAvgMs = r.measure(["tls_handshake_avg_ms", "tls_handshake_ms", "tls.handshake_avg_ms", "tls.avg_handshake_ms",
                                       "tls.handshake_ms.avg", "tls.handshake_ms"])
        rateLimitedTotal = r.counter(["rate_limited_total", "rate_limit_blocked_total", "rate_limited", "rate_limit.limited_total",
                                      "rate_limit.blocked_total", "rate_limit.limited", "rate_limit.blocked", "rate_limit.rejected"])
        rateLimitAllowedTotal = r.counter(["rate_limit_allowed_total", "rate_limit_allowed", "rate_limit.allowed_total",
                                           "rate_limit.allowed"])
        blockedIPs = r.gauge32(["blocked_ips", "blocked_ips_count", "rate_limit.blocked_ips", "blocklist.ips", "blocklist.size"],
                               countingArrays: true)
        upstreamRequestsTotal = r.counter(["upstream_requests_total", "upstream.requests_total", "upstream.requests"])
        upstreamErrorsTotal = r.counter(["upstream_errors_total", "upstream.errors_total", "upstream.errors"])
        upstreamLatencyAvgMs = r.measure(MetricPaths.latency("avg", group: "upstream") + ["upstream.latency_ms.mean"])
        upstreamLatencyP50Ms = r.measure(MetricPaths.latency("p50", group: "upstream") + ["upstream.latency_ms.median"])
        upstreamLatencyP95Ms = r.measure(MetricPaths.latency("p95", group: "upstream"))
        upstreamLatencyP99Ms = r.measure(MetricPaths.latency("p99", group: "upstream"))
        bytesInTotal = r.counter(["bytes_in_total", "bytes_received_total", "bytes_in", "bytes.in_total", "bytes.in",
                                  "bytes.received", "traffic.bytes_in"])
        bytesOutTotal = r.counter(["bytes_out_total", "bytes_sent_total", "bytes_out", "bytes.out_total", "bytes.out",
                                   "bytes.sent", "traffic.bytes_out"])
        uptimeSecs = r.measure(MetricPaths.uptime)
        extra = r.extra()
    }
}
