import PluginKit

/// A health rule: what it reads (one SQL statement and the columns it returns,
/// in order), how often (the intel or the watchdog tick), and what it raises
/// from each row. Thresholds are named parameters with defaults that
/// `[plugin.intelligence.rules.<name>]` changes; the host owns the findings'
/// lifecycle (update while reported, resolve when not, acknowledgement).
///
/// A rule is a value in `RuleCatalogue.all`: a new rule is one entry there and
/// its SQL and evaluation, in the file of its domain under `Catalogue/`.
public struct Rule: Sendable {
    public enum Schedule: Sendable, Equatable {
        /// The intel tick (5 min): recommendations.
        case intel
        /// The watchdog tick (30 s): alerts.
        case watchdog
    }

    /// What the rule reads: the server's own catalogs and statistics
    /// (`database`: the same answer on every host of a fleet writing to one
    /// database, so one host runs it, `DatabaseRulesLead`), or this host's
    /// rows (`host`).
    public enum Scope: String, Sendable, Equatable {
        case database, host
    }

    public let name: String
    public let schedule: Schedule
    public let scope: Scope
    /// `.recommendation` or `.alert`: what every finding of the rule is.
    public let kind: Finding.Kind
    /// One line for the docs and `plugins`.
    public let summary: String
    public let parameters: [RuleParameter]
    /// The statement's result columns, in order: rows are read by these names.
    public let columns: [String]
    public let sql: String
    /// The statement's parameters ($1, $2, ...) from the run's environment.
    let bind: @Sendable (RuleEnvironment) -> [String?]
    /// The findings one row raises (none while the condition does not hold).
    let evaluate: @Sendable (RuleRow, RuleEnvironment) throws -> [Finding]

    init(name: String, schedule: Schedule, scope: Scope = .database, kind: Finding.Kind, summary: String, parameters: [RuleParameter] = [],
         columns: [String], sql: String, bind: @escaping @Sendable (RuleEnvironment) -> [String?] = { _ in [] },
         evaluate: @escaping @Sendable (RuleRow, RuleEnvironment) throws -> [Finding]) {
        self.name = name
        self.schedule = schedule
        self.scope = scope
        self.kind = kind
        self.summary = summary
        self.parameters = parameters
        self.columns = columns
        self.sql = sql
        self.bind = bind
        self.evaluate = evaluate
    }

    public var domain: String {
        switch name {
        case let n where n.hasPrefix("process"): "system"
        case let n where n.hasPrefix("api"): "api"
        case "proxy": "proxy"
        default: "db"
        }
    }
}

/// A threshold of a rule: its config key under `[plugin.intelligence.rules.<rule>]`.
public struct RuleParameter: Sendable, Equatable {
    public let name: String
    public let defaultValue: Double
    public let range: ClosedRange<Double>
    public let help: String

    init(_ name: String, _ defaultValue: Double, _ range: ClosedRange<Double>, _ help: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.range = range
        self.help = help
    }
}

/// One result row, read by the rule's declared column names.
public struct RuleRow: Sendable {
    let columns: [String]
    let cells: [String?]

    public func text(_ name: String) -> String? {
        guard let i = columns.firstIndex(of: name), i < cells.count else { return nil }
        return cells[i]
    }

    public func double(_ name: String) -> Double? { text(name).flatMap { Double($0) } }
    public func int(_ name: String) -> Int64? { text(name).flatMap { Int64($0) ?? Double($0).map { Int64($0) } } }
    public func bool(_ name: String) -> Bool { text(name) == "t" || text(name) == "true" }
    public func string(_ name: String) -> String { text(name) ?? "" }
}

/// What a rule's evaluation sees besides its row: the thresholds in force, the
/// keys of its findings still open (for hysteresis), the host and the clock.
public struct RuleEnvironment {
    public let hostname: String
    public let now: Double
    let parameters: [String: Double]
    let openKeys: Set<String>
    /// A further statement on the rule's connection (a catalog lookup for one row).
    let lookup: (String, [String?]) throws -> [[String?]]

    /// A parameter's value (its default unless configured).
    public subscript(_ name: String) -> Double { parameters[name] ?? .nan }

    public func isOpen(_ key: String) -> Bool { openKeys.contains(key) }

    /// Hysteresis for "higher is worse": a new finding needs `value > raise`;
    /// an open one holds until `value` falls to `clear` or below, so a value
    /// hovering at the threshold does not open and resolve on every run.
    public func above(_ key: String, _ value: Double?, raise: String, clear: String) -> Bool {
        guard let value, value.isFinite else { return false }
        return isOpen(key) ? value > self[clear] : value > self[raise]
    }

    /// Hysteresis for "lower is worse" (cache hit ratio, index usage).
    public func below(_ key: String, _ value: Double?, raise: String, clear: String) -> Bool {
        guard let value, value.isFinite else { return false }
        return isOpen(key) ? value < self[clear] : value < self[raise]
    }
}

/// Numbered remediation steps: the `action` of a recommendation or alert.
public enum ActionSteps {
    public static func numbered(_ steps: [String]) -> String {
        steps.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
    }
}
