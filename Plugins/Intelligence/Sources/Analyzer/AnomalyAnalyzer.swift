import ByteKit
import PluginKit

/// The SQL the analyzer needs: one statement, rows as text cells (nil = NULL).
public protocol IntelSQL: AnyObject {
    func query(_ sql: String, _ params: [String?]) throws -> [[String?]]
}

/// What one run did, for tests and logs.
public struct AnomalyRunSummary: Sendable, Equatable {
    public var warmedUp = false
    public var baselines = 0
    public var scoredPoints = 0
    public var watchedSeries = 0
    public var anomalousSeries = 0
    public var insights = 0
    public var queries = 0
}

/// Baselines and anomaly detection for the collector's own host, run on the
/// intel tick (one instance per daemon; never run concurrently with itself).
///
/// Each run, per metric source: the hourly rollup rows of the profile window
/// (28 days, one index range scan on the primary key), the raw rows since the
/// last rolled-up hour (at most `warmupRawHours`), and for per-table metrics the
/// largest tables. Baselines are computed in memory and upserted in one
/// statement; the raw points after each series' last scored one go through its
/// detector; an insight is reported when a series has `consecutivePoints`
/// anomalous points in a row.
public final class AnomalyAnalyzer: @unchecked Sendable {
    public let hostname: String
    public let configuration: IntelligenceConfiguration
    public let metrics: [WatchedMetric]
    private let sql: IntelSQL
    private let log: (PluginLogLevel, String) -> Void

    struct Series {
        var detector: AnomalyDetector
        var lastTime: Int64 = .min
        var consecutive = 0
    }

    /// Detector state per series, `domain/metric` + key.
    private var series: [String: Series] = [:]
    private var warmed = false
    private var capWarned = false

    public init(hostname: String, configuration: IntelligenceConfiguration, metrics: [WatchedMetric] = MetricCatalogue.all,
                sql: IntelSQL, log: @escaping (PluginLogLevel, String) -> Void = { _, _ in }) {
        self.hostname = hostname
        self.configuration = configuration
        self.metrics = metrics
        self.sql = sql
        self.log = log
    }

    public var seriesCount: Int { series.count }

    static func seriesID(_ m: WatchedMetric, _ key: String) -> String { "\(m.domain)/\(m.name)\u{1F}\(key)" }

    /// A point of a series, scored this run.
    struct Hit {
        var metric: WatchedMetric
        var key: String
        var time: Int64
        var value: Double
        var score: Double
        var residual: Double
        var consecutive: Int
    }

    /// One run at `now` (epoch seconds). Findings go to `report`.
    @discardableResult
    public func run(now: Int64, report: (Finding) throws -> Void) throws -> AnomalyRunSummary {
        var summary = AnomalyRunSummary()
        let firstRun = !warmed
        summary.warmedUp = firstRun
        var baselines: [(WatchedMetric, String, Baseline)] = []
        var runMax: [String: (metric: WatchedMetric, key: String, score: Double)] = [:]
        var confirmed: [String: Hit] = [:]
        var scoredSeries = Set<String>()
        var baselineOf: [String: Baseline] = [:]

        for source in MetricCatalogue.sources(metrics) {
            let sourceMetrics = MetricCatalogue.metrics(of: source, in: metrics)
            var keys: [String]?
            if let rankSQL = SourceQueries.rank(source) {
                summary.queries += 1
                let rows = try sql.query(rankSQL, [hostname, String(now - 2 * 3_600), String(configuration.maxTables)])
                keys = rows.compactMap { $0.first ?? nil }
                if keys!.isEmpty { continue }
            }
            let keyArray = keys.map { PostgresArray.literal($0) }
            func params(_ since: Int64) -> [String?] {
                keyArray.map { [hostname, String(since), $0] } ?? [hostname, String(since)]
            }

            // Hourly rows of the profile window.
            summary.queries += 1
            let hourly = try sql.query(
                SourceQueries.hourly(source, sourceMetrics, keyed: keys != nil), params(now - BaselineMath.profileWindowSeconds))
            var lastHourEnd: Int64?
            var historyStart: Int64?
            for row in hourly {
                guard let t = int(row[0]) else { continue }
                lastHourEnd = max(lastHourEnd ?? t + 3_600, t + 3_600)
                historyStart = min(historyStart ?? t, t)
            }
            // Raw rows: the tail since the last rolled-up hour (for the baseline)
            // and the points since the last run (for the detectors), never more
            // than warmupRawHours; 10 minutes earlier, so counter rates have
            // their previous row.
            let rawFloor = now - Int64(configuration.warmupRawHours) * 3_600
            let lastScored = firstRun ? rawFloor : lastTime(of: source, sourceMetrics) ?? rawFloor
            let rawFrom = max(rawFloor, min(lastHourEnd ?? rawFloor, lastScored)) - 600
            summary.queries += 1
            let raw = try sql.query(SourceQueries.raw(source, sourceMetrics, keyed: keys != nil), params(rawFrom))

            // Group by series.
            var hourlyBySeries: [String: [BaselineSample]] = [:]
            var rawBySeries: [String: [(Int64, Double)]] = [:]
            var seriesKeys: [String: (WatchedMetric, String)] = [:]
            for row in hourly {
                guard let t = int(row[0]) else { continue }
                let key = row[1] ?? ""
                let n = double(row[2]) ?? 1
                for (i, m) in sourceMetrics.enumerated() {
                    guard let v = double(row[3 + 3 * i]) else { continue }
                    let id = Self.seriesID(m, key)
                    seriesKeys[id] = (m, key)
                    hourlyBySeries[id, default: []].append(
                        BaselineSample(time: t, mean: v, weight: max(n, 1), low: double(row[4 + 3 * i]), high: double(row[5 + 3 * i])))
                }
            }
            for row in raw {
                guard let t = int(row[0]), t > rawFrom + 600 || firstRun else { continue }
                let key = row[1] ?? ""
                for (i, m) in sourceMetrics.enumerated() {
                    guard let v = double(row[2 + i]) else { continue }
                    let id = Self.seriesID(m, key)
                    seriesKeys[id] = (m, key)
                    rawBySeries[id, default: []].append((t, v))
                }
            }

            for (id, (metric, key)) in seriesKeys.sorted(by: { $0.key < $1.key }) {
                let hours = hourlyBySeries[id] ?? []
                let points = rawBySeries[id] ?? []
                // Baseline: the window's hours, then the raw points after the last rolled-up hour.
                var samples = hours.filter { $0.time >= now - BaselineMath.windowSeconds }
                let tailStart = lastHourEnd ?? .min
                samples += points.filter { $0.0 >= tailStart }.map { BaselineSample(time: $0.0, mean: $0.1) }
                if let b = BaselineMath.baseline(samples: samples, profileSamples: hours, historyStart: historyStart, now: now),
                   b.counts
                {
                    baselines.append((metric, key, b))
                    baselineOf[id] = b
                }

                // Detector.
                if series[id] == nil {
                    guard series.count < configuration.maxSeries else {
                        if !capWarned {
                            log(.warn, "intelligence: more than max_series = \(configuration.maxSeries) series; the rest are not watched")
                            capWarned = true
                        }
                        continue
                    }
                    var fresh = Series(detector: AnomalyDetector(config: DetectorConfig(
                        threshold: configuration.threshold, direction: metric.direction)))
                    if firstRun {
                        // Warm-up: the hourly means of the last warmupHours before the raw
                        // points (at mid-hour), then the raw points; nothing is reported.
                        let rawStart = points.first?.0 ?? now
                        for h in hours where h.time >= now - Int64(configuration.warmupHours) * 3_600 && h.time + 3_600 <= rawStart {
                            _ = fresh.detector.score(timestamp: h.time + 1_800, value: h.mean)
                            fresh.lastTime = h.time + 1_800
                        }
                        for (t, v) in points where t > fresh.lastTime {
                            _ = fresh.detector.score(timestamp: t, value: v)
                            fresh.lastTime = t
                        }
                        series[id] = fresh
                        continue
                    }
                    series[id] = fresh
                }
                guard var state = series[id] else { continue }
                var scored = false
                for (t, v) in points where t > state.lastTime {
                    let score = state.detector.score(timestamp: t, value: v)
                    state.lastTime = t
                    scored = true
                    summary.scoredPoints += 1
                    if state.detector.isAnomaly(score) {
                        state.consecutive += 1
                        if score > (runMax[id]?.score ?? -1) { runMax[id] = (metric, key, score) }
                        if state.consecutive >= configuration.consecutivePoints, score > (confirmed[id]?.score ?? -1) {
                            confirmed[id] = Hit(metric: metric, key: key, time: t, value: v, score: score,
                                                residual: state.detector.lastResidual, consecutive: state.consecutive)
                        }
                    } else {
                        state.consecutive = 0
                    }
                }
                if scored { scoredSeries.insert(id) }
                series[id] = state
            }
        }
        warmed = true

        if !baselines.isEmpty {
            summary.queries += 1
            _ = try sql.query(SourceQueries.upsertBaselines, [hostname, Self.baselineJSON(baselines)])
        }
        summary.baselines = baselines.count

        // Findings, each with the other series anomalous in this run, by score.
        let ranked = runMax.sorted { $0.value.score != $1.value.score ? $0.value.score > $1.value.score : $0.key < $1.key }
        summary.watchedSeries = scoredSeries.count
        summary.anomalousSeries = runMax.count
        let rate = scoredSeries.isEmpty ? 0 : Double(runMax.count) / Double(scoredSeries.count)
        for (id, hit) in confirmed.sorted(by: { $0.key < $1.key }) {
            let others = ranked.filter { $0.key != id }.prefix(10).map { $0.value }
            try report(Self.finding(hit, baseline: baselineOf[id], correlated: others, rate: rate,
                                    threshold: configuration.threshold))
            summary.insights += 1
        }
        if !scoredSeries.isEmpty {
            var top = JSONWriter(capacity: 256)
            top.beginArray()
            for entry in ranked.prefix(10) {
                top.beginObject()
                top.key("metric"); top.value("\(entry.value.metric.domain).\(entry.value.metric.name)")
                top.key("key"); top.value(entry.value.key)
                top.key("score"); top.value(entry.value.score, fractionDigits: 4)
                top.endObject()
            }
            top.endArray()
            summary.queries += 1
            _ = try sql.query(SourceQueries.insertAnomalyRate, [
                hostname, String(scoredSeries.count), String(runMax.count), String(confirmed.count),
                String(rate), top.text,
            ])
        }
        return summary
    }

    /// The latest scored point of the source's series (nil: none yet).
    private func lastTime(of source: MetricSource, _ sourceMetrics: [WatchedMetric]) -> Int64? {
        var latest: Int64?
        for (id, s) in series where s.lastTime != .min {
            guard sourceMetrics.contains(where: { id.hasPrefix("\($0.domain)/\($0.name)\u{1F}") }) else { continue }
            latest = max(latest ?? s.lastTime, s.lastTime)
        }
        return latest
    }

    // MARK: findings

    static func severity(z: Double?) -> Finding.Severity {
        guard let z else { return .warn }
        if abs(z) > 3 { return .critical }
        if abs(z) > 2 { return .warn }
        return .info
    }

    static func finding(_ hit: Hit, baseline: Baseline?, correlated: [(metric: WatchedMetric, key: String, score: Double)],
                        rate: Double, threshold: Double) -> Finding {
        let m = hit.metric
        let z = baseline?.zScore(hit.value)
        let drift = baseline?.driftPct(hit.value)
        let direction: String = switch m.direction {
        case .up: "spike"
        case .down: "drop"
        case .both: hit.residual >= 0 ? "spike" : "drop"
        }
        let subject = hit.key.isEmpty ? m.label : "\(m.label) of \(hit.key)"
        var title = "\(subject): \(direction) to \(number(hit.value))\(m.unit.isEmpty ? "" : " " + m.unit)"
        if let baseline { title += " (baseline \(number(baseline.mean)) ± \(number(baseline.stddev))" + (z.map { ", z \(number($0))" } ?? "") + ")" }

        var ctx = JSONWriter(capacity: 512)
        ctx.beginObject()
        ctx.key("anomaly_score"); ctx.value(hit.score, fractionDigits: 4)
        ctx.key("threshold"); ctx.value(exactly: threshold)
        ctx.key("consecutive_points"); ctx.value(hit.consecutive)
        ctx.key("at"); ctx.value(hit.time)
        ctx.key("label"); ctx.value(m.label)
        ctx.key("unit"); ctx.value(m.unit)
        ctx.key("hurts"); ctx.value(m.direction.rawValue)
        if let baseline {
            ctx.key("baseline")
            ctx.beginObject()
            ctx.key("mean"); ctx.value(exactly: baseline.mean)
            ctx.key("stddev"); ctx.value(exactly: baseline.stddev)
            ctx.key("median"); ctx.value(exactly: baseline.median)
            ctx.key("mad"); ctx.value(exactly: baseline.mad)
            ctx.key("min"); ctx.value(exactly: baseline.min)
            ctx.key("max"); ctx.value(exactly: baseline.max)
            ctx.key("sample_count"); ctx.value(baseline.sampleCount)
            ctx.key("window"); ctx.value("7d")
            if let expected = baseline.expected(at: hit.time) {
                ctx.key("expected_this_hour"); ctx.value(exactly: expected)
            }
            ctx.endObject()
        }
        ctx.key("correlated")
        ctx.beginArray()
        for c in correlated {
            ctx.beginObject()
            ctx.key("metric"); ctx.value("\(c.metric.domain).\(c.metric.name)")
            if !c.key.isEmpty { ctx.key("key"); ctx.value(c.key) }
            ctx.key("label"); ctx.value(c.metric.label)
            ctx.key("score"); ctx.value(c.score, fractionDigits: 4)
            ctx.endObject()
        }
        ctx.endArray()
        ctx.key("host_anomaly_rate"); ctx.value(rate, fractionDigits: 4)
        ctx.endObject()

        var f = Finding(
            kind: .insight, severity: severity(z: z),
            key: "anomaly:\(m.domain).\(m.name)" + (hit.key.isEmpty ? "" : ":\(hit.key)"),
            domain: m.domain, metric: m.name, target: hit.key.isEmpty ? nil : hit.key, title: title,
            description: "\(subject) is anomalous (score \(number(hit.score)) for \(hit.consecutive) consecutive points; \(m.direction == .both ? "either direction" : m.direction == .up ? "a rise" : "a fall") hurts)",
            value: hit.value, threshold: baseline?.mean ?? .nan, zScore: z ?? .nan, dedupWindowSecs: 3_600)
        f.type = "anomaly"
        f.metricKey = hit.key.isEmpty ? nil : hit.key
        f.contextJSON = ctx.text
        f.direction = direction
        f.baselineStddev = baseline?.stddev ?? .nan
        f.driftPct = drift ?? .nan
        return f
    }

    static func baselineJSON(_ baselines: [(WatchedMetric, String, Baseline)]) -> String {
        var w = JSONWriter(capacity: 256 * baselines.count)
        w.beginArray()
        for (m, key, b) in baselines {
            w.beginObject()
            w.key("domain"); w.value(m.domain)
            w.key("metric"); w.value(m.name)
            w.key("metric_key"); w.value(key)
            w.key("mean"); w.value(exactly: b.mean)
            w.key("stddev"); w.value(exactly: b.stddev)
            w.key("min"); w.value(exactly: b.min)
            w.key("max"); w.value(exactly: b.max)
            w.key("sample_count"); w.value(b.sampleCount)
            w.key("window_start"); w.value(b.windowStart)
            w.key("window_end"); w.value(b.windowEnd)
            w.key("median"); w.value(exactly: b.median)
            w.key("mad"); w.value(exactly: b.mad)
            w.key("profile")
            if let profile = b.profile {
                w.beginArray()
                for day in profile {
                    w.beginArray()
                    for cell in day { if let cell { w.value(exactly: cell) } else { w.null() } }
                    w.endArray()
                }
                w.endArray()
            } else {
                w.null()
            }
            w.endObject()
        }
        w.endArray()
        return w.text
    }

    /// Four significant digits, for titles.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "?" }
        let magnitude = abs(x)
        let digits = magnitude >= 1000 ? 0 : magnitude >= 100 ? 1 : magnitude >= 1 ? 2 : 4
        var w = JSONWriter(capacity: 24)
        w.value(x, fractionDigits: digits)
        return w.text
    }

    private func int(_ s: String?) -> Int64? { s.flatMap { Int64($0) } }
    private func double(_ s: String?) -> Double? {
        guard let s, let d = Double(s), d.isFinite else { return nil }
        return d
    }
}
