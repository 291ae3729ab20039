import Synchronization

/// Counters of one tick, kept by the scheduler and shown in logs and stats.
struct TickStats: Sendable, Equatable {
    var runs = 0
    var failures = 0
    var consecutiveFailures = 0
    /// Runs skipped because the previous run was still going when it was due.
    var skipped = 0
    var lastDurationNanos: UInt64 = 0
    var maxDurationNanos: UInt64 = 0
    /// Current extra delay from backoff; 0 when healthy.
    var backoffSecs = 0
    var lastError = ""
    var disabled = false
}

/// Shared table of tick stats, readable from any thread.
final class StatsRegistry: Sendable {
    private let ticks = Mutex<[String: TickStats]>([:])
    private let counters = Mutex<[String: Int]>([:])

    func update(_ id: String, _ body: (inout TickStats) -> Void) {
        ticks.withLock { body(&$0[id, default: TickStats()]) }
    }

    func stats(_ id: String) -> TickStats? { ticks.withLock { $0[id] } }

    func snapshot() -> [String: TickStats] { ticks.withLock { $0 } }

    /// Host-wide counters ("writer.dropped_rows", "logs.unparsed_lines").
    func add(_ counter: String, _ delta: Int = 1) { counters.withLock { $0[counter, default: 0] += delta } }

    func counter(_ name: String) -> Int { counters.withLock { $0[name] ?? 0 } }

    func countersSnapshot() -> [String: Int] { counters.withLock { $0 } }
}
