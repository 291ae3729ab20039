/// What one run of a tick reports to the scheduler.
enum TickOutcome: Sendable, Equatable {
    case ok
    /// Transient failure: back off and try again.
    case retry(String)
    /// Permanent failure: disable the tick until restart.
    case fail(String)
}

/// One schedulable unit: a host job, a plugin tick or a plugin analyzer.
struct TickJob: Sendable {
    /// "host/heartbeat", "system_metrics/sys".
    let id: String
    let owner: String
    let intervalNanos: UInt64
    let lane: Lane
    let run: @Sendable () -> TickOutcome
}
