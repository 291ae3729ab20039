/// Good and total periods of one window.
public struct PeriodCount: Sendable, Equatable {
    public var good: Int64
    public var total: Int64
    public init(good: Int64, total: Int64) {
        self.good = good
        self.total = total
    }
    public var bad: Int64 { total - good }
}

/// A multiwindow, multi-burn-rate alert (the SRE workbook's "alerting on SLOs"):
/// it fires while both the long and the short window burn the error budget at
/// least `factor` times faster than the rate that exactly spends it over the
/// SLO's window. The short window makes it resolve soon after the burn stops.
public struct BurnRateRule: Sendable, Equatable {
    public var name: String
    public var longSeconds: Int64
    public var shortSeconds: Int64
    /// The share of the whole budget that burning at `factor` for `longSeconds` spends.
    public var budgetShare: Double
    public var page: Bool

    /// The workbook's three, for a 30-day window: 2 % of the budget in 1 h
    /// (burn rate 14.4) and 5 % in 6 h (6) page; 10 % in 3 days (1) is a ticket.
    public static let defaults: [BurnRateRule] = [
        BurnRateRule(name: "page_1h", longSeconds: 3_600, shortSeconds: 300, budgetShare: 0.02, page: true),
        BurnRateRule(name: "page_6h", longSeconds: 21_600, shortSeconds: 1_800, budgetShare: 0.05, page: true),
        BurnRateRule(name: "ticket_3d", longSeconds: 259_200, shortSeconds: 21_600, budgetShare: 0.10, page: false),
    ]

    /// The burn-rate threshold for an SLO window: 14.4, 6 and 1 for 30 days.
    public func factor(windowSeconds: Int64) -> Double {
        budgetShare * Double(windowSeconds) / Double(longSeconds)
    }

    /// The windows a run needs counts for.
    public static var windows: [Int64] {
        Array(Set(defaults.flatMap { [$0.longSeconds, $0.shortSeconds] })).sorted()
    }
}

/// One SLO's figures at one run.
public struct SLOStatus: Sendable, Equatable {
    public var window: PeriodCount
    public var objectivePct: Double
    public var windowSeconds: Int64
    /// Counts per burn-rate window length (seconds).
    public var recent: [Int64: PeriodCount]

    public init(window: PeriodCount, objectivePct: Double, windowSeconds: Int64, recent: [Int64: PeriodCount]) {
        self.window = window
        self.objectivePct = objectivePct
        self.windowSeconds = windowSeconds
        self.recent = recent
    }

    /// Percent of the window's periods that were good (nil: no periods).
    public var actualPct: Double? {
        window.total > 0 ? Double(window.good) / Double(window.total) * 100 : nil
    }

    public var met: Bool? { actualPct.map { $0 >= objectivePct } }

    /// Bad periods the objective allows over the window's periods.
    public var allowedViolations: Double { Double(window.total) * (1 - objectivePct / 100) }

    /// violations / allowed × 100 (the original's error budget figure).
    public var budgetConsumedPct: Double? {
        guard window.total > 0 else { return nil }
        let allowed = allowedViolations
        guard allowed > 0 else { return window.bad > 0 ? .infinity : 0 }
        return Double(window.bad) / allowed * 100
    }

    /// 100 − consumed: negative once the budget is overspent.
    public var budgetRemainingPct: Double? { budgetConsumedPct.map { 100 - $0 } }

    /// How fast a window spends the budget: its bad share over the allowed
    /// share (1 spends exactly the budget over the SLO window).
    public func burnRate(_ seconds: Int64) -> Double? {
        guard let c = recent[seconds], c.total > 0 else { return nil }
        return Double(c.bad) / Double(c.total) / (1 - objectivePct / 100)
    }

    /// Hours until the remaining budget is spent at the last hour's burn rate
    /// (0: already spent; nil: not burning, or no data).
    public var exhaustionHours: Double? {
        guard let remaining = budgetRemainingPct else { return nil }
        if remaining <= 0 { return 0 }
        guard let burn = burnRate(3_600), burn > 0 else { return nil }
        return remaining / 100 * Double(windowSeconds) / 3_600 / burn
    }

    /// The rules firing now.
    public func firing(_ rules: [BurnRateRule] = BurnRateRule.defaults) -> [BurnRateRule] {
        rules.filter { rule in
            let factor = rule.factor(windowSeconds: windowSeconds)
            guard let long = burnRate(rule.longSeconds), let short = burnRate(rule.shortSeconds) else { return false }
            return long >= factor && short >= factor
        }
    }
}
