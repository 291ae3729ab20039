import Synchronization

/// Keeps the tick's state between runs. The host never runs a tick
/// concurrently with itself, so the lock is never contended; it is there so
/// the state is Sendable by construction rather than by promise.
final class TickState: Sendable {
    let tick: Mutex<AppMetricsTick>

    init(_ tick: AppMetricsTick) {
        self.tick = Mutex(tick)
    }
}
