import PluginKit

/// Reads `[[plugin.intelligence.slos]]`. An entry named like a default changes
/// that default (any key may be left out; `enabled = false` turns it off); any
/// other name declares a new SLO and needs `table`, `column` or `ratio`, `good`
/// and `objective`. A bad value refuses the plugin, naming the key.
public enum SLOConfiguration {
    public static func read(_ value: @escaping (String) -> ConfigValue?,
                            defaults: [SLODefinition] = SLODefinition.defaults) throws(PluginConfigError) -> [SLODefinition] {
        var slos = defaults
        guard let list = value("slos") else { return slos }
        guard case .array(let count) = list else {
            throw PluginConfigError(key: "plugin.intelligence.slos", message: "must be an array of tables ([[plugin.intelligence.slos]])")
        }
        var seen = Set<String>()
        for i in 0..<count {
            let entry = Entry(index: i, value: value)
            guard let name = try entry.string("name") else { throw entry.error("name", "is required") }
            guard isIdentifier(name) else { throw entry.error("name", "must be lowercase letters, digits and _ (got \"\(name)\")") }
            guard seen.insert(name).inserted else { throw entry.error("name", "\"\(name)\" is declared twice") }
            let existing = slos.firstIndex { $0.name == name }
            var slo = existing.map { slos[$0] }

            let table = try entry.identifier("table")
            let column = try entry.identifier("column")
            let ratio = try entry.ratio()
            if column != nil, ratio != nil { throw entry.error("ratio", "give column or ratio, not both") }
            let condition = try entry.condition()
            let objective = try entry.number("objective")
            if let objective, !(objective > 0 && objective < 100) {
                throw entry.error("objective", "must be a percentage in (0, 100), e.g. 99.9")
            }
            let window = try entry.integer("window_days", 1...90)
            let up = try entry.identifier("up_column")
            let enabled = try entry.bool("enabled")

            if slo == nil {
                guard let table else { throw entry.error("table", "is required for a new SLO (a collector table with host and ts, e.g. api_metrics_raw)") }
                guard column != nil || ratio != nil else { throw entry.error("column", "is required for a new SLO (or ratio = [\"numerator\", \"denominator\"])") }
                guard let condition else { throw entry.error("good", "is required for a new SLO, e.g. \"<= 200\"") }
                guard let objective else { throw entry.error("objective", "is required for a new SLO, e.g. 99.9") }
                slo = SLODefinition(name: name, table: table, value: .column(column ?? ""), comparison: condition.0,
                                    threshold: condition.1, objectivePct: objective)
            }
            guard var s = slo else { continue }
            if let table { s.table = table }
            if let column { s.value = .column(column) }
            if let ratio { s.value = .ratio(ratio.0, ratio.1) }
            if let condition { s.comparison = condition.0; s.threshold = condition.1 }
            if let objective { s.objectivePct = objective }
            if let window { s.windowDays = window }
            if let up { s.upColumn = up.isEmpty ? nil : up }
            if let enabled { s.enabled = enabled }
            if let existing { slos[existing] = s } else { slos.append(s) }
        }
        return slos
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.utf8.first, s.utf8.count <= 63, first == UInt8(ascii: "_") || (first >= 0x61 && first <= 0x7A) else {
            return false
        }
        return s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// Parses "<= 200": a comparison, then a number.
    static func parseCondition(_ text: String) -> (SLODefinition.Comparison, Double)? {
        let trimmed = text.drop { $0 == " " }
        // Longest operator first: "<=" before "<".
        for op in SLODefinition.Comparison.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count })
        where trimmed.hasPrefix(op.rawValue) {
            let rest = trimmed.dropFirst(op.rawValue.count).filter { $0 != " " }
            guard let x = Double(rest), x.isFinite else { return nil }
            return (op, x)
        }
        return nil
    }

    /// One `[[plugin.intelligence.slos]]` entry's keys.
    struct Entry {
        let index: Int
        let value: (String) -> ConfigValue?

        func error(_ key: String, _ message: String) -> PluginConfigError {
            PluginConfigError(key: "plugin.intelligence.slos.\(index).\(key)", message: message)
        }

        func string(_ key: String) throws(PluginConfigError) -> String? {
            guard let raw = value("slos.\(index).\(key)") else { return nil }
            guard case .string(let s) = raw else { throw error(key, "must be a string") }
            return s
        }

        func identifier(_ key: String) throws(PluginConfigError) -> String? {
            guard let s = try string(key) else { return nil }
            // up_column = "" removes a default's up column.
            if key == "up_column", s.isEmpty { return s }
            guard SLOConfiguration.isIdentifier(s) else {
                throw error(key, "must be a column or table name: lowercase letters, digits and _ (got \"\(s)\")")
            }
            return s
        }

        func ratio() throws(PluginConfigError) -> (String, String)? {
            guard let raw = value("slos.\(index).ratio") else { return nil }
            guard case .array(2) = raw,
                  case .string(let n)? = value("slos.\(index).ratio.0"), case .string(let d)? = value("slos.\(index).ratio.1"),
                  SLOConfiguration.isIdentifier(n), SLOConfiguration.isIdentifier(d)
            else { throw error("ratio", "must be two column names, [\"numerator\", \"denominator\"]") }
            return (n, d)
        }

        func condition() throws(PluginConfigError) -> (SLODefinition.Comparison, Double)? {
            guard let s = try string("good") else { return nil }
            guard let c = SLOConfiguration.parseCondition(s) else {
                throw error("good", "must be a comparison and a number, e.g. \"<= 200\" or \">= 0.99\" (got \"\(s)\")")
            }
            return c
        }

        func number(_ key: String) throws(PluginConfigError) -> Double? {
            switch value("slos.\(index).\(key)") {
            case nil: return nil
            case .double(let d)?: return d
            case .int(let i)?: return Double(i)
            default: throw error(key, "must be a number")
            }
        }

        func integer(_ key: String, _ range: ClosedRange<Int>) throws(PluginConfigError) -> Int? {
            guard let raw = value("slos.\(index).\(key)") else { return nil }
            guard case .int(let n) = raw, n >= Int64(range.lowerBound), n <= Int64(range.upperBound) else {
                throw error(key, "must be an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return Int(n)
        }

        func bool(_ key: String) throws(PluginConfigError) -> Bool? {
            guard let raw = value("slos.\(index).\(key)") else { return nil }
            guard case .bool(let b) = raw else { throw error(key, "must be true or false") }
            return b
        }
    }
}
