/// Turns successive /proc/stat snapshots into CPU percentages.
public struct CPUUsageCalculator: Sendable {
    private var previous: ProcStatSnapshot?

    public init() {}

    /// Percentages since the previous snapshot; nil on the first call and
    /// whenever the counters went backwards (a reset), in which case `current`
    /// becomes the new baseline.
    public mutating func update(with current: ProcStatSnapshot) -> CPUUsage? {
        guard let previous else {
            self.previous = current
            return nil
        }
        if current.aggregate.total < previous.aggregate.total {
            self.previous = current
            return nil
        }
        guard let aggregate = Self.percentages(from: previous.aggregate, to: current.aggregate) else {
            // Same jiffy: keep the older baseline so the next interval is measurable.
            return nil
        }
        var cores: [CoreUsage] = []
        cores.reserveCapacity(current.cores.count)
        for (position, core) in current.cores.enumerated() {
            guard let before = Self.core(core.index, in: previous.cores, hint: position),
                core.times.total >= before.times.total,
                let percentages = Self.percentages(from: before.times, to: core.times)
            else { continue }  // a core just brought online, or reset: primes for next time
            cores.append(CoreUsage(core: core.index, percentages: percentages))
        }
        self.previous = current
        return CPUUsage(aggregate: aggregate, cores: cores)
    }

    private static func core(_ index: Int, in cores: [CoreTimes], hint: Int) -> CoreTimes? {
        if hint < cores.count, cores[hint].index == index { return cores[hint] }
        return cores.first { $0.index == index }
    }

    /// Individual columns are clamped at zero rather than failing the whole
    /// interval: iowait is known to step backwards on NO_HZ kernels while the
    /// other columns keep counting.
    static func percentages(from before: CPUTimes, to after: CPUTimes) -> CPUPercentages? {
        func delta(_ old: UInt64, _ new: UInt64) -> Double { new > old ? Double(new - old) : 0 }
        let user = delta(before.user, after.user) + delta(before.nice, after.nice)
        let system =
            delta(before.system, after.system) + delta(before.irq, after.irq)
            + delta(before.softirq, after.softirq)
        let iowait = delta(before.iowait, after.iowait)
        let steal = delta(before.steal, after.steal)
        let idle = delta(before.idle, after.idle)
        let total = user + system + iowait + steal + idle
        guard total > 0 else { return nil }
        func share(_ part: Double) -> Double { part * 100 / total }
        return CPUPercentages(
            user: share(user), system: share(system), iowait: share(iowait), steal: share(steal), idle: share(idle))
    }
}
