/// The result of parsing one line; maps 1:1 onto `pqc_parse_result` + `pqc_log_record`.
///
/// Text members borrow the line or the parser's own storage (see `LogText`): read or
/// copy them before the next `parse` call on the same parser.
public struct ParseOutcome: Sendable {
    public var kind: ParseKind
    /// Event time in microseconds since the epoch, UTC; 0 when the line has none.
    public var timestampMicros: Int64
    public var level: LogLevel
    /// Process, module or logger name; nil when the format has none.
    public var component: LogText?
    /// The message without the prefix the parser consumed. For `.unparsed` the
    /// whole line, for `.continuation` the text to append.
    public var message: LogText
    /// Structured context (pid, user, database, client IP, unit, ...).
    public var fields: [LogField]

    public init(
        kind: ParseKind,
        timestampMicros: Int64 = 0,
        level: LogLevel = .unknown,
        component: LogText? = nil,
        message: LogText = .empty,
        fields: [LogField] = []
    ) {
        self.kind = kind
        self.timestampMicros = timestampMicros
        self.level = level
        self.component = component
        self.message = message
        self.fields = fields
    }

    /// A blank line or a banner.
    public static let skip = ParseOutcome(kind: .skip)

    /// The line is not in this parser's format; the raw line travels as the message.
    public static func unparsed(_ line: UnsafeRawBufferPointer) -> ParseOutcome {
        ParseOutcome(kind: .unparsed, message: LogText(line))
    }

    /// The first field with `key`, if any (for tests and the host's merge logic).
    public func field(_ key: FieldKey) -> FieldValue? {
        fields.first { $0.key == key }?.value
    }
}
