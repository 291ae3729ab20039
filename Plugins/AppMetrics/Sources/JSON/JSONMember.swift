/// One `"key": value` pair of a JSON object.
struct JSONMember: Sendable, Equatable {
    let key: String
    let value: JSONValue
}
