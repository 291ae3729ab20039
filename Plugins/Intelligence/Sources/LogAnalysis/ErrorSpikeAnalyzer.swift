import ByteKit
import PluginKit

/// Error spikes (the original's rule): a source whose error and fatal lines in
/// the last 5 minutes exceed `factor` times its usual 5 minutes (the hourly mean
/// over the last 7 days, from `log_metrics_hourly`, divided by 12), and at
/// least `minimum` lines, so 0 → 3 is not a spike, is an `error_spike` insight
/// (domain `logs`), deduplicated by the host within the hour.
public final class ErrorSpikeAnalyzer: @unchecked Sendable {
    public let hostname: String
    public let factor: Double
    public let minimum: Int
    private let sql: IntelSQL

    public init(hostname: String, sql: IntelSQL, factor: Double = 3, minimum: Int = 10) {
        self.hostname = hostname
        self.sql = sql
        self.factor = factor
        self.minimum = minimum
    }

    @discardableResult
    public func run(now: Double, report: (Finding) throws -> Void) throws -> Int {
        var raised = 0
        for row in try sql.query(LogQueries.errorSpikes, [hostname, String(now)]) {
            guard row.count >= 5, let source = row[0], let n = row[1].flatMap({ Int($0) }),
                  let perHour = row[2].flatMap({ Double($0) }) else { continue }
            let hours = row[3].flatMap { Int($0) } ?? 0
            let usual = perHour / 12
            guard n >= minimum, Double(n) > factor * usual else { continue }
            try report(Self.finding(source: source, count: n, usual: usual, hours: hours, sample: row[4], factor: factor))
            raised += 1
        }
        return raised
    }

    static func finding(source: String, count: Int, usual: Double, hours: Int, sample: String?, factor: Double) -> Finding {
        var ctx = JSONWriter(capacity: 256)
        ctx.beginObject()
        ctx.key("source"); ctx.value(source)
        ctx.key("errors_5m"); ctx.value(count)
        ctx.key("usual_5m"); ctx.value(exactly: usual)
        ctx.key("baseline_hours"); ctx.value(hours)
        ctx.key("factor"); ctx.value(exactly: factor)
        if let sample { ctx.key("sample"); ctx.value(String(sample.prefix(500))) }
        ctx.endObject()
        let ratio = usual > 0 ? " (\(AnomalyAnalyzer.number(Double(count) / usual))× the usual \(AnomalyAnalyzer.number(usual)))" : " (usually none)"
        var f = Finding(
            kind: .insight, severity: usual > 0 && Double(count) > 10 * usual || usual == 0 && count >= 50 ? .critical : .warn,
            key: "error_spike:\(source)", domain: "logs", metric: "error_count_5m", target: source,
            title: "Error spike in \(source): \(count) errors in 5 minutes\(ratio)",
            description: sample.map { "latest: \(String($0.prefix(300)))" },
            value: Double(count), threshold: usual, dedupWindowSecs: 3_600)
        f.type = "error_spike"
        f.metricKey = source
        f.direction = "spike"
        f.contextJSON = ctx.text
        return f
    }
}
