import ByteKit

/// `check-config --print-effective`: the configuration the daemon would run
/// with, as TOML: every value the host read (file, environment or default),
/// the plugins' sections as written, and every log source by name (the
/// plugins' defaults included), so an operator can copy a default source's
/// name to override it. The database password is never printed.
package enum EffectiveConfig {
    package static func toml(_ config: CollectorConfig) -> String {
        var tree = config.resolvedTree
        if case .string(let p) = tree.node(at: "database.password"), !p.isEmpty {
            tree.set(.string("(set, not shown)"), at: "database.password")
        }
        // The sources are printed below as resolved, not as written.
        if case .table(var root) = tree, case .table(var logs) = root["logs"] {
            logs["sources"] = nil
            root["logs"] = .table(logs)
            tree = .table(root)
        }
        var lines: [String] = []
        render(tree, path: [], into: &lines)
        for s in config.logs.sources {
            lines += ["", "[[logs.sources]]", "name = \(quoted(s.name))", "type = \(quoted(s.kind.rawValue))",
                      "\(s.kind == .file ? "path" : "unit") = \(quoted(s.target))", "parser = \(quoted(s.parser))",
                      "enabled = \(s.enabled)"]
        }
        return lines.joined(separator: "\n")
    }

    private static func render(_ node: ConfigNode, path: [String], into lines: inout [String]) {
        guard case .table(let table) = node else { return }
        let keys = table.keys.sorted()
        let scalars = keys.filter { if case .table = table[$0]! { false } else { true } }
        if !scalars.isEmpty && !path.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines.append("[\(path.map(bareOrQuoted).joined(separator: "."))]")
        }
        for key in scalars { lines.append("\(bareOrQuoted(key)) = \(value(table[key]!))") }
        for key in keys where !scalars.contains(key) { render(table[key]!, path: path + [key], into: &lines) }
    }

    private static func value(_ node: ConfigNode) -> String {
        switch node {
        case .bool(let b): "\(b)"
        case .int(let i): "\(i)"
        case .double(let d): d.isFinite ? "\(d)" : (d.isNaN ? "nan" : (d > 0 ? "inf" : "-inf"))
        case .string(let s): quoted(s)
        case .array(let a): "[" + a.map(value).joined(separator: ", ") + "]"
        case .table(let t): "{ " + t.keys.sorted().map { "\(bareOrQuoted($0)) = \(value(t[$0]!))" }.joined(separator: ", ") + " }"
        }
    }

    private static func bareOrQuoted(_ key: String) -> String {
        let bare = !key.isEmpty && key.utf8.allSatisfy {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D
        }
        return bare ? key : quoted(key)
    }

    /// A TOML basic string. JSON's string escapes are all TOML escapes, and
    /// ByteKit's writer escapes every control character TOML refuses raw.
    private static func quoted(_ s: String) -> String {
        var w = JSONWriter(capacity: s.utf8.count + 2)
        w.value(s)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
