/// The facts of the current connection, detected again only when the
/// connection identity changes or a query proves them stale.
struct ServerFactsCache: Sendable {
    private var identity: ConnectionIdentity?
    private var facts: ServerFacts?

    init() {}

    /// The facts for `identity`, detecting them when the connection is new.
    /// The second value is true when they were (re)detected by this call.
    mutating func facts(for identity: ConnectionIdentity, session: any SQLSession) throws(QueryError) -> (ServerFacts, Bool) {
        if let facts, self.identity == identity { return (facts, false) }
        let fresh = try ServerFactsProbe.read(session)
        self.identity = identity
        facts = fresh
        return (fresh, true)
    }

    /// Forgets the facts: the next `facts(for:session:)` detects them again.
    mutating func invalidate() {
        identity = nil
        facts = nil
    }
}
