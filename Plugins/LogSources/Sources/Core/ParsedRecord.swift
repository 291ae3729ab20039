/// An owned copy of a `ParseOutcome`, with Swift strings: for tests, tools and
/// callers that keep records past the next `parse` call.
public struct ParsedRecord: Sendable, Equatable {
    public var kind: ParseKind
    public var timestampMicros: Int64
    public var level: LogLevel
    public var component: String?
    public var message: String
    /// Raw message bytes (the `message` string has invalid UTF-8 replaced).
    public var messageBytes: [UInt8]
    public var fields: [String: String]

    public init(_ outcome: ParseOutcome) {
        kind = outcome.kind
        timestampMicros = outcome.timestampMicros
        level = outcome.level
        component = outcome.component?.string
        message = outcome.message.string
        messageBytes = outcome.message.array
        var copied: [String: String] = [:]
        for field in outcome.fields {
            copied[field.key.nameString] = field.value.description
        }
        fields = copied
    }
}
