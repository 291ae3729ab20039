import Synchronization

/// Counters of one tick, kept by the scheduler and shown in logs and stats.
package struct TickStats: Sendable, Equatable {
    package var runs = 0
    package var failures = 0
    package var consecutiveFailures = 0
    /// Runs skipped because the previous run was still going when it was due.
    package var skipped = 0
    package var lastDurationNanos: UInt64 = 0
    package var maxDurationNanos: UInt64 = 0
    /// Current extra delay from backoff; 0 when healthy.
    package var backoffSecs = 0
    package var lastError = ""
    package var disabled = false
    /// The tick's interval, for judging a run stuck.
    package var intervalNanos: UInt64 = 0
    /// Monotonic start of the run in progress; 0 when idle.
    package var runningSinceNanos: UInt64 = 0
}

/// Shared table of tick stats, readable from any thread.
package final class StatsRegistry: Sendable {
    package init() {}

    private let ticks = Mutex<[String: TickStats]>([:])
    private let counters = Mutex<[String: Int]>([:])

    package func update(_ id: String, _ body: (inout TickStats) -> Void) {
        ticks.withLock { body(&$0[id, default: TickStats()]) }
    }

    package func stats(_ id: String) -> TickStats? { ticks.withLock { $0[id] } }

    package func snapshot() -> [String: TickStats] { ticks.withLock { $0 } }

    /// Host-wide counters ("writer.dropped_rows", "logs.unparsed_lines").
    package func add(_ counter: String, _ delta: Int = 1) { counters.withLock { $0[counter, default: 0] += delta } }

    package func counter(_ name: String) -> Int { counters.withLock { $0[name] ?? 0 } }

    package func countersSnapshot() -> [String: Int] { counters.withLock { $0 } }
}
