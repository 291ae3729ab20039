#if canImport(Glibc)
import Glibc
#endif

/// Blocks SIGTERM/SIGINT/SIGHUP in every thread (call before starting any) and
/// lets the main thread wait for them synchronously: no async-signal-safety
/// concerns, no handler running on a random tick thread.
package enum SignalWaiter {
    private static func set() -> sigset_t {
        var s = sigset_t()
        sigemptyset(&s)
        sigaddset(&s, SIGTERM)
        sigaddset(&s, SIGINT)
        sigaddset(&s, SIGHUP)
        return s
    }

    package static func blockTerminationSignals() {
        var s = set()
        pthread_sigmask(SIG_BLOCK, &s, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// Waits for a termination signal; SIGHUP is reported but does not stop.
    package static func wait() -> Int32 {
        var s = set()
        var received: Int32 = 0
        while sigwait(&s, &received) != 0 {}
        return received
    }
}
