import XCTest
@testable import AppMetricsCore

final class JSONParserTests: XCTestCase {
    private func parse(_ text: String) -> Result<JSONValue, JSONParseError> { JSONParser.parse(Array(text.utf8)) }

    private func value(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONValue? {
        switch parse(text) {
        case .success(let v): return v
        case .failure(let e): XCTFail("\(text) should parse: \(e)", file: file, line: line); return nil
        }
    }

    private func failure(_ text: String) -> JSONParseError? {
        if case .failure(let e) = parse(text) { return e }
        return nil
    }

    func testParsesNestedDocumentKeepingMemberOrder() {
        let v = value(#" { "b": [1, -2.5, 3e2, true, false, null], "a": {"x": "y"}, "c": "" } "#)
        guard case .object(let members)? = v else { return XCTFail("not an object") }
        XCTAssertEqual(members.map(\.key), ["b", "a", "c"])
        XCTAssertEqual(v?["b"], .array([
            .number(JSONNumber(literal: "1", isIntegerLiteral: true)),
            .number(JSONNumber(literal: "-2.5", isIntegerLiteral: false)),
            .number(JSONNumber(literal: "3e2", isIntegerLiteral: false)),
            .bool(true), .bool(false), .null,
        ]))
        XCTAssertEqual(v?.value(at: ["a", "x"]), .string("y"))
        XCTAssertEqual(v?["c"], .string(""))
    }

    func testNumbersKeepExactIntegers() {
        // 2^63 - 1 is exact as Int64 but not representable as a Double.
        guard case .number(let big)? = value("9223372036854775807") else { return XCTFail() }
        XCTAssertEqual(big.int64, Int64.max)
        guard case .number(let over)? = value("9223372036854775808") else { return XCTFail() }
        XCTAssertNil(over.int64, "outside Int64")
        XCTAssertEqual(over.double, 9223372036854775808.0)
        guard case .number(let floaty)? = value("1.5e3") else { return XCTFail() }
        XCTAssertEqual(floaty.int64, 1500, "an integral float is an integer")
        guard case .number(let fraction)? = value("2.5") else { return XCTFail() }
        XCTAssertNil(fraction.int64)
        guard case .number(let huge)? = value("1e999") else { return XCTFail() }
        XCTAssertNil(huge.double, "overflow is not a finite Double")
        XCTAssertEqual(huge.literal, "1e999")
    }

    func testStringEscapesAndSurrogates() {
        XCTAssertEqual(value(#""a\"b\\c\/d\b\f\n\r\t""#), .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        XCTAssertEqual(value(#""\u00e9\u20AC""#), .string("é€"))
        XCTAssertEqual(value(#""\ud83d\ude00""#), .string("😀"), "a surrogate pair is one scalar")
        XCTAssertEqual(value(#""x\ud83dy""#), .string("x\u{FFFD}y"), "a lone high surrogate is replaced")
        XCTAssertEqual(value(#""\ude00""#), .string("\u{FFFD}"), "a lone low surrogate is replaced")
        XCTAssertEqual(value(#""\ud83d\u0041""#), .string("\u{FFFD}A"), "a high surrogate followed by a non-low escape")
        XCTAssertEqual(value(#""\u0000""#), .string("\u{0}"))
    }

    func testInvalidUTF8InStringsIsReplacedNotRejected() {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0xC3, 0x22]
        XCTAssertEqual(try JSONParser.parse(bytes).get(), .string("a\u{FFFD}b\u{FFFD}"))
    }

    func testByteOrderMarkAndWhitespaceAreAccepted() {
        XCTAssertEqual(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array(" \n\t{}\r\n".utf8)).get(), .object([]))
    }

    func testMalformedDocumentsAreErrorsWithOffsets() {
        let cases: [(String, String)] = [
            ("", "empty body"),
            ("   ", "no JSON value"),
            ("{\"a\":1,}", "expected a string key"),
            ("[1,]", "unexpected character ']'"),
            ("[1 2]", "expected ',' or ']'"),
            ("{\"a\" 1}", "expected ':'"),
            ("{\"a\":1 \"b\":2}", "expected ',' or '}'"),
            ("01", "unexpected data after the JSON value"),
            ("-", "expected a digit"),
            ("1.", "expected a digit after '.'"),
            ("1e", "expected a digit in the exponent"),
            ("NaN", "unexpected character 'N'"),
            ("'a'", "unexpected character"),
            ("tru", "unexpected end of input"),
            ("nul1", "invalid literal"),
            ("\"abc", "unterminated string"),
            ("\"a\nb\"", "unescaped control character 0xA"),
            ("\"\\x\"", "invalid escape"),
            ("\"\\u12G4\"", "invalid hex digit"),
            ("\"\\u12", "truncated \\u escape"),
            ("{} {}", "unexpected data after the JSON value"),
            ("// c\n{}", "unexpected character '/'"),
        ]
        for (text, reason) in cases {
            guard let error = failure(text) else { XCTFail("\(text.debugDescription) should fail"); continue }
            XCTAssertTrue(error.reason.contains(reason), "\(text.debugDescription): \(error)")
            XCTAssertTrue((0...text.utf8.count).contains(error.offset), "\(text.debugDescription): offset \(error.offset)")
        }
        XCTAssertEqual(failure("{\"a\":1,}")?.offset, 7)
    }

    func testNestingIsLimited() {
        let limit = JSONParser.defaultMaxDepth
        let ok = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        XCTAssertNotNil(value(ok))
        let deep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        XCTAssertTrue(failure(deep)?.reason.contains("nesting deeper than \(limit)") ?? false)
        // Far past the limit (a stack-smashing attempt) is the same clean error.
        XCTAssertNotNil(failure(String(repeating: "{\"a\":", count: 200_000)))
    }

    /// Every prefix of a real document, and random bytes, give a value or an error: never a trap.
    func testArbitraryBytesNeverCrash() throws {
        let fixture = try Fixture.bytes("proxy_metrics_1.json")
        var parsedPrefixes = 0
        for end in 0...fixture.count {
            if case .success = JSONParser.parse(Array(fixture[0..<end])) { parsedPrefixes += 1 }
        }
        // Only the whole document, with and without its trailing newline, is complete.
        XCTAssertEqual(fixture.last, UInt8(ascii: "\n"))
        XCTAssertEqual(parsedPrefixes, 2)

        var rng = SplitMix64(seed: 0x5eed)
        let alphabet = Array("{}[]\":,.-+eE0123456789tfnrul\\ \n\u{1}abc".utf8) + [0xFF, 0xC3, 0x00]
        var outcomes = (ok: 0, failed: 0)
        for _ in 0..<20_000 {
            let length = Int(rng.next() % 40)
            let bytes = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            switch JSONParser.parse(bytes) {
            case .success: outcomes.ok += 1
            case .failure: outcomes.failed += 1
            }
        }
        XCTAssertEqual(outcomes.ok + outcomes.failed, 20_000)
        XCTAssertGreaterThan(outcomes.failed, 0)

        // Mutations of a valid document: flip one byte at a time.
        for i in stride(from: 0, to: fixture.count, by: 3) {
            var mutated = fixture
            mutated[i] = UInt8(truncatingIfNeeded: rng.next())
            _ = JSONParser.parse(mutated)
        }
    }
}

/// A tiny deterministic generator, so a failure reproduces.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
