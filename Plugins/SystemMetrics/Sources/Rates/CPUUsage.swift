/// Host CPU shares over the last interval.
public struct CPUUsage: Sendable, Hashable {
    public var aggregate: CPUPercentages
    /// Cores that were present in both samples, by index.
    public var cores: [CoreUsage]

    public init(aggregate: CPUPercentages, cores: [CoreUsage]) {
        self.aggregate = aggregate
        self.cores = cores
    }
}
