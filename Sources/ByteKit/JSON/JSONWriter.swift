/// The one JSON writer: appends a document to a reusable byte buffer, with commas
/// placed automatically. Strings are escaped per RFC 8259 and stored under
/// `TextPolicy` (NUL and invalid UTF-8 become U+FFFD), so whatever bytes come in,
/// the output is JSON that PostgreSQL's jsonb accepts. Numbers: integers exactly,
/// doubles fixed-point or shortest round-trip, NaN and infinities as null.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next value or key needs a separating comma.
    private var needsComma = false

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    /// The document written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Starts a new document, keeping the buffer's capacity.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    public mutating func beginObject() { open(0x7B) }
    public mutating func endObject() { close(0x7D) }
    public mutating func beginArray() { open(0x5B) }
    public mutating func endArray() { close(0x5D) }

    // MARK: - Keys

    public mutating func key(_ name: StaticString) {
        name.withUTF8Buffer { key(bytes: UnsafeRawBufferPointer($0)) }
    }

    public mutating func key(_ name: String) {
        var name = name
        name.withUTF8 { key(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// A key from raw bytes (any bytes: escaped and repaired like a string value).
    public mutating func key(bytes name: UnsafeRawBufferPointer) {
        separate()
        appendString(name)
        bytes.append(0x3A)
        needsComma = false
    }

    // MARK: - Values

    public mutating func value(_ text: String) {
        var text = text
        text.withUTF8 { value(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// A string from raw bytes: escaped, NUL and invalid UTF-8 replaced by U+FFFD.
    public mutating func value(bytes text: UnsafeRawBufferPointer) {
        separate()
        appendString(text)
        needsComma = true
    }

    public mutating func value(_ number: Int) { value(Int64(number)) }
    public mutating func value(_ number: Int32) { value(Int64(number)) }

    public mutating func value(_ number: Int64) {
        separate()
        appendInteger(number.magnitude, negative: number < 0)
        needsComma = true
    }

    public mutating func value(_ number: UInt64) {
        separate()
        appendInteger(number, negative: false)
        needsComma = true
    }

    /// Fixed-point with `fractionDigits` decimals (0...6), trailing zeros trimmed
    /// (metrics: "12.35", "100"); NaN, infinities and magnitudes past 2^63 are null.
    public mutating func value(_ number: Double, fractionDigits: Int = 2) {
        guard number.isFinite else { return null() }
        let digits = min(max(fractionDigits, 0), 6)
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (number.magnitude * Double(scale)).rounded()
        // Beyond 2^63 fixed point is pointless; such values are not metrics anyway.
        guard scaled < 9.2e18 else { return null() }
        separate()
        let units = UInt64(scaled)
        let whole = units / scale
        var fraction = units % scale
        var fractionWidth = digits
        while fractionWidth > 0, fraction % 10 == 0 {
            fraction /= 10
            fractionWidth -= 1
        }
        appendInteger(whole, negative: number < 0 && units > 0)
        if fractionWidth > 0 {
            bytes.append(0x2E)
            let start = bytes.count
            for _ in 0..<fractionWidth {
                bytes.append(0x30 + UInt8(fraction % 10))
                fraction /= 10
            }
            bytes[start...].reverse()
        }
        needsComma = true
    }

    /// The shortest text that reads back as the same Double ("0.1", "1e-05");
    /// NaN and infinities, which JSON cannot hold, are null.
    public mutating func value(exactly number: Double) {
        guard number.isFinite else { return null() }
        separate()
        bytes.append(contentsOf: number.description.utf8)
        needsComma = true
    }

    public mutating func value(_ flag: Bool) {
        separate()
        appendLiteral(flag ? "true" : "false")
        needsComma = true
    }

    public mutating func null() {
        separate()
        appendLiteral("null")
        needsComma = true
    }

    public mutating func value(_ number: Int?) {
        if let number { value(number) } else { null() }
    }

    public mutating func value(_ number: Double?, fractionDigits: Int = 2) {
        if let number { value(number, fractionDigits: fractionDigits) } else { null() }
    }

    /// A number literal already checked against the JSON grammar (a parsed
    /// `JSONNumber`), written as it came.
    public mutating func value(numberLiteral literal: String) {
        separate()
        bytes.append(contentsOf: literal.utf8)
        needsComma = true
    }

    // MARK: - Bytes

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(0x2C) }
    }

    private mutating func appendLiteral(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func appendInteger(_ magnitude: UInt64, negative: Bool) {
        if negative { bytes.append(0x2D) }
        let start = bytes.count
        var rest = magnitude
        repeat {
            bytes.append(0x30 + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        bytes[start...].reverse()
    }

    /// A quoted string: `"` `\` and control characters escaped (DEL too, as
    /// `\u007f`), NUL and each invalid UTF-8 subpart as U+FFFD.
    private mutating func appendString(_ text: UnsafeRawBufferPointer) {
        bytes.append(0x22)
        var index = 0
        let count = text.count
        while index < count {
            let byte = text[index]
            switch byte {
            case 0x22: appendLiteral("\\\"")
            case 0x5C: appendLiteral("\\\\")
            case 0x0A: appendLiteral("\\n")
            case 0x0D: appendLiteral("\\r")
            case 0x09: appendLiteral("\\t")
            case 0x08: appendLiteral("\\b")
            case 0x0C: appendLiteral("\\f")
            case 0x00: TextPolicy.appendReplacement(to: &bytes)
            case 0x01..<0x20, 0x7F:
                appendLiteral("\\u00")
                bytes.append(Self.hexDigit(byte >> 4))
                bytes.append(Self.hexDigit(byte & 0x0F))
            case 0x20..<0x80: bytes.append(byte)
            default:
                index += TextPolicy.appendSequence(text, at: index, to: &bytes)
                continue
            }
            index += 1
        }
        bytes.append(0x22)
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10
    }
}
