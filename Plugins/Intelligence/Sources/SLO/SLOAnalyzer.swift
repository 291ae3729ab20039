import ByteKit
import PluginKit

/// What one SLO run did, for tests and logs.
public struct SLORunSummary: Sendable, Equatable {
    public var tracked = 0
    public var violations = 0
    public var alerts = 0
    public var skipped: [String] = []
}

/// SLOs with error budgets and burn-rate alerts, on the intel tick.
///
/// Each run, per SLO: recount the good and total periods of the hours since the
/// last counted one (at least the last two, for late rows) into
/// `collector.slo_hourly`; sum the SLO window and the 3-day window from those
/// hourly counts; count the short burn-rate windows (5 min to 6 h) from the raw
/// rows; write a `collector.slo_tracking` row; report an `slo_violation`
/// insight when the SLO is not met and an ALERT per firing burn-rate rule. The
/// host resolves an alert that a run no longer reports.
///
/// The hourly counts exist because the window (30 days) outlives the raw rows
/// (`retention.raw_days`, 14) and a custom good-condition cannot be answered
/// from the hourly rollups' averages. They are the plugin's own state, pruned
/// by it after 91 days.
public final class SLOAnalyzer: @unchecked Sendable {
    public let hostname: String
    public let slos: [SLODefinition]
    public let rules: [BurnRateRule]
    private let sql: IntelSQL
    private let log: (PluginLogLevel, String) -> Void

    /// Per SLO: the start of the last counted hour (its counts may still grow).
    private var countedHour: [String: Int64] = [:]
    /// SLOs whose table lacks a column, with the reason (rechecked each run).
    private var unusable: [String: String] = [:]
    private var lastPrune: Int64?

    public init(hostname: String, slos: [SLODefinition], rules: [BurnRateRule] = BurnRateRule.defaults, sql: IntelSQL,
                log: @escaping (PluginLogLevel, String) -> Void = { _, _ in }) {
        self.hostname = hostname
        self.slos = slos.filter(\.enabled)
        self.rules = rules
        self.sql = sql
        self.log = log
    }

    static let hour: Int64 = 3_600
    static func floorHour(_ t: Int64) -> Int64 { t - ((t % hour) + hour) % hour }

    /// One run at `now` (epoch seconds). Findings go to `report`.
    @discardableResult
    public func run(now: Int64, report: (Finding) throws -> Void) throws -> SLORunSummary {
        var summary = SLORunSummary()
        for slo in slos {
            guard try usable(slo) else { summary.skipped.append(slo.name); continue }
            let status = try measure(slo, now: now)
            guard status.window.total > 0 else { continue }
            try track(slo, status, now: now)
            summary.tracked += 1
            if status.met == false {
                try report(Self.violation(slo, status))
                summary.violations += 1
            }
            for rule in status.firing(rules) {
                try report(Self.burnAlert(slo, status, rule))
                summary.alerts += 1
            }
        }
        if lastPrune.map({ now - $0 >= Self.hour }) ?? true {
            _ = try sql.query(SLOQueries.prune, [hostname, String(now - 91 * 86_400)])
            lastPrune = now
        }
        return summary
    }

    /// The SLO's figures at `now`, after bringing its hourly counts up to date.
    public func measure(_ slo: SLODefinition, now: Int64) throws -> SLOStatus {
        let windowSeconds = Int64(slo.windowDays) * 86_400
        let key = slo.countingKey
        let windowStart = Self.floorHour(now - windowSeconds)
        if countedHour[slo.name] == nil {
            let rows = try sql.query(SLOQueries.latestHour, [hostname, slo.name, key])
            countedHour[slo.name] = rows.first?.first.flatMap { $0.flatMap { Int64($0) } } ?? windowStart
        }
        let from = max(windowStart, min(countedHour[slo.name] ?? windowStart, Self.floorHour(now) - Self.hour))
        _ = try sql.query(SLOQueries.recount(slo), [hostname, slo.name, key, String(from), String(now)])
        countedHour[slo.name] = Self.floorHour(now)

        let longest = rules.map(\.longSeconds).max() ?? 0
        let hourlyWindow = rules.map(\.longSeconds).filter { $0 > 6 * Self.hour }.max() ?? longest
        let sums = try sql.query(SLOQueries.windowSums, [
            hostname, slo.name, key, String(windowStart), String(Self.floorHour(now - hourlyWindow)), String(now),
        ])
        let s = sums.first ?? []
        func cell(_ i: Int) -> Int64 { i < s.count ? s[i].flatMap { Int64($0) } ?? 0 : 0 }
        var recent: [Int64: PeriodCount] = [:]
        recent[hourlyWindow] = PeriodCount(good: cell(2), total: cell(3))

        // Windows up to 6 h from the raw rows, to the second.
        let rawWindows = Array(Set(rules.flatMap { [$0.longSeconds, $0.shortSeconds] }).filter { $0 <= 6 * Self.hour }).sorted()
        if !rawWindows.isEmpty {
            let row = try sql.query(SLOQueries.recent(slo, windows: rawWindows), [hostname, String(now)]).first ?? []
            for (i, w) in rawWindows.enumerated() {
                let good = 2 * i < row.count ? row[2 * i].flatMap { Int64($0) } ?? 0 : 0
                let total = 2 * i + 1 < row.count ? row[2 * i + 1].flatMap { Int64($0) } ?? 0 : 0
                recent[w] = PeriodCount(good: good, total: total)
            }
        }
        return SLOStatus(window: PeriodCount(good: cell(0), total: cell(1)), objectivePct: slo.objectivePct,
                         windowSeconds: windowSeconds, recent: recent)
    }

    /// Whether the SLO's table has its columns; logs once when it does not.
    private func usable(_ slo: SLODefinition) throws -> Bool {
        var needed = ["host", "ts"]
        switch slo.value {
        case .column(let c): needed.append(c)
        case .ratio(let n, let d): needed += [n, d]
        }
        if let up = slo.upColumn { needed.append(up) }
        let present = Set(try sql.query(SLOQueries.columns, [slo.table, PostgresArray.literal(needed)]).compactMap { $0.first ?? nil })
        let missing = needed.filter { !present.contains($0) }
        if missing.isEmpty {
            if unusable.removeValue(forKey: slo.name) != nil { log(.info, "slo \(slo.name): collector.\(slo.table) is usable now") }
            return true
        }
        let reason = present.isEmpty && !needed.isEmpty
            ? "collector.\(slo.table) does not exist (yet)"
            : "collector.\(slo.table) has no column \(missing.joined(separator: ", "))"
        if unusable[slo.name] != reason {
            log(.warn, "slo \(slo.name): \(reason); not tracked")
            unusable[slo.name] = reason
        }
        return false
    }

    private func track(_ slo: SLODefinition, _ s: SLOStatus, now: Int64) throws {
        func text(_ x: Double?) -> String? { x.flatMap { $0.isFinite ? String($0) : nil } }
        _ = try sql.query(SLOQueries.insertTracking, [
            hostname, String(now), slo.name, String(slo.objectivePct), text(s.actualPct), s.met.map { $0 ? "true" : "false" },
            text(s.budgetConsumedPct), String(s.window.bad), String(s.allowedViolations), String(s.window.total),
            String(slo.windowDays), String(Self.floorHour(now - s.windowSeconds)), slo.conditionText, String(s.window.good),
            text(s.budgetRemainingPct), text(s.burnRate(300)), text(s.burnRate(1_800)), text(s.burnRate(3_600)),
            text(s.burnRate(21_600)), text(s.burnRate(259_200)), text(s.exhaustionHours),
        ])
    }

    // MARK: findings

    static func violation(_ slo: SLODefinition, _ s: SLOStatus) -> Finding {
        let actual = s.actualPct ?? 0
        var f = Finding(
            kind: .insight, severity: .critical, key: "slo:\(slo.name)", domain: "slo", metric: slo.name,
            target: slo.name,
            title: "SLO \(slo.name) not met: \(percent(actual)) of periods good over \(slo.windowDays) d (objective \(percent(slo.objectivePct)))",
            description: "\(s.window.bad) of \(s.window.total) periods failed \(slo.conditionText); the objective allows \(AnomalyAnalyzer.number(s.allowedViolations)), so \(AnomalyAnalyzer.number(s.budgetConsumedPct ?? 0)) % of the error budget is spent",
            value: actual, threshold: slo.objectivePct, dedupWindowSecs: 3_600)
        f.type = "slo_violation"
        f.direction = "drop"
        f.contextJSON = context(slo, s, rule: nil)
        return f
    }

    static func burnAlert(_ slo: SLODefinition, _ s: SLOStatus, _ rule: BurnRateRule) -> Finding {
        let factor = rule.factor(windowSeconds: s.windowSeconds)
        let long = s.burnRate(rule.longSeconds) ?? 0, short = s.burnRate(rule.shortSeconds) ?? 0
        var title = "SLO \(slo.name) burning its error budget \(AnomalyAnalyzer.number(long))× over \(duration(rule.longSeconds)) (\(AnomalyAnalyzer.number(short))× over \(duration(rule.shortSeconds)); alert at \(AnomalyAnalyzer.number(factor))×)"
        if let remaining = s.budgetRemainingPct {
            title += ": \(AnomalyAnalyzer.number(max(remaining, 0))) % of the budget left"
            if let hours = s.exhaustionHours { title += hours <= 0 ? ", spent" : ", spent in \(duration(Int64(hours * 3_600))) at this rate" }
        }
        var f = Finding(
            kind: .alert, severity: rule.page ? .critical : .warn, key: "slo_burn:\(slo.name):\(rule.name)", domain: "slo",
            metric: "slo_burn_rate", target: slo.name, title: title,
            description: "\(slo.conditionText) fails for \(percent((1 - Double(s.recent[rule.longSeconds]?.good ?? 0) / Double(max(s.recent[rule.longSeconds]?.total ?? 1, 1))) * 100)) of the periods of the last \(duration(rule.longSeconds)); at \(AnomalyAnalyzer.number(factor))× the \(slo.windowDays)-day budget of \(percent(100 - slo.objectivePct)) lasts \(duration(Int64(Double(s.windowSeconds) / factor)))",
            action: rule.page
                ? "Page: find what changed in the last \(duration(rule.longSeconds)) (deploys, traffic, the database); the alert resolves by itself once the last \(duration(rule.shortSeconds)) are within budget."
                : "Ticket: the budget is being spent faster than it accrues; review the \(slo.name) trend this week.",
            value: long, threshold: factor)
        f.contextJSON = context(slo, s, rule: rule)
        return f
    }

    static func context(_ slo: SLODefinition, _ s: SLOStatus, rule: BurnRateRule?) -> String {
        var w = JSONWriter(capacity: 512)
        w.beginObject()
        w.key("slo"); w.value(slo.name)
        w.key("condition"); w.value(slo.conditionText)
        w.key("objective_pct"); w.value(exactly: slo.objectivePct)
        w.key("window_days"); w.value(slo.windowDays)
        w.key("good_periods"); w.value(s.window.good)
        w.key("total_periods"); w.value(s.window.total)
        if let a = s.actualPct { w.key("actual_pct"); w.value(exactly: a) }
        if let c = s.budgetConsumedPct, c.isFinite { w.key("budget_consumed_pct"); w.value(exactly: c) }
        if let r = s.budgetRemainingPct, r.isFinite { w.key("budget_remaining_pct"); w.value(exactly: r) }
        if let h = s.exhaustionHours { w.key("exhaustion_hours"); w.value(exactly: h) }
        w.key("burn_rates")
        w.beginObject()
        for seconds in s.recent.keys.sorted() {
            if let b = s.burnRate(seconds) { w.key(duration(seconds)); w.value(exactly: b) }
        }
        w.endObject()
        if let rule {
            w.key("rule"); w.value(rule.name)
            w.key("factor"); w.value(exactly: rule.factor(windowSeconds: s.windowSeconds))
            w.key("long_window"); w.value(duration(rule.longSeconds))
            w.key("short_window"); w.value(duration(rule.shortSeconds))
        }
        w.endObject()
        return w.text
    }

    static func percent(_ x: Double) -> String {
        var w = JSONWriter(capacity: 16)
        w.value(x, fractionDigits: abs(x) >= 99 && abs(x) < 100 ? 3 : 2)
        return w.text + " %"
    }

    /// "5m", "6h", "3d", "1h30m".
    static func duration(_ seconds: Int64) -> String {
        if seconds >= 86_400, seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds >= 3_600 {
            let h = seconds / 3_600, m = seconds % 3_600 / 60
            return m == 0 || h >= 24 ? "\(h)h" : "\(h)h\(m)m"
        }
        return "\(max(seconds / 60, 1))m"
    }
}
