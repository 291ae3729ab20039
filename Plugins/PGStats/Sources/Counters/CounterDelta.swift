/// How much a group of counters grew between two snapshots of the same epoch,
/// and over how long. There is no delta across a reset: `between` returns nil
/// and the caller stores NULL rates for that sample (re-priming), never a
/// negative value.
struct CounterDelta: Sendable, Equatable {
    /// Elapsed time between the two readings.
    let seconds: Double
    private let deltas: [String: Int64]

    init(seconds: Double, deltas: [String: Int64]) {
        self.seconds = seconds
        self.deltas = deltas
    }

    /// The growth of `name`, nil when either reading lacked it.
    func delta(_ name: String) -> Int64? { deltas[name] }

    /// Growth per second of `name`.
    func perSecond(_ name: String) -> Double? {
        guard let d = deltas[name], seconds > 0 else { return nil }
        return Double(d) / seconds
    }

    /// Growth per second of the sum of `names`; nil unless all of them are known.
    func perSecond(sumOf names: [String]) -> Double? {
        var total: Int64 = 0
        for name in names {
            guard let d = deltas[name] else { return nil }
            total &+= d
        }
        return seconds > 0 ? Double(total) / seconds : nil
    }

    /// The change from `previous` to `current`, or nil when there is none to
    /// report: no previous reading, a different epoch, no time elapsed, or any
    /// counter that went down (a reset the epoch did not show, e.g. a server
    /// that does not set stats_reset for this group). Counters are reset as a
    /// group, so one that went down invalidates the whole group.
    static func between(_ previous: CounterSnapshot?, _ current: CounterSnapshot) -> CounterDelta? {
        guard let previous, previous.epoch == current.epoch, current.takenAtNanos > previous.takenAtNanos else { return nil }
        var deltas: [String: Int64] = [:]
        for (name, now) in current.values {
            guard let before = previous.values[name] else { continue }
            guard now >= before else { return nil }
            deltas[name] = now - before
        }
        return CounterDelta(seconds: Double(current.takenAtNanos - previous.takenAtNanos) / 1e9, deltas: deltas)
    }
}
