import TOMLKit
@testable import CollectorCore

/// TOMLKit is the tests' oracle for the host's own TOML parser.
extension ConfigNode {
    /// Converts a parsed TOML document.
    init(_ table: TOMLTable) {
        var out: [String: ConfigNode] = [:]
        for key in table.keys {
            if let value = table[key], let node = ConfigNode(value) { out[key] = node }
        }
        self = .table(out)
    }

    init?(_ value: TOMLValueConvertible) {
        switch value.type {
        case .bool: self = .bool(value.bool ?? false)
        case .int: self = .int(Int64(value.int ?? 0))
        case .double: self = .double(value.double ?? 0)
        case .string: self = .string(value.string ?? "")
        case .table:
            guard let t = value.table else { return nil }
            self = ConfigNode(t)
        case .array:
            guard let a = value.array else { return nil }
            self = .array(a.compactMap { ConfigNode($0) })
        default:
            // Dates and times: keep their TOML text; no collector key takes one.
            self = .string("\(value)")
        }
    }
}
