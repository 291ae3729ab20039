/// What one run of a tick reports to the scheduler.
package enum TickOutcome: Sendable, Equatable {
    case ok
    /// Transient failure: back off and try again.
    case retry(String)
    /// Permanent failure: disable the tick until restart.
    case fail(String)
}

/// One schedulable unit: a host job, a plugin tick or a plugin analyzer.
package struct TickJob: Sendable {
    /// "host/heartbeat", "system_metrics/sys".
    package let id: String
    package let owner: String
    package let intervalNanos: UInt64
    package let lane: Lane
    package let run: @Sendable () -> TickOutcome
}
