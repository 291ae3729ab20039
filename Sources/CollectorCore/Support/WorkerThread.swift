#if canImport(Glibc)
import Glibc
#endif

/// A named OS thread running one closure. Ticks get their own threads because
/// plugin callbacks are blocking C calls that must not starve Swift's
/// cooperative pool (two threads on this machine) or each other.
package final class WorkerThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: () -> Void
    package let name: String
    /// Set when `body` returned: lets `join(untilNanos:)` give up on a thread
    /// stuck in plugin code instead of waiting forever.
    private let finished = StopSignal()

    package init(name: String, body: @escaping () -> Void) {
        self.name = name
        self.body = body
    }

    package func start() {
        let context = Unmanaged.passRetained(self).toOpaque()
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        // Ticks are shallow; 512 KiB keeps dozens of threads cheap.
        pthread_attr_setstacksize(&attr, 512 << 10)
        let rc = pthread_create(&thread, &attr, { raw in
            let worker = Unmanaged<WorkerThread>.fromOpaque(raw!).takeRetainedValue()
            ThreadName.set(worker.name)
            worker.body()
            worker.finished.stop()
            return nil
        }, context)
        pthread_attr_destroy(&attr)
        precondition(rc == 0, "pthread_create failed: \(rc)")
    }

    package func join() {
        pthread_join(thread, nil)
    }

    /// Joins the thread if it finishes before the monotonic deadline and
    /// returns true; otherwise detaches it (it is abandoned: the process is
    /// about to exit, or its work outlived the caller's deadline) and returns false.
    package func join(untilNanos deadline: UInt64) -> Bool {
        if finished.wait(untilNanos: deadline) {
            pthread_join(thread, nil)
            return true
        }
        pthread_detach(thread)
        return false
    }
}
