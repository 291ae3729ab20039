/// Builds a `JSONValue` tree (scraped metrics bodies) from one document, over
/// `JSONTokenizer`. An optional UTF-8 BOM and surrounding whitespace are allowed;
/// strings are decoded under `TextPolicy` (invalid UTF-8 and `\u0000` become
/// U+FFFD, never an error); nesting is capped at `maxDepth` containers, so a hostile
/// `[[[[...` cannot exhaust the calling thread's stack.
public struct JSONParser {
    public static let defaultMaxDepth = JSONTokenizer.defaultMaximumDepth

    private var tokenizer: JSONTokenizer
    private var scratch: [UInt8] = []

    public static func parse(_ input: [UInt8], maxDepth: Int = defaultMaxDepth) -> Result<JSONValue, JSONError> {
        input.withUnsafeBytes { buffer in
            var parser = JSONParser(tokenizer: JSONTokenizer(buffer, maximumDepth: maxDepth))
            do throws(JSONError) {
                return .success(try parser.document())
            } catch {
                return .failure(error)
            }
        }
    }

    private init(tokenizer: JSONTokenizer) {
        self.tokenizer = tokenizer
    }

    private mutating func document() throws(JSONError) -> JSONValue {
        let bytes = tokenizer.bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { tokenizer.position = 3 }
        tokenizer.skipWhitespace()
        guard !tokenizer.isAtEnd else { throw tokenizer.error(bytes.isEmpty ? .emptyInput : .noValue) }
        let value = try value(depth: 0)
        tokenizer.skipWhitespace()
        guard tokenizer.isAtEnd else { throw tokenizer.error(.trailingData) }
        return value
    }

    private mutating func value(depth: Int) throws(JSONError) -> JSONValue {
        switch tokenizer.peek() {
        case 0x7B: return try object(depth: depth)
        case 0x5B: return try array(depth: depth)
        default: break
        }
        switch try tokenizer.scanValue(depth: depth) {
        case .string(let start, let end, _): return .string(string(start, end))
        case .number(let start, let end):
            let literal = UnsafeRawBufferPointer(rebasing: tokenizer.bytes[start..<end])
            let integer = !literal.contains { $0 == 0x2E || $0 | 0x20 == 0x65 }
            return .number(JSONNumber(literal: String(decoding: literal, as: UTF8.self), isIntegerLiteral: integer))
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        case .array, .object: throw tokenizer.error(.noValue)  // handled above
        }
    }

    private mutating func object(depth: Int) throws(JSONError) -> JSONValue {
        try tokenizer.checkDepth(depth)
        tokenizer.position += 1
        var members: [JSONMember] = []
        tokenizer.skipWhitespace()
        if tokenizer.consume(0x7D) { return .object(members) }
        while true {
            tokenizer.skipWhitespace()
            guard tokenizer.peek() == 0x22, case .string(let start, let end, _) = try tokenizer.scanString() else {
                throw tokenizer.unexpected(.expectedKey)
            }
            let key = string(start, end)
            tokenizer.skipWhitespace()
            guard tokenizer.consume(0x3A) else { throw tokenizer.unexpected(.expectedColon) }
            tokenizer.skipWhitespace()
            members.append(JSONMember(key: key, value: try value(depth: depth + 1)))
            tokenizer.skipWhitespace()
            if tokenizer.consume(0x2C) { continue }
            if tokenizer.consume(0x7D) { return .object(members) }
            throw tokenizer.unexpected(.expectedCommaOrClose(0x7D))
        }
    }

    private mutating func array(depth: Int) throws(JSONError) -> JSONValue {
        try tokenizer.checkDepth(depth)
        tokenizer.position += 1
        var elements: [JSONValue] = []
        tokenizer.skipWhitespace()
        if tokenizer.consume(0x5D) { return .array(elements) }
        while true {
            tokenizer.skipWhitespace()
            elements.append(try value(depth: depth + 1))
            tokenizer.skipWhitespace()
            if tokenizer.consume(0x2C) { continue }
            if tokenizer.consume(0x5D) { return .array(elements) }
            throw tokenizer.unexpected(.expectedCommaOrClose(0x5D))
        }
    }

    /// A checked string's contents, unescaped and repaired.
    private mutating func string(_ start: Int, _ end: Int) -> String {
        scratch.removeAll(keepingCapacity: true)
        JSONStringDecoder.appendUnescaped(tokenizer.bytes, from: start, to: end, to: &scratch)
        return scratch.withUnsafeBytes { TextPolicy.storableString($0) }
    }
}
