/// Remembers the previous read of a list of named counters and pairs each
/// current entry with its predecessor. Entries without a usable predecessor
/// (first read, new name, decreased counters) are not paired: they only
/// become the baseline for the next interval.
struct CounterHistory<Counters: MonotonicCounters>: Sendable {
    private var previous: [Counters] = []
    private var previousInstant: SampleInstant?

    /// Calls `body(before, after, seconds)` for every pairable entry, then
    /// makes `current` the baseline.
    mutating func advance(
        to current: [Counters], at instant: SampleInstant, _ body: (Counters, Counters, Double) -> Void
    ) {
        defer {
            previous = current
            previousInstant = instant
        }
        guard let previousInstant else { return }
        let seconds = instant.seconds(since: previousInstant)
        // A clock that did not move (or moved back) gives no meaningful rate: re-prime.
        guard seconds > 0 else { return }
        for (position, counters) in current.enumerated() {
            guard let before = predecessor(of: counters.name, hint: position),
                !counters.hasDecreased(since: before)
            else { continue }
            body(before, counters, seconds)
        }
    }

    /// Devices and interfaces keep their order between reads, so the same
    /// position is checked before searching.
    private func predecessor(of name: String, hint: Int) -> Counters? {
        if hint < previous.count, previous[hint].name == name { return previous[hint] }
        return previous.first { $0.name == name }
    }
}
