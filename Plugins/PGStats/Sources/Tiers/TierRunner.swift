/// Runs tiers with the rules they all share:
/// - a lost connection aborts the tick (`TickAbort`: the host retries it);
/// - an undefined column, table or function means the detected facts may be
///   stale: detect them again and run the tier once more;
/// - any other failure skips the tier this tick, warned once per start.
/// It also holds the facts detected once per connection (and again after a tier
/// found its data unavailable, until it is available).
struct TierRunner: Sendable {
    private var cache = ServerFactsCache()
    private var identity: ConnectionIdentity?
    private(set) var facts: ServerFacts?
    var problems = TierProblems()
    let log: LogSink

    init(log: LogSink) { self.log = log }

    /// Reads the instance sample and makes sure the facts match this
    /// connection. nil: the tick cannot go on (already logged).
    mutating func begin(_ session: any SQLSession) throws(TickAbort) -> (InstanceSample, ServerFacts)? {
        do {
            guard let instance = try InstanceProbe.read(session) else {
                problems.once("instance", "the server's identity could not be read; tick skipped", log: log)
                return nil
            }
            identity = instance.identity
            let (facts, detected) = try cache.facts(for: instance.identity, session: session)
            if detected { log.debug("connected to PostgreSQL \(facts.version); pg_stat_statements \(facts.statements == nil ? "absent" : "present")") }
            self.facts = facts
            return (instance, facts)
        } catch {
            if error.kind == .connection { throw TickAbort(message: error.message) }
            problems.once("instance:\(error.kind)", "the server's identity could not be read; tick skipped: \(error.message)", log: log)
            return nil
        }
    }

    /// Runs `query`. nil: nothing to use this tick (unsupported, unavailable or
    /// failed; reported as the rules above say).
    mutating func rows(_ query: some TierQuery, _ session: any SQLSession) throws(TickAbort) -> ResultRows? {
        var retried = false
        while true {
            guard let facts else { return nil }
            let sql: String
            switch query.sql(for: facts) {
            case .unsupported:
                return nil
            case .unavailable(let reason):
                problems.unavailable(query.tier, reason, log: log)
                // Detect again at the next tick, so e.g. a CREATE EXTENSION is noticed
                // without waiting for a new connection (one catalog query per tick).
                cache.invalidate()
                return nil
            case .statement(let text):
                sql = text
            }
            do {
                let result = try session.query(sql, query.parameters)
                problems.succeeded(query.tier, log: log)
                return result
            } catch {
                if error.kind == .connection { throw TickAbort(message: error.message) }
                if error.kind == .undefinedObject, !retried, let identity {
                    // The server or an extension may have changed under us: detect again, retry once.
                    retried = true
                    cache.invalidate()
                    do {
                        self.facts = try cache.facts(for: identity, session: session).0
                    } catch {
                        if error.kind == .connection { throw TickAbort(message: error.message) }
                        // Detected again at the next tick's begin(); this tier is skipped now.
                        self.facts = nil
                        problems.failed(query.tier, error, version: facts.version, log: log)
                        return nil
                    }
                    continue
                }
                problems.failed(query.tier, error, version: facts.version, log: log)
                return nil
            }
        }
    }
}
