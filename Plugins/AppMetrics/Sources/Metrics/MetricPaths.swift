/// Alias lists both endpoints share.
enum MetricPaths {
    static let uptime: [FieldPath] = ["uptime_secs", "uptime_seconds", "uptime_s", "uptime"]

    /// The names a latency statistic (`avg`, `p50`, ..., `max`) may have, in milliseconds:
    /// `<group>latency_<q>_ms`, `<group>latency_ms.<q>`, `<group>latency.<q>_ms`,
    /// `<group>latency.<q>` and `<q>_latency_ms`, where `group` is "" or e.g. "upstream".
    static func latency(_ quantile: String, group: String? = nil) -> [FieldPath] {
        var flat: [FieldPath] = ["latency_\(quantile)_ms", "\(quantile)_latency_ms"]
        if group == nil { flat.append("\(quantile)_ms") }
        let nested: [FieldPath] = [
            FieldPath(keys: ["latency_ms", quantile]),
            FieldPath(keys: ["latency", "\(quantile)_ms"]),
            FieldPath(keys: ["latency", quantile]),
        ]
        guard let group else { return flat + nested }
        // upstream_latency_p95_ms, upstream.latency_ms.p95, ...
        return flat.map { FieldPath(keys: ["\(group)_\($0.keys[0])"]) }
            + (flat + nested).map { FieldPath(keys: [group] + $0.keys) }
    }
}
