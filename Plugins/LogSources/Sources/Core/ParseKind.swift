/// What a line turned out to be. Raw values are those of `pqc_parse_result`.
public enum ParseKind: UInt32, Sendable {
    /// A new record.
    case record = 0
    /// Extends the previous record of the source: the message is appended after a
    /// newline and the fields are merged (a stack-trace line, a PostgreSQL DETAIL).
    case continuation = 1
    /// Carries nothing (blank line, banner): dropped and counted.
    case skip = 2
    /// Not this format: the host stores the raw line with level unknown.
    case unparsed = 3
}
