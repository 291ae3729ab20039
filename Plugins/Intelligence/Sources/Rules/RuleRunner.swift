import ByteKit
import PluginKit

/// What one run of a rule did.
public struct RuleRunSummary: Sendable, Equatable {
    public var rows = 0
    public var findings = 0
    /// The rule could not run (a missing extension or privilege); said once in the log.
    public var skipped = false
}

/// Runs one rule: its statement, the keys of its open findings (for
/// hysteresis), the evaluation of each row, the reports. A rule that cannot
/// run on this server (no `pg_stat_statements`, no privilege, a view this
/// version lacks) is skipped with one log line until it can run again: the
/// other rules, each an analyzer of its own, are not affected.
public final class RuleRunner: @unchecked Sendable {
    public let rule: Rule
    public let hostname: String
    let parameters: [String: Double]
    private let sql: IntelSQL
    private let log: (PluginLogLevel, String) -> Void
    private var skipReason: String?

    public init(rule: Rule, settings: RuleSettings?, hostname: String, sql: IntelSQL,
                log: @escaping (PluginLogLevel, String) -> Void = { _, _ in }) {
        self.rule = rule
        self.hostname = hostname
        self.sql = sql
        self.log = log
        var p: [String: Double] = [:]
        for parameter in rule.parameters { p[parameter.name] = settings?.parameters[parameter.name] ?? parameter.defaultValue }
        parameters = p
    }

    /// The analyzer id the host stores with the findings ("<plugin>.<analyzer>").
    var analyzerID: String { "intelligence.\(rule.name)" }

    public func run(now: Double, report: (Finding) throws -> Void) throws -> RuleRunSummary {
        var summary = RuleRunSummary()
        let lookup: (String, [String?]) throws -> [[String?]] = { [sql] text, params in try sql.query(text, params) }
        var env = RuleEnvironment(hostname: hostname, now: now, parameters: parameters, openKeys: [], lookup: lookup)
        let rows: [[String?]]
        do {
            rows = try sql.query(rule.sql, rule.bind(env))
        } catch {
            let message = "\(error)"
            guard let reason = Self.cannotRun(message) else { throw error }
            if skipReason == nil {
                log(.warn, "rule \(rule.name) skipped: \(reason) (\(message)); the other rules run")
            }
            skipReason = reason
            summary.skipped = true
            return summary
        }
        if skipReason != nil {
            log(.info, "rule \(rule.name) runs again")
            skipReason = nil
        }
        if !rows.isEmpty {
            env = RuleEnvironment(hostname: hostname, now: now, parameters: parameters, openKeys: try openKeys(), lookup: lookup)
        }
        for cells in rows {
            guard cells.count == rule.columns.count else {
                throw RuleError(rule: rule.name, message: "the statement returned \(cells.count) columns, the rule reads \(rule.columns.count)")
            }
            summary.rows += 1
            for finding in try rule.evaluate(RuleRow(columns: rule.columns, cells: cells), env) {
                try report(finding)
                summary.findings += 1
            }
        }
        return summary
    }

    /// The keys of this rule's findings that are open now.
    private func openKeys() throws -> Set<String> {
        let table = rule.kind == .alert ? "alerts" : "recommendations"
        let rows = try sql.query(
            "SELECT key FROM collector.\(table) WHERE host = $1 AND analyzer = $2 AND status = 'open'", [hostname, analyzerID])
        return Set(rows.compactMap { $0.first ?? nil })
    }

    /// The SQLSTATEs that mean "this server cannot answer this rule", with why.
    static func cannotRun(_ message: String) -> String? {
        let reasons: [(String, String)] = [
            ("42P01", "a relation it reads does not exist (pg_stat_statements not installed?)"),
            ("42501", "the collector's role lacks a privilege"),
            ("42883", "a function it calls does not exist on this server"),
            ("42703", "a column it reads does not exist on this server version"),
            ("55000", "an extension is not loaded (shared_preload_libraries)"),
            ("0A000", "not supported on this server"),
        ]
        for (state, reason) in reasons where message.includes("SQLSTATE \(state)") { return reason }
        return nil
    }
}

public struct RuleError: Error, CustomStringConvertible {
    public let rule: String
    public let message: String
    public var description: String { "rule \(rule): \(message)" }
}
