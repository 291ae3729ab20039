import ByteKit
/// Reads typed metrics out of a scraped JSON object by alias, remembering which
/// members it used so everything else can be kept in the `extra` column.
///
/// A member with the wrong type or an impossible value (a negative counter, a
/// string that is no number) is treated as absent: the column is NULL and the
/// member stays in `extra`, so nothing the endpoint sent is silently lost.
struct FieldReader {
    let root: JSONValue
    private var used: Set<[String]> = []

    /// Top-level envelopes some exporters wrap their metrics in.
    static let envelopes = ["metrics", "data"]

    /// `document` must be an object; a lone `{"metrics": {...}}` or `{"data": {...}}`
    /// wrapper is looked through.
    init(document: JSONValue) {
        if case .object(let members) = document, members.count == 1,
           Self.envelopes.contains(members[0].key), members[0].value.isObject {
            root = members[0].value
        } else {
            root = document
        }
    }

    // MARK: typed reads

    /// A monotonically increasing counter (BIGINT): a non-negative integer.
    mutating func counter(_ paths: [FieldPath]) -> Int64? {
        first(paths) { Self.integer($0).flatMap { $0 >= 0 ? $0 : nil } }
    }

    /// A non-negative gauge that must fit an INTEGER column. An array counts
    /// as its length ("blocked_ips": ["203.0.113.7", ...]).
    mutating func gauge32(_ paths: [FieldPath], countingArrays: Bool = false) -> Int64? {
        first(paths) { value in
            if countingArrays, case .array(let elements) = value { return Int64(elements.count) }
            return Self.integer(value).flatMap { (0...Int64(Int32.max)).contains($0) ? $0 : nil }
        }
    }

    /// A non-negative gauge for a BIGINT column.
    mutating func gauge64(_ paths: [FieldPath]) -> Int64? {
        counter(paths)
    }

    /// A non-negative measurement (milliseconds, seconds, a rate).
    mutating func measure(_ paths: [FieldPath]) -> Double? {
        first(paths) { Self.number($0).flatMap { $0 >= 0 ? $0 : nil } }
    }

    /// A fraction in 0...1, read from `fractionPaths` as is or from `percentPaths` divided by 100.
    mutating func fraction(_ fractionPaths: [FieldPath], percent percentPaths: [FieldPath]) -> Double? {
        if let f = first(fractionPaths, { Self.number($0).flatMap { (0...1).contains($0) ? $0 : nil } }) { return f }
        return first(percentPaths) { Self.number($0).flatMap { (0...100).contains($0) ? $0 / 100 : nil } }
    }

    /// The first path whose value `convert` accepts; that path is marked used.
    private mutating func first<T>(_ paths: [FieldPath], _ convert: (JSONValue) -> T?) -> T? {
        for path in paths {
            guard let value = root.value(at: path.keys), let converted = convert(value) else { continue }
            used.insert(path.keys)
            return converted
        }
        return nil
    }

    // MARK: conversions

    /// Integers, integral floats ("12.0") and numeric strings ("12"), which
    /// exporters use for 64-bit values JavaScript cannot hold.
    static func integer(_ value: JSONValue) -> Int64? {
        switch value {
        case .number(let n): return n.int64
        case .string(let s): return Int64(s)
        default: return nil
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let n): return n.double
        case .string(let s): return Double(s).flatMap { $0.isFinite ? $0 : nil }
        default: return nil
        }
    }

    // MARK: leftovers

    /// The members no read used, with the same nesting; nil when nothing is left.
    func extra() -> JSONValue? {
        guard case .object(let members) = root else { return nil }
        let rest = remaining(members, prefix: [])
        return rest.isEmpty ? nil : .object(rest)
    }

    private func remaining(_ members: [JSONMember], prefix: [String]) -> [JSONMember] {
        members.compactMap { member in
            let path = prefix + [member.key]
            if used.contains(path) { return nil }
            // Only descend into objects some read reached into; others are kept whole.
            guard case .object(let inner) = member.value, used.contains(where: { $0.starts(with: path) }) else {
                return member
            }
            let rest = remaining(inner, prefix: path)
            return rest.isEmpty ? nil : JSONMember(key: member.key, value: .object(rest))
        }
    }
}
