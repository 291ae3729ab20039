/// One key/value pair of a record's structured context (`pqc_kv`).
public struct LogField: Sendable {
    public var key: FieldKey
    public var value: FieldValue

    public init(_ key: FieldKey, _ value: FieldValue) {
        self.key = key
        self.value = value
    }
}
