/// Which server connection answered: the backend's pid and the server's start
/// time. When it changes, the lane reconnected (maybe to another server, maybe
/// after an upgrade), so facts detected "once per connection" are detected again.
struct ConnectionIdentity: Sendable, Equatable {
    let backendPID: Int64
    /// `pg_postmaster_start_time()`, microseconds since the epoch.
    let serverStartedAt: Int64
}
