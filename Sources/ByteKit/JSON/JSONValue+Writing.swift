/// Writing a decoded document back (AppMetrics' `extra` cell) for a jsonb column.
/// jsonb is stricter than JSON about numbers: literals beyond its numeric range
/// are written as strings rather than failing the row.
extension JSONValue: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let flag): writer.value(flag)
        case .number(let number):
            if Self.isStorable(number.literal) { writer.value(numberLiteral: number.literal) } else { writer.value(number.literal) }
        case .string(let text): writer.value(text)
        case .array(let elements):
            writer.beginArray()
            for element in elements { element.write(to: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for member in members {
                writer.key(member.key)
                member.value.write(to: &writer)
            }
            writer.endObject()
        }
    }

    /// The document as JSON text.
    public var jsonText: String {
        var writer = JSONWriter(capacity: 256)
        write(to: &writer)
        return writer.text
    }

    /// PostgreSQL's numeric takes exponents in the low thousands; stay well inside.
    private static func isStorable(_ literal: String) -> Bool {
        guard literal.utf8.count <= 100 else { return false }
        guard let e = literal.utf8.firstIndex(where: { $0 == 0x65 || $0 == 0x45 }) else { return true }
        let exponent = literal.utf8[literal.utf8.index(after: e)...].filter { $0 != 0x2B }
        return Int(String(decoding: exponent, as: UTF8.self)).map { abs($0) <= 1000 } ?? false
    }
}
