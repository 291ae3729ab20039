import PluginKit

/// Wires the analyzers to the host. init() only reads the configuration and
/// registers: `pqcrypta-collector plugins` calls it too, so it must not touch
/// the database.
public enum IntelligencePlugin {
    public static func setUp(_ host: PluginHost) throws {
        let configuration = try IntelligenceConfiguration.read(host.config)
        let slos = try SLOConfiguration.read(host.config)
        let ruleSettings = try RuleSettings.read(RuleCatalogue.all, host.config)
        try host.registerMigrations(IntelligenceSchema.migrations)
        var hostname = ""
        if case .string(let name)? = host.globalConfig("collector.hostname") { hostname = name }
        let log: (PluginLogLevel, String) -> Void = { level, message in host.log(level, message) }

        let anomaly = AnomalyAnalyzer(hostname: hostname, configuration: configuration, sql: HostIntelSQL(host: host), log: log)
        try register("anomaly", on: host) { now, report in
            let s = try anomaly.run(now: now, report: report)
            return "\(s.baselines) baselines, \(s.scoredPoints) points scored, \(s.anomalousSeries)/\(s.watchedSeries) series anomalous, \(s.insights) insights"
        }
        let slo = SLOAnalyzer(hostname: hostname, slos: slos, sql: HostIntelSQL(host: host), log: log)
        try register("slo", on: host) { now, report in
            let s = try slo.run(now: now, report: report)
            return "\(s.tracked) SLOs tracked, \(s.violations) not met, \(s.alerts) burn-rate alerts"
        }
        let patterns = PatternAnalyzer(hostname: hostname, sql: HostIntelSQL(host: host), maxLines: configuration.patternLinesPerRun)
        try register(PatternAnalyzer.name, on: host) { now, report in
            let s = try patterns.run(now: Double(now), report: report)
            return "\(s.lines) lines, \(s.templates) templates (\(s.newTemplates) new or changed), \(s.patterns) patterns, \(s.recurring) recurring errors\(s.backlog ? ", more waiting" : "")"
        }
        let security = SecurityAnalyzer(hostname: hostname, sql: HostIntelSQL(host: host), rules: configuration.security)
        try register(SecurityAnalyzer.name, on: host) { now, report in
            let s = try security.run(now: Double(now), report: report)
            return "\(s.bruteForce.count) brute-forcing addresses, \(s.compromises) logins after brute force, \(s.bans) bans, \(s.firewall) firewall sources"
        }
        let spikes = ErrorSpikeAnalyzer(hostname: hostname, sql: HostIntelSQL(host: host))
        try register("error_spikes", on: host) { now, report in
            "\(try spikes.run(now: Double(now), report: report)) error spikes"
        }
        let correlation = CorrelationAnalyzer(hostname: hostname, sql: HostIntelSQL(host: host))
        try register(CorrelationAnalyzer.name, on: host) { now, report in
            "\(try correlation.run(now: Double(now), report: report)) correlations"
        }
        // The database rules run on one host of a fleet: the first by name whose
        // heartbeat is no older than the watchdog's staleness limit (6 heartbeats).
        let heartbeatSecs: Int = switch host.globalConfig("intervals.heartbeat_secs", env: ["HEARTBEAT_INTERVAL_SECS"]) {
        case .int(let secs)?: Int(secs)
        case .string(let text)?: Int(text) ?? 5
        default: 5
        }
        let lead = DatabaseRulesLead(placement: configuration.databaseRules, hostname: hostname,
                                     windowSecs: max(60, 6 * heartbeatSecs), sql: HostIntelSQL(host: host), log: log)
        for rule in RuleCatalogue.all where ruleSettings[rule.name]?.enabled ?? true {
            let runner = RuleRunner(rule: rule, settings: ruleSettings[rule.name], hostname: hostname, sql: HostIntelSQL(host: host), log: log)
            try register(rule.name, group: rule.schedule == .watchdog ? .watchdog : .intel, on: host) { now, report in
                // Elsewhere (or nowhere): report nothing, so this host's open findings of the rule resolve.
                if rule.scope == .database {
                    guard let runsOn = try lead.runner() else { return "not run: database_rules = never" }
                    if runsOn != lead.hostname { return "runs on \(runsOn), the lead host" }
                }
                let s = try runner.run(now: Double(now), report: report)
                return s.skipped ? "skipped" : "\(s.rows) rows, \(s.findings) findings"
            }
        }
    }

    /// Registers an analyzer on the intel tick: `body` runs at the host's clock
    /// (epoch seconds), reports findings, and returns a line for the debug log.
    /// A database error the host calls transient is retried on the next tick.
    static func register(_ name: String, group: TickGroup = .intel, on host: PluginHost,
                         _ body: @escaping @Sendable (Int64, (Finding) throws -> Void) throws -> String) throws {
        try host.registerAnalyzer(name: name, group: group) {
            do {
                let line = try body(host.nowMicros() / 1_000_000) { finding in try host.report(finding) }
                host.log(.debug, "\(name): \(line)")
                return .ok
            } catch let error as HostError {
                host.log(error.kind == .retry ? .warn : .error, "\(name): \(error.message)")
                return error.kind == .retry ? .retry : .fail
            } catch {
                host.log(.error, "\(name): \(error)")
                return .retry
            }
        }
    }
}

/// The analyzers' SQL through the host's `query` (the intel tick's slow lane).
final class HostIntelSQL: IntelSQL, @unchecked Sendable {
    let host: PluginHost
    init(host: PluginHost) { self.host = host }

    func query(_ sql: String, _ params: [String?]) throws -> [[String?]] {
        try host.query(sql, params).rows
    }
}
