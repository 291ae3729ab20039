/// The value of one context field: an integer or borrowed text (see `LogText`).
public enum FieldValue: Sendable {
    case int(Int64)
    case text(LogText)

    /// The value as text, for tests and debugging.
    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .text(let text): return text.string
        }
    }
}
