/// Ends a tick early: the database connection is gone (or the host's buffer is
/// full), so the host should back off and retry the whole tick.
struct TickAbort: Error, Sendable, Equatable {
    let message: String
}
