import PluginKit

/// Which host of a fleet runs the database rules. Every collector of a fleet
/// writing to one database watches that same database, so without this each
/// host would raise its own copy of every table, index and statement finding.
///
/// `lead` (the default): the database rules run on one host, the first by
/// name among the hosts whose heartbeat is younger than `windowSecs` (the
/// watchdog's staleness limit, 6 heartbeats). When that host stops, the next
/// one takes over within the window; a host that stops leading reports
/// nothing, so its copies resolve. A single host always leads. `always` runs
/// them on every host (each its own copy); `never` on none.
public final class DatabaseRulesLead: @unchecked Sendable {
    public enum Placement: String, Sendable, CaseIterable {
        case lead, always, never
    }

    public let placement: Placement
    public let hostname: String
    public let windowSecs: Int
    private let sql: IntelSQL
    private let log: (PluginLogLevel, String) -> Void
    private let lock = PThreadMutex()
    /// The lead last said in the log, so a change is one line.
    private var announced: String?

    public init(placement: Placement, hostname: String, windowSecs: Int, sql: IntelSQL,
                log: @escaping (PluginLogLevel, String) -> Void = { _, _ in }) {
        self.placement = placement
        self.hostname = hostname
        self.windowSecs = windowSecs
        self.sql = sql
        self.log = log
    }

    /// The host that runs the database rules now (this one when it leads), or
    /// nil when no host does (`never`).
    public func runner() throws -> String? {
        switch placement {
        case .always: return hostname
        case .never: return nil
        case .lead:
            let rows = try sql.query(
                "SELECT min(host) FROM collector.heartbeat WHERE ts > now() - make_interval(secs => $1::int)", [String(windowSecs)])
            // No fresh heartbeat (this one's not written yet) or a later name: this host leads.
            let first = rows.first?.first ?? nil
            let lead = first.map { min($0, hostname) } ?? hostname
            announce(lead)
            return lead
        }
    }

    private func announce(_ lead: String) {
        let changed = lock.withLock { () -> Bool in
            defer { announced = lead }
            return announced != lead
        }
        guard changed else { return }
        if lead == hostname {
            log(.info, "database rules run on this host, the lead (first by name among hosts with a heartbeat in the last \(windowSecs) s)")
        } else {
            log(.info, "database rules run on \(lead), the lead host (first by name among hosts with a heartbeat in the last \(windowSecs) s); this host's copies resolve")
        }
    }
}
