/// What `pqcrypta-collector status` and the console's pages show: one host's
/// health as read from the database. Plain values (no connection, no I/O), so
/// the terminal renderer, the JSON renderer and the web console share them.
package struct StatusReport: Sendable {
    /// The database's clock when the report was read (ISO 8601, UTC).
    package var readAt: String
    package var hosts: [HostStatus]

    package init(readAt: String, hosts: [HostStatus]) {
        self.readAt = readAt
        self.hosts = hosts
    }

    /// The worst level over all hosts.
    package var level: HealthLevel { hosts.map(\.level).max() ?? .healthy }
}

/// Ordered so that `max()` is the worst. The raw values are the exit statuses
/// of `status` (3, database unreachable, is not a report's level).
package enum HealthLevel: Int, Sendable, Comparable, CaseIterable {
    case healthy = 0, warning = 1, critical = 2

    package static func < (a: HealthLevel, b: HealthLevel) -> Bool { a.rawValue < b.rawValue }

    package var name: String {
        switch self {
        case .healthy: "healthy"
        case .warning: "warning"
        case .critical: "critical"
        }
    }
}

/// One reason a host is not healthy, with the level it raises the host to.
package struct HealthProblem: Sendable, Equatable {
    package var level: HealthLevel
    package var message: String
}

package struct HostStatus: Sendable {
    package var host: String
    package var heartbeat: HeartbeatStatus?
    /// A heartbeat older than this many seconds is stale (critical).
    package var staleAfterSecs: Double
    package var ticks: [TickHealth] = []
    package var system: SystemFigures?
    package var processes: [ProcessFigure] = []
    package var logSources: [LogSourceStatus] = []
    package var alerts: [FindingSummary] = []
    package var recommendations: [FindingSummary] = []
    package var insights: [FindingSummary] = []
    package var slos: [SLOStatus] = []

    package init(host: String, staleAfterSecs: Double) {
        self.host = host
        self.staleAfterSecs = staleAfterSecs
    }

    /// Everything that makes this host less than healthy, worst first.
    package var problems: [HealthProblem] {
        var out: [HealthProblem] = []
        if let hb = heartbeat {
            if hb.ageSecs > staleAfterSecs {
                out.append(.init(level: .critical, message: "heartbeat stale: last one \(Self.duration(hb.ageSecs)) ago"))
            }
        } else {
            out.append(.init(level: .critical, message: "no heartbeat recorded"))
        }
        let critical = alerts.filter { $0.severity == "critical" }
        if !critical.isEmpty { out.append(.init(level: .critical, message: "\(critical.count) critical alert(s) open")) }
        let warn = alerts.filter { $0.severity == "warn" }
        if !warn.isEmpty { out.append(.init(level: .warning, message: "\(warn.count) warning alert(s) open")) }
        for t in ticks where t.consecutiveFailures > 0 || t.backoffSecs > 0 {
            out.append(.init(level: .warning, message: "\(t.plugin)/\(t.tick): \(t.consecutiveFailures) consecutive failure(s)"
                + (t.backoffSecs > 0 ? ", backing off \(Self.duration(t.backoffSecs))" : "")))
        }
        for t in ticks where t.disabled {
            out.append(.init(level: .warning, message: "\(t.plugin)/\(t.tick) is disabled"))
        }
        for p in processes where p.missing {
            out.append(.init(level: .warning, message: "watched process \(p.name) is not running"))
        }
        for s in slos where s.met == false {
            out.append(.init(level: .warning, message: "SLO \(s.name) not met"))
        }
        if let hb = heartbeat, hb.droppedRows > 0 {
            out.append(.init(level: .warning, message: "\(hb.droppedRows) metric row(s) dropped since start (buffer cap)"))
        }
        return out.sorted { $0.level > $1.level }
    }

    package var level: HealthLevel { problems.map(\.level).max() ?? .healthy }

    /// Marks the ticks this machine's collector disabled (stats.json holds
    /// that; `plugin_stats` does not), by tick id `plugin/tick`.
    package mutating func applyLocalStats(_ stats: CollectorMetrics) {
        for i in ticks.indices {
            ticks[i].disabled = stats.ticks[ticks[i].plugin + "/" + ticks[i].tick]?.disabled ?? false
        }
    }

    /// `75s`, `12m`, `3h`, `2d`: short enough for a table cell.
    package static func duration(_ secs: Double) -> String {
        let s = max(0, secs)
        if s < 120 { return "\(Int(s.rounded()))s" }
        if s < 7200 { return "\(Int((s / 60).rounded()))m" }
        if s < 172_800 { return "\(Int((s / 3600).rounded()))h" }
        return "\(Int((s / 86_400).rounded()))d"
    }
}

package struct HeartbeatStatus: Sendable {
    package var at: String
    package var ageSecs: Double
    package var version: String?
    package var pid: Int64?
    package var uptimeSecs: Double?
    package var rssBytes: Int64?
    package var bufferedRows: Int64?
    package var droppedRows: Int64
}

/// A row of `collector.plugin_stats`: one plugin tick, analyzer or parser.
package struct TickHealth: Sendable {
    package var plugin: String
    package var tick: String
    package var runs: Int64
    package var failures: Int64
    package var skipped: Int64
    package var consecutiveFailures: Int64
    package var backoffSecs: Double
    package var droppedRows: Int64
    package var lastError: String?
    package var lastRunAgeSecs: Double?
    package var lastDurationMs: Double?
    /// Known only for the machine whose stats.json was read (`applyLocalStats`).
    package var disabled = false
}

/// The latest `system_metrics_raw` row's summaries.
package struct SystemFigures: Sendable {
    package var at: String
    package var ageSecs: Double
    package var cpuPct: Double?
    package var memUsedPct: Double?
    package var memUsedBytes: Int64?
    package var memTotalBytes: Int64?
    package var load1: Double?
    package var load5: Double?
    package var load15: Double?
    package var diskUsedPctMax: Double?
    package var netRxBytesPerSec: Double?
    package var netTxBytesPerSec: Double?
}

/// The latest sample of one watched process.
package struct ProcessFigure: Sendable {
    package var name: String
    package var count: Int64
    package var missing: Bool
    package var cpuPct: Double?
    package var rssBytes: Int64?
    package var uptimeSecs: Double?
}

package struct LogSourceStatus: Sendable {
    package var source: String
    package var rowsLastHour: Int64
    package var unparsedLastHour: Int64
    /// Time of the newest row within the last 7 days; nil when none.
    package var lastRowAt: String?
    package var lastRowAgeSecs: Double?

    /// Share (0–1) of last hour's rows that no parser understood.
    package var unparsedShare: Double { rowsLastHour == 0 ? 0 : Double(unparsedLastHour) / Double(rowsLastHour) }
}

/// An alert, recommendation or insight, as much as a summary line needs.
package struct FindingSummary: Sendable {
    package var id: Int64
    package var severity: String
    package var kind: String
    package var title: String
    package var analyzer: String
    package var target: String?
    package var lastSeen: String
    package var occurrences: Int64
    package var acknowledged: Bool
    /// Recommendations: the first line of the remediation steps.
    package var firstAction: String?
}

/// The latest evaluation of one SLO.
package struct SLOStatus: Sendable {
    package var name: String
    package var target: Double
    package var actual: Double?
    package var met: Bool?
    package var budgetConsumedPct: Double?
    package var at: String

    package init(name: String, target: Double, actual: Double?, met: Bool?, budgetConsumedPct: Double?, at: String) {
        self.name = name
        self.target = target
        self.actual = actual
        self.met = met
        self.budgetConsumedPct = budgetConsumedPct
        self.at = at
    }

    /// 100 − consumed, never below 0; nil when not computed.
    package var budgetRemainingPct: Double? { budgetConsumedPct.map { max(0, 100 - $0) } }
}
