/// The CPU part of one /proc/stat read.
public struct ProcStatSnapshot: Sendable, Hashable {
    public var aggregate: CPUTimes
    /// Per-core times keyed by the N of "cpuN"; offline cores are absent.
    public var cores: [CoreTimes]

    public init(aggregate: CPUTimes, cores: [CoreTimes]) {
        self.aggregate = aggregate
        self.cores = cores
    }
}

/// Times of one "cpuN" line.
public struct CoreTimes: Sendable, Hashable {
    public var index: Int
    public var times: CPUTimes

    public init(index: Int, times: CPUTimes) {
        self.index = index
        self.times = times
    }
}
