/// A JSON number kept as its literal text, so a 64-bit counter is read exactly
/// (a Double would round counters above 2^53) and written back unchanged.
public struct JSONNumber: Sendable, Equatable {
    /// The literal as it appeared, already checked against the JSON grammar.
    public let literal: String
    /// True when the literal has no fraction and no exponent.
    public let isIntegerLiteral: Bool

    public init(literal: String, isIntegerLiteral: Bool) {
        self.literal = literal
        self.isIntegerLiteral = isIntegerLiteral
    }

    /// The exact integer value; nil for fractions and for integers outside Int64.
    public var int64: Int64? {
        if isIntegerLiteral { return Int64(literal) }
        // "1.0e3" is an integer written in float syntax; accept it only when exact.
        guard let d = double, d == d.rounded(.towardZero), abs(d) < 9.0e18 else { return nil }
        return Int64(d)
    }

    /// The value as a finite Double; nil when it overflows ("1e999").
    public var double: Double? {
        guard let d = Double(literal), d.isFinite else { return nil }
        return d
    }
}
