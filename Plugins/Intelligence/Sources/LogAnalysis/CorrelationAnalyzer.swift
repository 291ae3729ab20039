import ByteKit
import PluginKit

/// Cross-domain correlation: a log error spike within ±10 minutes of a metric
/// anomaly on the same host (API errors with a latency anomaly, PostgreSQL
/// errors with a connection anomaly) is a `correlation` insight whose context
/// holds both insights' ids, the anomalies ranked (same domain as the log
/// source first, then severity) and the source's commonest error template.
/// It reads the insights the `error_spikes` and `anomaly` analyzers stored, so
/// it sees a pair one run after both exist, whatever order the analyzers ran in.
public final class CorrelationAnalyzer: @unchecked Sendable {
    public static let name = "correlation"
    public let hostname: String
    private let sql: IntelSQL

    public init(hostname: String, sql: IntelSQL) {
        self.hostname = hostname
        self.sql = sql
    }

    /// The metric domains a log source's errors most likely go with.
    static func domains(of source: String) -> [String] {
        switch source {
        case "api": ["api"]
        case "proxy", "nginx", "apache_error", "apache_internal_error": ["proxy", "api"]
        case "postgresql": ["db", "table", "replication"]
        case "kernel": ["system", "process"]
        default: []
        }
    }

    /// Spikes of the last 20 minutes and the anomalies overlapping them ±10
    /// minutes: spike id, key, source, first and last seen; anomaly id, key,
    /// domain, metric, metric key, severity, title.
    static let pairs = """
        SELECT s.id, s.key, s.metric_key, extract(epoch FROM s.first_seen)::float8, extract(epoch FROM s.last_seen)::float8,
               a.id, a.key, a.domain, a.metric, a.metric_key, a.severity, a.title
        FROM collector.insights s
        JOIN collector.insights a ON a.host = s.host AND a.type = 'anomaly'
             AND a.ts > to_timestamp($2::float8) - interval '1 day'
             AND a.first_seen <= s.last_seen + interval '10 minutes' AND a.last_seen >= s.first_seen - interval '10 minutes'
        WHERE s.host = $1 AND s.type = 'error_spike' AND s.ts > to_timestamp($2::float8) - interval '1 day'
          AND s.last_seen > to_timestamp($2::float8) - interval '20 minutes'
        ORDER BY s.id, a.id
        """

    /// The source's commonest error template seen since to_timestamp($3).
    static let topTemplate = """
        SELECT template_id, template, occurrences FROM collector.log_patterns
        WHERE host = $1 AND source = $2 AND level IN ('error', 'fatal') AND template_id IS NOT NULL
          AND last_seen >= to_timestamp($3::float8)
        ORDER BY occurrences DESC LIMIT 1
        """

    struct Anomaly {
        var id: Int64, key: String, domain: String, metric: String, metricKey: String?, severity: String, title: String
    }

    @discardableResult
    public func run(now: Double, report: (Finding) throws -> Void) throws -> Int {
        var spikes: [(id: Int64, key: String, source: String, first: Double, anomalies: [Anomaly])] = []
        for row in try sql.query(Self.pairs, [hostname, String(now)]) {
            guard row.count >= 12, let sid = row[0].flatMap({ Int64($0) }), let skey = row[1],
                  let aid = row[5].flatMap({ Int64($0) }), let akey = row[6] else { continue }
            let anomaly = Anomaly(id: aid, key: akey, domain: row[7] ?? "", metric: row[8] ?? "", metricKey: row[9],
                                  severity: row[10] ?? "info", title: row[11] ?? akey)
            if spikes.last?.id == sid {
                spikes[spikes.count - 1].anomalies.append(anomaly)
            } else {
                spikes.append((sid, skey, row[2] ?? "", row[3].flatMap { Double($0) } ?? now, [anomaly]))
            }
        }
        var reported = 0
        for spike in spikes {
            let preferred = Self.domains(of: spike.source)
            func rank(_ a: Anomaly) -> (Int, Int) {
                (preferred.firstIndex(of: a.domain) ?? preferred.count, a.severity == "critical" ? 0 : a.severity == "warn" ? 1 : 2)
            }
            let ranked = spike.anomalies.sorted { rank($0) != rank($1) ? rank($0) < rank($1) : $0.id < $1.id }
            guard let best = ranked.first else { continue }
            let template = try sql.query(Self.topTemplate, [hostname, spike.source, String(spike.first - 600)]).first
            var ctx = JSONWriter(capacity: 512)
            ctx.beginObject()
            ctx.key("error_spike_insight_id"); ctx.value(spike.id)
            ctx.key("error_spike_key"); ctx.value(spike.key)
            ctx.key("source"); ctx.value(spike.source)
            ctx.key("anomaly_insight_ids"); ctx.beginArray(); for a in ranked { ctx.value(a.id) }; ctx.endArray()
            ctx.key("anomalies")
            ctx.beginArray()
            for a in ranked.prefix(10) {
                ctx.beginObject()
                ctx.key("id"); ctx.value(a.id)
                ctx.key("key"); ctx.value(a.key)
                ctx.key("metric"); ctx.value("\(a.domain).\(a.metric)")
                ctx.key("severity"); ctx.value(a.severity)
                ctx.endObject()
            }
            ctx.endArray()
            if let template, let id = template[0].flatMap({ Int64($0) }), let text = template[1] {
                ctx.key("template_id"); ctx.value(id)
                ctx.key("template"); ctx.value(text)
            }
            ctx.endObject()
            var f = Finding(
                kind: .insight, severity: best.severity == "critical" ? .critical : .warn,
                key: "correlation:\(spike.key)", domain: "logs", metric: "correlation", target: spike.source,
                title: "\(spike.source) errors spiked with \(best.title)" + (ranked.count > 1 ? " (and \(ranked.count - 1) more anomal\(ranked.count == 2 ? "y" : "ies"))" : ""),
                description: template.flatMap { $0[1] }.map { "commonest error: \(String($0.prefix(300)))" },
                value: Double(ranked.count), dedupWindowSecs: 3_600)
            f.type = "correlation"
            f.metricKey = best.key
            f.contextJSON = ctx.text
            try report(f)
            reported += 1
        }
        return reported
    }
}
