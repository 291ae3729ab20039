/// Failures already reported this start. The first failure of a kind for a tier
/// is a warning; repeats are debug lines, so a tier that keeps failing (no
/// privilege, no extension) costs one warning per start, not one per tick.
struct TierProblems: Sendable {
    private var reported: Set<String> = []
    private var failing: Set<StatsTier> = []

    init() {}

    /// Reports that `tier` was skipped this tick because of `error`.
    mutating func failed(_ tier: StatsTier, _ error: QueryError, version: ServerVersion?, log: LogSink) {
        let why: String = switch error.kind {
        case .privilege: "the collector's role may not read it (grant it pg_monitor)"
        case .prerequisite: "a prerequisite is missing"
        case .undefinedObject: "this server lacks an object the query needs" + (version.map { " (PostgreSQL \($0))" } ?? "")
        case .connection, .other: "the query failed"
        }
        report(tier, key: "\(error.kind)", message: "\(tier.rawValue) skipped: \(why): \(error.message)", log: log)
    }

    /// Reports that `tier` is unavailable here (e.g. extension not installed).
    mutating func unavailable(_ tier: StatsTier, _ reason: String, log: LogSink) {
        report(tier, key: "unavailable", message: "\(tier.rawValue) skipped: \(reason)", log: log)
    }

    /// Reports a row the host would not take.
    mutating func rejected(_ tier: StatsTier, _ failure: EmitFailure, log: LogSink) {
        report(tier, key: "emit", message: "\(tier.rawValue): the host rejected a row: \(failure.message)", log: log)
    }

    /// Notes a tier that worked; says so once if it had been failing.
    mutating func succeeded(_ tier: StatsTier, log: LogSink) {
        if failing.remove(tier) != nil { log.info("\(tier.rawValue) collected again") }
    }

    /// A problem with no tier (e.g. the role's privileges), warned once per start.
    mutating func once(_ key: String, _ message: String, log: LogSink) {
        if reported.insert("general:\(key)").inserted { log.warn(message) } else { log.debug(message) }
    }

    private mutating func report(_ tier: StatsTier, key: String, message: String, log: LogSink) {
        failing.insert(tier)
        if reported.insert("\(tier):\(key)").inserted {
            log.warn(message + " (warned once per start; repeats are logged at debug level)")
        } else {
            log.debug(message)
        }
    }
}
