/// A value that writes itself as one JSON value (an object, usually).
public protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension JSONWriter {
    /// Replaces the buffer with a JSON array of `items` and returns it as text.
    public mutating func array<Item: JSONWritable>(_ items: [Item]) -> String {
        reset()
        beginArray()
        for item in items { item.write(to: &self) }
        endArray()
        return text
    }

    /// A JSON array of `items` written with a fresh writer.
    public static func array<Item: JSONWritable>(_ items: [Item]) -> String {
        var writer = JSONWriter(capacity: 128 * max(items.count, 1))
        return writer.array(items)
    }
}
