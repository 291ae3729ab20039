/// Why bytes are not (one) JSON document, and the byte offset where it was noticed.
/// A kind, not a String, so the journal's per-line failures allocate nothing;
/// `reason` spells it out for messages.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case emptyInput
        case noValue
        case notAnObject
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case expectedKey
        case expectedColon
        case expectedCommaOrClose(UInt8)
        case trailingData
        case expectedDigit
        case expectedFractionDigit
        case expectedExponentDigit
        case invalidLiteral(expected: StaticString)
        case unterminatedString
        case unterminatedEscape
        case controlCharacter(UInt8)
        case invalidEscape(UInt8)
        case invalidHexDigit(UInt8)
        case truncatedUnicodeEscape
        /// More containers open at once than the reader's limit: a hostile `[[[[...`
        /// is a clean error, never a stack overflow.
        case tooDeep(limit: Int)

        public static func == (lhs: Kind, rhs: Kind) -> Bool { lhs.reason == rhs.reason }
    }

    public let kind: Kind
    public let offset: Int

    @inlinable
    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var reason: String { kind.reason }
    public var description: String { "\(reason) at byte \(offset)" }
}

extension JSONError.Kind {
    public var reason: String {
        switch self {
        case .emptyInput: "empty body"
        case .noValue: "no JSON value"
        case .notAnObject: "not a JSON object"
        case .unexpectedEnd: "unexpected end of input"
        case .unexpectedByte(let byte): "unexpected character \(Self.describe(byte))"
        case .expectedKey: "expected a string key"
        case .expectedColon: "expected ':' after a key"
        case .expectedCommaOrClose(let close): close == 0x5D ? "expected ',' or ']' in an array" : "expected ',' or '}' in an object"
        case .trailingData: "unexpected data after the JSON value"
        case .expectedDigit: "expected a digit"
        case .expectedFractionDigit: "expected a digit after '.'"
        case .expectedExponentDigit: "expected a digit in the exponent"
        case .invalidLiteral(let word): "invalid literal (expected \(word))"
        case .unterminatedString: "unterminated string"
        case .unterminatedEscape: "unterminated escape"
        case .controlCharacter(let byte): "unescaped control character \(Self.describe(byte)) in a string"
        case .invalidEscape(let byte): "invalid escape \\\(Self.describe(byte))"
        case .invalidHexDigit(let byte): "invalid hex digit \(Self.describe(byte)) in a \\u escape"
        case .truncatedUnicodeEscape: "truncated \\u escape"
        case .tooDeep(let limit): "nesting deeper than \(limit) levels"
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "0x\(String(byte, radix: 16, uppercase: true))"
    }
}
