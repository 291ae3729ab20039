/// A minimal streaming JSON writer for the per-core, per-mount, per-device,
/// per-interface and per-process lists stored as JSONB. It appends bytes to
/// one reusable buffer; keys are StaticStrings so nothing is allocated per field.
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

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { appendEscaped($0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func value(_ text: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { appendEscaped($0) }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func value(_ number: Int) {
        separate()
        appendInteger(UInt64(number.magnitude), negative: number < 0)
        needsComma = true
    }

    public mutating func value(_ number: UInt64) {
        separate()
        appendInteger(number, negative: false)
        needsComma = true
    }

    public mutating func value(_ number: Int32) { value(Int(number)) }

    /// Fixed-point with `fractionDigits` decimals (0...6), trailing zeros
    /// trimmed; NaN and infinities, which JSON cannot hold, become null.
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
            bytes.append(UInt8(ascii: "."))
            let start = bytes.count
            for _ in 0..<fractionWidth {
                bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
                fraction /= 10
            }
            bytes[start...].reverse()
        }
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
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendLiteral(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func appendInteger(_ magnitude: UInt64, negative: Bool) {
        if negative { bytes.append(UInt8(ascii: "-")) }
        let start = bytes.count
        var rest = magnitude
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        bytes[start...].reverse()
    }

    /// RFC 8259 escaping: quote, backslash and control characters; other
    /// UTF-8 passes through (Swift strings are valid UTF-8).
    private mutating func appendEscaped(_ text: UnsafeBufferPointer<UInt8>) {
        for byte in text {
            switch byte {
            case UInt8(ascii: "\""): appendLiteral("\\\"")
            case UInt8(ascii: "\\"): appendLiteral("\\\\")
            case 0x0A: appendLiteral("\\n")
            case 0x0D: appendLiteral("\\r")
            case 0x09: appendLiteral("\\t")
            case 0x08: appendLiteral("\\b")
            case 0x0C: appendLiteral("\\f")
            case 0x00..<0x20, 0x7F:
                appendLiteral("\\u00")
                bytes.append(Self.hexDigit(byte >> 4))
                bytes.append(Self.hexDigit(byte & 0x0F))
            default: bytes.append(byte)
            }
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
