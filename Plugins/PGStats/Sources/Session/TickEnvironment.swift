/// Everything a tick talks to, bundled so the same tick code runs against the
/// host in the daemon and against stand-ins in unit tests.
struct TickEnvironment {
    let session: any SQLSession
    let sink: any RowSink
    let log: LogSink
    /// Monotonic nanoseconds, for rates (`PluginHost.monotonicNanos`).
    let clock: @Sendable () -> UInt64
    /// Wall clock, microseconds since the epoch (`PluginHost.nowMicros`): the
    /// `ts` of the rows of one tick.
    let now: @Sendable () -> Int64
}
