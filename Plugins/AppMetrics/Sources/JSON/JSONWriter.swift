/// Serialises a `JSONValue` for a JSONB column.
///
/// The output must be accepted by PostgreSQL's jsonb, which is stricter than
/// JSON itself: it rejects the escape \u0000 (so NUL becomes U+FFFD) and
/// numbers beyond its numeric range (so absurd literals are kept as strings).
enum JSONWriter {
    static func string(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    static func write(_ value: JSONValue, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n):
            if isStorable(n.literal) { out += n.literal } else { writeString(n.literal, into: &out) }
        case .string(let s): writeString(s, into: &out)
        case .array(let elements):
            out += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += "," }
                write(element, into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, member) in members.enumerated() {
                if i > 0 { out += "," }
                writeString(member.key, into: &out)
                out += ":"
                write(member.value, into: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0}": out += "\u{FFFD}"
            case "\u{1}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// PostgreSQL's numeric takes exponents in the low thousands; stay well inside.
    private static func isStorable(_ literal: String) -> Bool {
        guard literal.utf8.count <= 100 else { return false }
        guard let e = literal.utf8.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else { return true }
        let exponent = literal.utf8[literal.utf8.index(after: e)...].filter { $0 != UInt8(ascii: "+") }
        return Int(String(decoding: exponent, as: UTF8.self)).map { abs($0) <= 1000 } ?? false
    }
}
