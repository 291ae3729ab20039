/// Turns successive readings of one cumulative counter into steps.
///
/// Reset-aware: a counter that went down (the process restarted, or its stats
/// were reset) or a sample flagged as restarted re-primes instead of producing
/// a negative or inflated rate. The first reading only primes, so the first
/// row after start-up has no rate (NULL), like the other derived columns.
struct CounterRate: Sendable {
    private var previous: (value: Int64, nanos: UInt64)?

    init() {}

    /// Records `value` read at `nanos` (monotonic); returns the step since the
    /// previous reading, or nil when there is nothing to compare against.
    mutating func advance(to value: Int64?, atNanos nanos: UInt64, restarted: Bool = false) -> CounterStep? {
        guard let value else {
            // A counter missing from this sample breaks continuity: start over.
            previous = nil
            return nil
        }
        defer { previous = (value, nanos) }
        guard let previous, !restarted, value >= previous.value, nanos > previous.nanos else { return nil }
        return CounterStep(delta: value - previous.value, seconds: Double(nanos - previous.nanos) / 1e9)
    }
}
