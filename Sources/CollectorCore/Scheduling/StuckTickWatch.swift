
/// Finds ticks whose current run has lasted longer than `factor` × their
/// interval (and at least `minimumSecs`), logs each once, and keeps one open
/// ALERT `tick_stuck` per stuck tick, resolved when its run ends. Every tick
/// runs on its own thread, so a stuck one delays no other; this is how an
/// operator learns about it.
package final class StuckTickWatch: @unchecked Sendable {
    package let factor: Int
    package let minimumSecs: Int
    private let stats: StatsRegistry
    private let hostname: String
    private let logger = Logger(label: "scheduler")
    /// Stuck tick ids as last stored (nil: nothing stored yet, so the first
    /// run also resolves alerts a previous process left open). Used by the
    /// watch job's thread only.
    private var stored: Set<String>?
    private var logged: Set<String> = []

    package init(stats: StatsRegistry, hostname: String, factor: Int, minimumSecs: Int) {
        self.stats = stats
        self.hostname = hostname
        self.factor = max(2, factor)
        self.minimumSecs = max(1, minimumSecs)
    }

    /// How long a run of a tick with this interval may last before it is stuck.
    package func limitNanos(intervalNanos: UInt64) -> UInt64 {
        max(intervalNanos.multipliedReportingOverflow(by: UInt64(factor)).partialValue, UInt64(minimumSecs) * 1_000_000_000)
    }

    /// The ticks stuck right now, with how long their run has lasted (seconds).
    package func stuckTicks(nowNanos: UInt64 = MonotonicClock.nowNanos()) -> [(id: String, secs: Double, limitSecs: Double)] {
        stats.snapshot().compactMap { id, s in
            guard s.runningSinceNanos > 0, nowNanos > s.runningSinceNanos else { return nil }
            let running = nowNanos - s.runningSinceNanos
            let limit = limitNanos(intervalNanos: s.intervalNanos)
            guard running > limit else { return nil }
            return (id, Double(running) / 1e9, Double(limit) / 1e9)
        }.sorted { $0.id < $1.id }
    }

    /// One check: logs changes and, when the set of stuck ticks changed,
    /// stores it as the `host.tick_watch` analyzer's open alerts.
    package func check(sink: FindingSink) -> TickOutcome {
        let stuck = stuckTicks()
        let ids = Set(stuck.map(\.id))
        for tick in stuck where !logged.contains(tick.id) {
            logger.error("tick \(tick.id) stuck: its run has lasted \(Int(tick.secs))s (limit \(Int(tick.limitSecs))s); other ticks go on")
        }
        for id in logged.subtracting(ids) { logger.info("tick \(id) is no longer stuck") }
        logged = ids
        guard stored != ids else { return .ok }
        let findings = stuck.map { tick in
            FindingRecord(
                kind: .alert, severity: "critical", key: "tick_stuck:\(tick.id)", domain: "collector", metric: "tick_stuck",
                target: tick.id, title: "Collector tick \(tick.id) is stuck",
                description: "The run of \(tick.id) on \(hostname) has lasted \(Int(tick.secs))s, more than \(factor) × its interval "
                    + "(limit \(Int(tick.limitSecs))s). Its thread is blocked, most likely in plugin code; other ticks keep running.",
                action: "Check the collector's log for the tick's plugin; isolate the plugin ([plugin.<name>] isolate = true) or disable it.",
                value: tick.secs, threshold: tick.limitSecs, zScore: nil, dedupWindowSecs: 3600)
        }
        do throws(PGError) {
            try sink.complete(plugin: "host", analyzer: "tick_watch", findings: findings, lane: .fast)
            stored = ids
            return .ok
        } catch {
            return .retry("storing tick_stuck alerts: \(error)")
        }
    }
}
