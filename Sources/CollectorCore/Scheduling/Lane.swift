/// Which database connection a tick's SQL uses. Two lanes, two connections at
/// most: a slow analytical query never holds the connection the heartbeat needs.
package enum Lane: String, Sendable {
    case fast
    case slow
}

/// The built-in schedule groups (spec tick table) and their lanes.
package enum TickGroup: String, Sendable, CaseIterable {
    case sys, app, heartbeat, log, watchdog, intel, agg
    case pgExtended = "pg_extended"

    package var lane: Lane {
        switch self {
        case .pgExtended, .intel, .agg: .slow
        default: .fast
        }
    }

    package func intervalSecs(_ config: CollectorConfig) -> Int {
        switch self {
        case .sys: config.intervals.systemSecs
        case .app: config.intervals.appSecs
        case .heartbeat: config.intervals.heartbeatSecs
        case .log: config.logs.tickSecs
        case .watchdog: config.intervals.watchdogSecs
        case .pgExtended: config.intervals.pgExtendedSecs
        case .intel: config.intervals.intelSecs
        case .agg: config.intervals.aggSecs
        }
    }
}
