import PluginKit

/// `[plugin.intelligence]` settings. A bad value refuses the plugin
/// (`PluginConfigError`: init returns PQC_EINVAL and the daemon exits 2 naming the key).
public struct IntelligenceConfiguration: Sendable, Equatable {
    /// A point must score at least this (the detector's threshold, 0.5 = a robust z of 5).
    public var threshold = 0.5
    /// An insight is raised only after this many consecutive anomalous points.
    public var consecutivePoints = 2
    /// Per-table metrics are watched for the largest tables only.
    public var maxTables = 20
    /// At most this many series are watched (each detector is about 6 KB).
    public var maxSeries = 400
    /// At start the detectors are warmed on the hourly rollups of this many hours
    /// (the 28 days a run reads anyway: the daily profile and the weekly
    /// correction are known from the first run after a restart) ...
    public var warmupHours = 672
    /// ... then on the raw rows of the last hours (this many).
    public var warmupRawHours = 6
    /// The security analyzer's rules (brute-force and firewall thresholds, window).
    public var security = SecurityRules()
    /// The patterns analyzer's rows per run (grouped by the server: the cost
    /// is its statement time, about 0.8 s per million rows).
    public var patternLinesPerRun = 2_000_000
    /// Which host of a fleet runs the database rules (`DatabaseRulesLead`).
    public var databaseRules = DatabaseRulesLead.Placement.lead

    public init() {}

    public static func read(_ value: (String) -> ConfigValue?) throws(PluginConfigError) -> IntelligenceConfiguration {
        var c = IntelligenceConfiguration()
        if let raw = value("threshold") {
            let number: Double? = switch raw {
            case .double(let d): d
            case .int(let i): Double(i)
            default: nil
            }
            guard let number, number > 0, number <= 1 else {
                throw PluginConfigError(key: "plugin.intelligence.threshold", message: "must be a number in (0, 1]")
            }
            c.threshold = number
        }
        c.consecutivePoints = try integer("consecutive_points", value, c.consecutivePoints, 1...1000)
        c.maxTables = try integer("max_tables", value, c.maxTables, 0...1000)
        c.maxSeries = try integer("max_series", value, c.maxSeries, 1...5000)
        c.warmupHours = try integer("warmup_hours", value, c.warmupHours, 0...672)
        c.warmupRawHours = try integer("warmup_raw_hours", value, c.warmupRawHours, 1...48)
        c.security.sshFailures = try integer("ssh_failures", value, c.security.sshFailures, 1...100_000)
        c.security.firewallBlocks = try integer("firewall_blocks", value, c.security.firewallBlocks, 1...1_000_000)
        c.security.windowSeconds = try integer("security_window_secs", value, c.security.windowSeconds, 10...86_400)
        c.patternLinesPerRun = try integer("pattern_lines_per_run", value, c.patternLinesPerRun, 1_000...10_000_000)
        if let raw = value("database_rules") {
            let choices = DatabaseRulesLead.Placement.allCases.map(\.rawValue)
            guard case .string(let text) = raw, let placement = DatabaseRulesLead.Placement(rawValue: text) else {
                throw PluginConfigError(key: "plugin.intelligence.database_rules", message: "must be one of \(choices.joined(separator: ", "))")
            }
            c.databaseRules = placement
        }
        return c
    }

    private static func integer(_ key: String, _ value: (String) -> ConfigValue?, _ fallback: Int,
                                _ range: ClosedRange<Int>) throws(PluginConfigError) -> Int {
        guard let raw = value(key) else { return fallback }
        guard case .int(let n) = raw, n >= Int64(range.lowerBound), n <= Int64(range.upperBound) else {
            throw PluginConfigError(key: "plugin.intelligence.\(key)",
                                    message: "must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(n)
    }
}
