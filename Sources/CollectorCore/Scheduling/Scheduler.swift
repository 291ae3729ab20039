
/// Runs every tick on its own thread at its interval.
///
/// A run still going when the tick is due again makes the scheduler skip the
/// missed slots (counted), never queue them. Failing ticks are backed off
/// exponentially up to a cap; a `fail` outcome disables the tick.
package final class Scheduler: @unchecked Sendable {
    private let stopSignal = StopSignal()
    private var threads: [(job: TickJob, thread: WorkerThread)] = []
    private let stats: StatsRegistry
    private let backoffCapNanos: UInt64
    private let logger: Logger

    package init(stats: StatsRegistry, backoffCapSecs: Int, logger: Logger = Logger(label: "scheduler")) {
        self.stats = stats
        self.backoffCapNanos = UInt64(max(1, backoffCapSecs)) * 1_000_000_000
        self.logger = logger
    }

    /// Starts a thread for `job`. Its first run is one interval from now unless `runImmediately`.
    package func start(_ job: TickJob, runImmediately: Bool = false) {
        let thread = WorkerThread(name: "tick:\(job.id)") { [self] in loop(job, runImmediately: runImmediately) }
        threads.append((job, thread))
        stats.update(job.id) { $0.intervalNanos = job.intervalNanos }
        thread.start()
    }

    /// Asks every tick to stop and waits for runs in progress to finish.
    package func stop() {
        stopSignal.stop()
        for (_, thread) in threads { thread.join() }
        threads.removeAll()
    }

    /// Asks every tick to stop and waits for runs in progress until the
    /// monotonic deadline. Returns the jobs whose run did not finish by then
    /// (stuck in plugin code): their threads are abandoned, not joined.
    package func stop(untilNanos deadline: UInt64) -> [TickJob] {
        stopSignal.stop()
        var stuck: [TickJob] = []
        for (job, thread) in threads where !thread.join(untilNanos: deadline) { stuck.append(job) }
        threads.removeAll()
        return stuck
    }

    package var isStopping: Bool { stopSignal.isStopped }

    private func loop(_ job: TickJob, runImmediately: Bool) {
        let interval = max(job.intervalNanos, 1_000_000)
        var due = MonotonicClock.nowNanos() + (runImmediately ? 0 : interval)
        var consecutiveFailures = 0
        while !stopSignal.wait(untilNanos: due) {
            let started = MonotonicClock.nowNanos()
            stats.update(job.id) { $0.runningSinceNanos = started }
            let outcome = job.run()
            let finished = MonotonicClock.nowNanos()
            stats.update(job.id) { $0.runningSinceNanos = 0 }
            let duration = finished - started

            switch outcome {
            case .ok:
                if consecutiveFailures > 0 {
                    logger.info("tick \(job.id) recovered after \(consecutiveFailures) failure(s)")
                }
                consecutiveFailures = 0
                stats.update(job.id) {
                    $0.runs += 1
                    $0.consecutiveFailures = 0
                    $0.backoffSecs = 0
                    $0.lastDurationNanos = duration
                    $0.maxDurationNanos = max($0.maxDurationNanos, duration)
                }
            case .retry(let message):
                consecutiveFailures += 1
                let delay = backoffDelay(interval: interval, failures: consecutiveFailures)
                let failures = consecutiveFailures
                stats.update(job.id) {
                    $0.runs += 1
                    $0.failures += 1
                    $0.consecutiveFailures = failures
                    $0.backoffSecs = Int(delay / 1_000_000_000)
                    $0.lastError = message
                    $0.lastDurationNanos = duration
                    $0.maxDurationNanos = max($0.maxDurationNanos, duration)
                }
                logger.warning("tick \(job.id) failed (\(failures) in a row): \(message); next try in \(delay / 1_000_000_000)s")
                due = finished + delay
                continue
            case .fail(let message):
                stats.update(job.id) {
                    $0.runs += 1
                    $0.failures += 1
                    $0.lastError = message
                    $0.disabled = true
                }
                logger.error("tick \(job.id) gave up: \(message); disabled until restart")
                return
            }

            // Next slot on the original grid; slots that passed during the run are skipped.
            due += interval
            if due <= finished {
                let missed = (finished - due) / interval + 1
                due += missed * interval
                stats.update(job.id) { $0.skipped += Int(missed) }
                logger.debug("tick \(job.id) ran \(duration / 1_000_000) ms, skipped \(missed) slot(s)")
            }
        }
    }

    /// interval × 2^failures, capped.
    package func backoffDelay(interval: UInt64, failures: Int) -> UInt64 {
        let shift = UInt64(min(failures, 30))
        let (scaled, overflow) = interval.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? backoffCapNanos : min(scaled, max(backoffCapNanos, interval))
    }
}
