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

    /// Estimated rows of `kind` in [from, to), pro rata within partial hours.
    package func rows(_ kind: Kind, from: Double, to: Double) -> Double {
        let newest = self.newest
        var total = 0.0
        var t = to
        while t > from {
            let h = Self.hourStart(t.nextDown)
            let lower = max(Double(h), from)
            total += rate(kind, hour: h, newest: newest) * (t - lower) / 3600
            t = lower
        }
        return total
    }

    /// The start of the newest span ending at `to` that holds about `budget`
    /// rows of `kind`: never shorter than `minSpan`, never before `from`.
    package func spanStart(_ kind: Kind, to: Double, from: Double, budget: Double, minSpan: Double) -> Double {
        let newest = self.newest
        var spent = 0.0
        var t = to
        while t > from {
            let h = Self.hourStart(t.nextDown)
            let lower = max(Double(h), from)
            let n = rate(kind, hour: h, newest: newest) * (t - lower) / 3600
            if spent + n >= budget, n > 0 {
                t -= (budget - spent) / n * (t - lower)
                break
            }
            spent += n
            t = lower
        }
        return max(from, min(t, to - minSpan))
    }

    /// Adds the counts of an earlier stretch (fetched when a scan reaches back past `coveredFrom`).
    package mutating func merge(_ earlier: LogVolume) {
        hours.merge(earlier.hours) { current, _ in current }
        coveredFrom = min(coveredFrom, earlier.coveredFrom)
    }
}
