/// How many log rows each hour holds, from `log_metrics_hourly`: what a scan
/// of `log_entries` over a span will read, known before reading it. The log
/// page sizes its scans with it, so a request reads about a fixed number of
/// rows however busy the logs are: a quiet log is searched over days, a busy
/// one over minutes, and the page says which.
///
/// Counts are of every host (a scan through the BRIN index on `ts`, or the
/// partial index on error/warn/fatal rows, reads every host's rows of the span).
/// Hours after the newest rolled-up one (the current hour, or a rollup running
/// late) are taken to be as busy as it. With no rolled-up hour at all (a new
/// database) nothing is known and callers fall back to a fixed span.
package struct LogVolume: Sendable {
    package enum Kind: Int, Sendable {
        /// every row (what a scan through the `ts` BRIN index reads)
        case all = 0
        /// error, warn and fatal rows (the partial indexes)
        case problems = 1
        /// rows of the security sources (`ConsoleStore.securitySources`)
        case security = 2
    }

    /// Hour start (epoch seconds) → rows of each kind.
    package var hours: [Int64: [Double]] = [:]
    /// The earliest time the counts cover; a scan reaching before it needs more counts.
    package var coveredFrom: Double

    package init(coveredFrom: Double, hours: [Int64: [Double]] = [:]) {
        self.coveredFrom = coveredFrom
        self.hours = hours
    }

    package var isKnown: Bool { !hours.isEmpty }

    private var newest: Int64? { hours.keys.max() }

    private func rate(_ kind: Kind, hour: Int64, newest: Int64?) -> Double {
        if let n = hours[hour] { return n[kind.rawValue] }
        if let newest, hour > newest { return hours[newest]?[kind.rawValue] ?? 0 }
        return 0
    }

    static func hourStart(_ t: Double) -> Int64 { Int64((t / 3600).rounded(.down)) * 3600 }

    /// Walks [from, to) backwards an hour at a time (partial hours at the ends),
    /// handing `body` each piece's bounds and its estimated rows of `kind`
    /// (pro rata within partial hours) until it returns false.
    private func walk(_ kind: Kind, from: Double, to: Double, _ body: (_ lower: Double, _ upper: Double, _ rows: Double) -> Bool) {
        let newest = self.newest
        var t = to
        while t > from {
            let h = Self.hourStart(t.nextDown)
            let lower = max(Double(h), from)
            guard body(lower, t, rate(kind, hour: h, newest: newest) * (t - lower) / 3600) else { return }
            t = lower
        }
    }

    /// Estimated rows of `kind` in [from, to).
    package func rows(_ kind: Kind, from: Double, to: Double) -> Double {
        var total = 0.0
        walk(kind, from: from, to: to) { _, _, n in total += n; return true }
        return total
    }

    /// The start of the newest span ending at `to` that holds about `budget`
    /// rows of `kind`: never shorter than `minSpan`, never before `from`.
    package func spanStart(_ kind: Kind, to: Double, from: Double, budget: Double, minSpan: Double) -> Double {
        var spent = 0.0
        var start = from
        walk(kind, from: from, to: to) { lower, upper, n in
            guard spent + n >= budget, n > 0 else { spent += n; return true }
            start = upper - (budget - spent) / n * (upper - lower)
            return false
        }
        return max(from, min(start, to - minSpan))
    }

    /// Adds the counts of an earlier stretch (fetched when a scan reaches back past `coveredFrom`).
    package mutating func merge(_ earlier: LogVolume) {
        hours.merge(earlier.hours) { current, _ in current }
        coveredFrom = min(coveredFrom, earlier.coveredFrom)
    }
}
