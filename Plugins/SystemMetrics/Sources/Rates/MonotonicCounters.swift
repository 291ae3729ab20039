/// Named cumulative counters that should only grow between two reads.
protocol MonotonicCounters: Sendable {
    var name: String { get }
    /// True when any counter is lower than in `earlier`: the device or
    /// interface was re-created, or a counter wrapped.
    func hasDecreased(since earlier: Self) -> Bool
}
