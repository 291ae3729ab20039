import ByteKit
import PluginKit

/// The `extra` JSONB cell: the scraped members no column took, capped in size
/// because an endpoint with per-route detail could otherwise add kilobytes to
/// every row every 10 seconds.
enum ExtraColumn {
    static let defaultMaxBytes = 16_384

    static func cell(_ extra: JSONValue?, maxBytes: Int) -> RowValue {
        guard let extra, maxBytes > 0 else { return .null }
        let text = extra.jsonText
        guard text.utf8.count > maxBytes else { return .json(text) }
        // Too big: keep what was there (top-level keys) rather than a cut-off document.
        var keys: [JSONValue] = []
        if case .object(let members) = extra {
            keys = members.prefix(100).map { .string($0.key) }
        }
        let summary = JSONValue.object([
            JSONMember(key: "truncated", value: .bool(true)),
            JSONMember(key: "bytes", value: .number(JSONNumber(literal: String(text.utf8.count), isIntegerLiteral: true))),
            JSONMember(key: "keys", value: .array(keys)),
        ])
        return .json(summary.jsonText)
    }
}
