/// Where a metric may sit in the scraped object: a dotted key path such as
/// "latency_ms.p95". A field lists several paths (aliases); the first present
/// one with a usable value wins.
struct FieldPath: Sendable, Hashable, ExpressibleByStringInterpolation {
    let keys: [String]

    init(stringLiteral text: String) {
        keys = text.split(separator: ".").map(String.init)
    }

    init(keys: [String]) {
        self.keys = keys
    }

    var dotted: String { keys.joined(separator: ".") }
}
