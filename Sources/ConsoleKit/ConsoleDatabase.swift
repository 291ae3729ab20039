#if canImport(Glibc)
import Glibc
#endif
import CollectorCore
import Synchronization

/// A few libpq connections, each owned by its own OS thread.
///
/// libpq calls block: run on NIO's event loops they would stall every other
/// request, and on Swift's cooperative pool (one thread per core) two slow
/// queries would stall the process. Requests enqueue a closure and await its
/// result; each worker keeps its connection open and reconnects after a
/// connection error.
package final class ConsoleDatabase: Sendable {
    private struct Job: Sendable {
        let run: @Sendable (PGConnection?, PGError?) -> Bool
    }

    private struct State {
        var queue: [Job] = []
        var stopping = false
    }

    private let state = Mutex(State())
    private let wake = Semaphore()
    private let conninfo: String
    package let size: Int

    /// `statementTimeoutMs` caps every page's query (the console must not pile up work).
    package init(config: DatabaseConfig, size: Int = 4, statementTimeoutMs: Int = 5_000) {
        conninfo = ConnectionString.make(config, applicationName: "pqcrypta-console", statementTimeoutMs: statementTimeoutMs)
        self.size = size
        for i in 0..<size {
            WorkerThread(name: "console-db-\(i)") { [self] in work() }.start()
        }
    }

    /// Stops the workers after the queued jobs (they finish with their connection).
    package func shutdown() {
        state.withLock { $0.stopping = true }
        for _ in 0..<size { wake.signal() }
    }

    /// Runs `body` with a connection on a worker thread.
    package func run<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws(PGError) -> T) async throws(PGError) -> T {
        let result: Result<T, PGError> = await withCheckedContinuation { continuation in
            let job = Job { connection, connectError in
                guard let connection else {
                    continuation.resume(returning: .failure(connectError ?? .connection("no connection")))
                    return false
                }
                do throws(PGError) {
                    continuation.resume(returning: .success(try body(connection)))
                    return true
                } catch {
                    continuation.resume(returning: .failure(error))
                    return error.kind != .connection
                }
            }
            let accepted = state.withLock { s -> Bool in
                guard !s.stopping else { return false }
                s.queue.append(job)
                return true
            }
            if accepted { wake.signal() } else { continuation.resume(returning: .failure(.connection("console is stopping"))) }
        }
        return try result.get()
    }

    private func work() {
        var connection: PGConnection?
        while true {
            wake.wait()
            let job: Job? = state.withLock { s in s.queue.isEmpty ? nil : s.queue.removeFirst() }
            guard let job else {
                if state.withLock({ $0.stopping }) { return }
                continue
            }
            var connectError: PGError?
            if connection == nil || connection?.isHealthy == false {
                do throws(PGError) {
                    let c = try PGConnection(conninfo: conninfo)
                    // JIT compiling pays off for long analytical queries; a page's queries are
                    // short, and compiling the plan of a log slice cost more (~17 ms) than running it.
                    try c.execute("SET jit = off")
                    connection = c
                } catch {
                    connection = nil
                    connectError = error
                }
            }
            if !job.run(connection, connectError) { connection = nil }
        }
    }
}

/// A counting semaphore over a pthread mutex and condition variable, allocated
/// once so their addresses never move.
private final class Semaphore: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var count = 0

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func signal() {
        pthread_mutex_lock(mutex)
        count += 1
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    func wait() {
        pthread_mutex_lock(mutex)
        while count == 0 { pthread_cond_wait(condition, mutex) }
        count -= 1
        pthread_mutex_unlock(mutex)
    }
}
