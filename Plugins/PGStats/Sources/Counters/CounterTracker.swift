/// Keeps the previous snapshot of one counter group. Every reading replaces it,
/// so after a reset the next sample is the new baseline (re-primed).
struct CounterTracker: Sendable {
    private var previous: CounterSnapshot?

    init() {}

    /// The change since the last reading (nil when there is none to report),
    /// remembering `snapshot` for the next call.
    mutating func advance(to snapshot: CounterSnapshot) -> CounterDelta? {
        defer { previous = snapshot }
        return CounterDelta.between(previous, snapshot)
    }

    /// Forgets the baseline (e.g. the group could not be read this tick).
    mutating func reset() { previous = nil }
}
