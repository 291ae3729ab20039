/// The index a statement's predicate asks for, when the statement makes it
/// clear: one table (no join, no subquery), a WHERE clause that is a plain
/// conjunction of `column <op> value` terms. Equality columns come first (in
/// the order written), then at most one range column: the column order a
/// B-tree serves best. Anything less clear (OR, functions of columns, several
/// tables) gives no suggestion rather than a wrong one.
public struct IndexSuggestion: Sendable, Equatable {
    /// As written in the statement (quotes kept), e.g. `public.orders`.
    public var table: String
    /// As written (quotes kept).
    public var columns: [String]

    public var ddl: String { "CREATE INDEX CONCURRENTLY ON \(table) (\(columns.joined(separator: ", ")))" }

    /// The column names as the catalog stores them (unquoted, or folded to lower case).
    public var catalogColumns: [String] { columns.map(Self.catalogName) }

    public static func from(statement: String) -> IndexSuggestion? {
        let tokens = SQLTokens.split(statement)
        var lower = tokens.map { $0.lowercased() }
        lower.append(contentsOf: ["", "", "", "", ""])  // lookahead past the end reads ""
        // One table: no joins, no second FROM (subqueries), no set operations.
        let blockers: Set<String> = ["join", "union", "intersect", "except", "with"]
        guard !lower.contains(where: blockers.contains), lower.filter({ $0 == "from" }).count <= 1,
              lower.filter({ $0 == "select" }).count <= 1 else { return nil }
        var i: Int
        switch lower.first {
        case "select", "delete":
            guard let from = lower.firstIndex(of: "from") else { return nil }
            i = from + 1
        case "update":
            i = 1
            if lower[i] == "only" { i += 1 }
        default:
            return nil
        }
        guard i < tokens.count, let (table, next) = qualifiedName(tokens, lower, at: i) else { return nil }
        i = next
        // An optional alias.
        var alias: String?
        if lower[i] == "as" { i += 1 }
        if i < tokens.count, isIdentifier(tokens[i]), !keywords.contains(lower[i]) { alias = lower[i]; i += 1 }
        if lower[i] == "," { return nil }
        guard let whereAt = lower[i...].firstIndex(of: "where") else { return nil }
        i = whereAt + 1

        var equality: [String] = [], range: [String] = []
        let enders: Set<String> = ["group", "order", "limit", "offset", "returning", "for", ";", "", "having", "window", "fetch"]
        while !enders.contains(lower[i]) {
            guard let (column, afterColumn) = columnReference(tokens, lower, at: i, table: table, alias: alias) else { return nil }
            i = afterColumn
            switch lower[i] {
            case "=":
                equality.append(column); i += 1
                guard isValue(lower[i]) else { return nil }
                i += 1
            case "<", ">", "<=", ">=":
                range.append(column); i += 1
                guard isValue(lower[i]) else { return nil }
                i += 1
            case "in":
                guard lower[i + 1] == "(" else { return nil }
                guard let close = lower[(i + 1)...].firstIndex(of: ")") else { return nil }
                guard lower[(i + 2)..<close].allSatisfy({ isValue($0) || $0 == "," }) else { return nil }
                equality.append(column); i = close + 1
            case "between":
                guard isValue(lower[i + 1]), lower[i + 2] == "and", isValue(lower[i + 3]) else { return nil }
                range.append(column); i += 4
            default:
                return nil
            }
            if lower[i] == "and" { i += 1 } else if !enders.contains(lower[i]) { return nil }
        }
        var columns: [String] = []
        for c in equality where !columns.contains(c) { columns.append(c) }
        if let r = range.first(where: { !columns.contains($0) }) { columns.append(r) }
        guard !columns.isEmpty else { return nil }
        return IndexSuggestion(table: table, columns: columns)
    }

    static let keywords: Set<String> = ["where", "set", "group", "order", "limit", "on", "using", "returning", "for", "join",
                                        "left", "right", "inner", "full", "cross", "natural", "offset", "window"]

    static func isIdentifier(_ token: String) -> Bool {
        guard let first = token.utf8.first else { return false }
        return first == UInt8(ascii: "\"") || first == UInt8(ascii: "_") || (first | 0x20 >= UInt8(ascii: "a") && first | 0x20 <= UInt8(ascii: "z"))
    }

    static func isValue(_ token: String) -> Bool {
        guard let first = token.utf8.first else { return false }
        return first == UInt8(ascii: "$") || first == UInt8(ascii: "'") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
            || token == "true" || token == "false"
    }

    /// `name` or `schema.name`.
    static func qualifiedName(_ tokens: [String], _ lower: [String], at i: Int) -> (String, Int)? {
        guard isIdentifier(tokens[i]), !keywords.contains(lower[i]) else { return nil }
        if lower[i + 1] == ".", i + 2 < tokens.count, isIdentifier(tokens[i + 2]) {
            return (tokens[i] + "." + tokens[i + 2], i + 3)
        }
        return (tokens[i], i + 1)
    }

    /// `column`, `alias.column` or `table.column` (the alias or table must be this statement's).
    static func columnReference(_ tokens: [String], _ lower: [String], at i: Int, table: String, alias: String?) -> (String, Int)? {
        guard i < tokens.count, isIdentifier(tokens[i]), !keywords.contains(lower[i]), lower[i] != "not" else { return nil }
        if lower[i + 1] == "." {
            guard i + 2 < tokens.count, isIdentifier(tokens[i + 2]) else { return nil }
            let qualifier = lower[i]
            let bare = table.lowercased().split(separator: ".").last.map(String.init) ?? table.lowercased()
            guard qualifier == alias || qualifier == bare else { return nil }
            return (tokens[i + 2], i + 3)
        }
        return (tokens[i], i + 1)
    }

    static func catalogName(_ identifier: String) -> String {
        if identifier.hasPrefix("\""), identifier.hasSuffix("\""), identifier.utf8.count >= 2 {
            return String(identifier.dropFirst().dropLast())
        }
        return identifier.lowercased()
    }
}

/// A statement split into SQL tokens: identifiers (quoted ones whole), numbers,
/// `$n` parameters, string literals (whole), operators and punctuation.
enum SQLTokens {
    static func split(_ sql: String) -> [String] {
        let b = Array(sql.utf8)
        var out: [String] = []
        var i = 0
        func isWord(_ c: UInt8) -> Bool {
            c == UInt8(ascii: "_") || c == UInt8(ascii: "$") || (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c >= 0x80
        }
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D { i += 1; continue }
            let start = i
            if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                i += 1
                while i < b.count {
                    if b[i] == c { if i + 1 < b.count, b[i + 1] == c { i += 2; continue }; i += 1; break }
                    i += 1
                }
            } else if isWord(c) {
                while i < b.count, isWord(b[i]) { i += 1 }
            } else if (c == UInt8(ascii: "<") || c == UInt8(ascii: ">") || c == UInt8(ascii: "!")), i + 1 < b.count,
                      b[i + 1] == UInt8(ascii: "=") || b[i + 1] == UInt8(ascii: ">") {
                i += 2
            } else {
                i += 1
            }
            out.append(String(decoding: b[start..<i], as: UTF8.self))
        }
        return out
    }
}
