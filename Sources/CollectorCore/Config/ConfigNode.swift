/// A parsed configuration value (see `TOMLParser`): plain values, so config can be
/// passed between threads and compared in tests.
package indirect enum ConfigNode: Sendable, Equatable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([ConfigNode])
    case table([String: ConfigNode])

    /// How a value is named in error messages.
    package var typeName: String {
        switch self {
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a float"
        case .string: "a string"
        case .array: "an array"
        case .table: "a table"
        }
    }

    /// A short rendering of the value for messages.
    package var snippet: String {
        switch self {
        case .bool(let b): "\(b)"
        case .int(let i): "\(i)"
        case .double(let d): "\(d)"
        case .string(let s): "\"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case .array(let a): "[\(a.count) items]"
        case .table: "{…}"
        }
    }

    /// The node at a dotted path; numeric components index arrays.
    package func node(at path: String) -> ConfigNode? {
        var current = self
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            switch current {
            case .table(let t):
                guard let next = t[String(component)] else { return nil }
                current = next
            case .array(let a):
                guard let i = Int(component), a.indices.contains(i) else { return nil }
                current = a[i]
            default:
                return nil
            }
        }
        return current
    }

    /// Sets the value at a dotted path of tables, creating tables on the way.
    package mutating func set(_ value: ConfigNode, at path: String) {
        let components = path.split(separator: ".").map(String.init)
        set(value, components: components[...])
    }

    private mutating func set(_ value: ConfigNode, components: ArraySlice<String>) {
        guard let first = components.first else {
            self = value
            return
        }
        var table: [String: ConfigNode]
        if case .table(let t) = self { table = t } else { table = [:] }
        var child = table[first] ?? .table([:])
        child.set(value, components: components.dropFirst())
        table[first] = child
        self = .table(table)
    }

    /// Every leaf path ("database.port"); arrays count as leaves.
    package func leafPaths(prefix: String = "") -> [String] {
        guard case .table(let t) = self else { return [prefix] }
        return t.keys.sorted().flatMap { key in
            t[key]!.leafPaths(prefix: prefix.isEmpty ? key : "\(prefix).\(key)")
        }
    }
}
