/// Why bytes are not one JSON document, and where (byte offset) it was noticed.
struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    let reason: String
    let offset: Int

    var description: String { "\(reason) at byte \(offset)" }
}
