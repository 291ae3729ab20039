import ByteKit
import PluginKit

/// A fact a rule saw: shown in the description and stored in the finding's `context`.
public enum Evidence: Sendable {
    case text(String)
    case number(Double)
    case integer(Int64)
    case flag(Bool)
}

extension Rule {
    /// The finding of this rule for one condition. `key` is the condition's
    /// stable identity without the rule name (`public.orders`); the stored key
    /// is `<rule>:<key>`, or `<metric>:<key>` when a rule raises several metrics.
    func finding(metric: String? = nil, key: String, severity: Finding.Severity, target: String?, title: String,
                 evidence: [(String, Evidence)], steps: [String], value: Double?, threshold: Double?) -> Finding {
        let metric = metric ?? name
        var f = Finding(
            kind: kind, severity: severity, key: "\(metric):\(key)", domain: domain, metric: metric, target: target,
            title: title, description: Self.describe(evidence), action: steps.isEmpty ? nil : ActionSteps.numbered(steps),
            value: value ?? .nan, threshold: threshold ?? .nan)
        f.metricKey = target
        f.contextJSON = Self.context(rule: name, evidence)
        return f
    }

    /// "dead tuples: 52000; live tuples: 100000": the evidence as one line of text.
    static func describe(_ evidence: [(String, Evidence)]) -> String {
        evidence.map { name, value in
            let shown: String = switch value {
            case .text(let s): s
            case .number(let x): AnomalyAnalyzer.number(x)
            case .integer(let n): String(n)
            case .flag(let b): b ? "yes" : "no"
            }
            return "\(name.replacingUnderscores()): \(shown)"
        }.joined(separator: "; ")
    }

    static func context(rule: String, _ evidence: [(String, Evidence)]) -> String {
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        w.key("rule"); w.value(rule)
        for (name, value) in evidence {
            w.key(name)
            switch value {
            case .text(let s): w.value(s)
            case .number(let x): if x.isFinite { w.value(exactly: x) } else { w.null() }
            case .integer(let n): w.value(n)
            case .flag(let b): w.value(b)
            }
        }
        w.endObject()
        return w.text
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(map { $0 == "_" ? " " : $0 })
    }
}

/// Byte counts for titles: "12.5 MB".
enum ByteCount {
    static func text(_ bytes: Double) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var x = bytes, i = 0
        while abs(x) >= 1024, i < units.count - 1 { x /= 1024; i += 1 }
        return "\(AnomalyAnalyzer.number(x)) \(units[i])"
    }
}
