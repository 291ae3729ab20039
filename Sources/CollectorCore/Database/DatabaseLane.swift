import Synchronization

/// One of the host's (at most two) database connections, shared by the ticks of
/// its lane. Reconnects lazily with capped exponential backoff, so while the
/// database is down every call fails fast with a `.connection` error and the
/// daemon keeps running.
package final class DatabaseLane: Sendable {
    package let lane: Lane
    private let conninfo: String
    private let maxBackoffNanos: UInt64
    private let logger: Logger

    private struct State: ~Copyable {
        package var connection: PGConnection?
        package var failures = 0
        package var retryAtNanos: UInt64 = 0
        package var everConnected = false
    }
    private let state: Mutex<State>

    package init(lane: Lane, config: DatabaseConfig, statementTimeoutMs: Int, logger: Logger = Logger(label: "db")) {
        self.lane = lane
        self.conninfo = ConnectionString.make(
            config, applicationName: "pqcrypta-collector/\(lane.rawValue)", statementTimeoutMs: statementTimeoutMs)
        self.maxBackoffNanos = UInt64(config.reconnectMaxSecs) * 1_000_000_000
        self.logger = logger
        self.state = Mutex(State())
    }

    /// Runs `body` with the lane's connection, connecting first if needed.
    /// A connection-class error drops the connection so the next call reconnects.
    package func withConnection<T>(_ body: (PGConnection) throws(PGError) -> T) throws(PGError) -> T {
        try state.withLock { (s: inout State) throws(PGError) -> T in
            let connection = try connected(&s)
            do throws(PGError) {
                return try body(connection)
            } catch {
                if error.isConnectionLoss || !connection.isHealthy {
                    logger.warning("database connection (\(lane.rawValue) lane) lost: \(error)")
                    s.connection = nil
                    s.retryAtNanos = 0
                }
                throw error
            }
        }
    }

    /// True when a connection is open (no network round trip).
    package var isConnected: Bool { state.withLock { $0.connection?.isHealthy ?? false } }

    package func disconnect() { state.withLock { $0.connection = nil } }

    private func connected(_ s: inout State) throws(PGError) -> PGConnection {
        if let c = s.connection, c.isHealthy { return c }
        s.connection = nil
        let now = MonotonicClock.nowNanos()
        guard now >= s.retryAtNanos else {
            throw .connection("database unavailable; reconnecting in \((s.retryAtNanos - now) / 1_000_000_000 + 1)s")
        }
        do {
            let c = try PGConnection(conninfo: conninfo)
            if s.failures > 0 || !s.everConnected {
                logger.info("connected to PostgreSQL (\(lane.rawValue) lane)")
            }
            s.connection = c
            s.failures = 0
            s.everConnected = true
            return c
        } catch {
            s.failures += 1
            let delay = min(UInt64(1) << UInt64(min(s.failures, 20)), max(1, maxBackoffNanos / 1_000_000_000)) * 1_000_000_000
            s.retryAtNanos = now + delay
            if s.failures == 1 || s.failures % 10 == 0 {
                logger.warning("cannot connect to PostgreSQL (\(lane.rawValue) lane, attempt \(s.failures)): \(error); retrying in \(delay / 1_000_000_000)s")
            }
            throw error
        }
    }
}
