import PluginKit

/// Wires the analyzer to the host. init() only reads the configuration and
/// registers: `pqcrypta-collector plugins` calls it too, so it must not touch
/// the database.
public enum IntelligencePlugin {
    public static func setUp(_ host: PluginHost) throws {
        let configuration = try IntelligenceConfiguration.read(host.config)
        try host.registerMigrations(IntelligenceSchema.migrations)
        var hostname = ""
        if case .string(let name)? = host.globalConfig("collector.hostname") { hostname = name }
        let analyzer = AnomalyAnalyzer(
            hostname: hostname, configuration: configuration, sql: HostIntelSQL(host: host),
            log: { level, message in host.log(level, message) })
        try host.registerAnalyzer(name: "anomaly", group: .intel) {
            do {
                let summary = try analyzer.run(now: host.nowMicros() / 1_000_000) { finding in try host.report(finding) }
                host.log(.debug, "intelligence: \(summary.baselines) baselines, \(summary.scoredPoints) points scored, \(summary.anomalousSeries)/\(summary.watchedSeries) series anomalous, \(summary.insights) insights")
                return .ok
            } catch let error as HostError {
                host.log(error.kind == .retry ? .warn : .error, "intelligence: \(error.message)")
                return error.kind == .retry ? .retry : .fail
            } catch {
                host.log(.error, "intelligence: \(error)")
                return .retry
            }
        }
    }
}

/// The analyzer's SQL through the host's `query` (the intel tick's slow lane).
final class HostIntelSQL: IntelSQL, @unchecked Sendable {
    let host: PluginHost
    init(host: PluginHost) { self.host = host }

    func query(_ sql: String, _ params: [String?]) throws -> [[String?]] {
        try host.query(sql, params).rows
    }
}
