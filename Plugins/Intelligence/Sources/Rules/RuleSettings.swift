import PluginKit

/// `[plugin.intelligence.rules.<rule>]`: `enabled = false` switches a rule off;
/// any of its parameters (`raise_pct = 30`) replaces the default. A value of the
/// wrong type or out of range refuses the plugin, naming the key.
public struct RuleSettings: Sendable, Equatable {
    public var enabled: Bool
    public var parameters: [String: Double]

    public static func read(_ rules: [Rule], _ value: (String) -> ConfigValue?) throws(PluginConfigError) -> [String: RuleSettings] {
        if let raw = value("rules"), raw != .table {
            throw PluginConfigError(key: "plugin.intelligence.rules", message: "must be a table of rule names ([plugin.intelligence.rules.table_bloat])")
        }
        var out: [String: RuleSettings] = [:]
        for rule in rules {
            let prefix = "rules.\(rule.name)"
            if let raw = value(prefix), raw != .table {
                throw PluginConfigError(key: "plugin.intelligence.\(prefix)", message: "must be a table: [plugin.intelligence.\(prefix)]")
            }
            var s = RuleSettings(enabled: true, parameters: [:])
            if let raw = value("\(prefix).enabled") {
                guard case .bool(let b) = raw else {
                    throw PluginConfigError(key: "plugin.intelligence.\(prefix).enabled", message: "must be true or false")
                }
                s.enabled = b
            }
            for p in rule.parameters {
                var x = p.defaultValue
                if let raw = value("\(prefix).\(p.name)") {
                    let number: Double? = switch raw {
                    case .int(let i): Double(i)
                    case .double(let d): d
                    default: nil
                    }
                    guard let number, number.isFinite, p.range.contains(number) else {
                        throw PluginConfigError(key: "plugin.intelligence.\(prefix).\(p.name)",
                                                message: "must be a number in \(Self.show(p.range.lowerBound))...\(Self.show(p.range.upperBound)) (\(p.help))")
                    }
                    x = number
                }
                s.parameters[p.name] = x
            }
            out[rule.name] = s
        }
        return out
    }

    static func show(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}
