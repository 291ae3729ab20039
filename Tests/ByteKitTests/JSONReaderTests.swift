import ByteKit
import XCTest

/// The one JSON reader, through its three layers: the DOM (`JSONParser`), the
/// validator and the flat object scan.
final class JSONReaderTests: XCTestCase {
    private func parse(_ text: String) -> Result<JSONValue, JSONError> { JSONParser.parse(Array(text.utf8)) }

    private func value(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONValue? {
        switch parse(text) {
        case .success(let v): return v
        case .failure(let e): XCTFail("\(text) should parse: \(e)", file: file, line: line); return nil
        }
    }

    private func failure(_ text: String) -> JSONError? {
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
            ("\"a\u{0}b\"", "unescaped control character 0x0"),
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

    func testNestingIsLimitedWithAClearError() {
        let limit = JSONParser.defaultMaxDepth
        let ok = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        XCTAssertNotNil(value(ok))
        let deep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        XCTAssertEqual(failure(deep)?.reason, "nesting deeper than \(limit) levels")
        // Far past the limit (a stack-smashing attempt) is the same clean error, in every layer.
        let hostile = String(repeating: "{\"a\":", count: 200_000)
        XCTAssertEqual(failure(hostile)?.kind, .tooDeep(limit: limit))
        XCTAssertFalse(Array(hostile.utf8).withUnsafeBytes { JSONValidator.isValid($0) })
        XCTAssertThrowsError(try Array(("{\"k\":" + hostile).utf8).withUnsafeBytes { line in
            var scanner = try JSONObjectScanner(line)
            while try scanner.nextMember() != nil {}
        })
    }

    func testValidator() {
        func ok(_ s: String) -> Bool { Array(s.utf8).withUnsafeBytes { JSONValidator.isValid($0) } }
        XCTAssertTrue(ok(#"{"a":[1,2.5e3,-0.1,true,false,null,"x\"y\u00e9"]}"#))
        XCTAssertTrue(ok(" [ ] "))
        XCTAssertTrue(ok(#""\u0000""#), "valid JSON; the cell rewrites the escape (TextPolicyTests)")
        XCTAssertFalse(ok(#"{"a":1"#))
        XCTAssertFalse(ok(#"{"a":01}"#))
        XCTAssertFalse(ok("{} {}"))
        XCTAssertFalse(ok(""))
        let nested = String(repeating: "[", count: 511) + String(repeating: "]", count: 511)
        XCTAssertTrue(ok(nested), "jsonb-sized documents nest deeper than scrape bodies")
    }

    func testObjectScannerHandsOutMembersInPlace() throws {
        let line = Array(#" {"MESSAGE":"a\nb","_PID":"42","X":[1,{"y":null}],"N":-1.5e3,"B":true} "#.utf8)
        try line.withUnsafeBytes { raw in
            var scanner = try JSONObjectScanner(raw)
            var seen: [(String, JSONSpan)] = []
            while let member = try scanner.nextMember() {
                seen.append((String(decoding: raw[member.keyStart..<member.keyEnd], as: UTF8.self), member.value))
            }
            XCTAssertEqual(seen.map(\.0), ["MESSAGE", "_PID", "X", "N", "B"])
            guard case .string(let start, let end, true) = seen[0].1 else { return XCTFail("\(seen[0].1)") }
            var decoded: [UInt8] = []
            JSONStringDecoder.appendUnescaped(raw, from: start, to: end, to: &decoded)
            XCTAssertEqual(decoded, Array("a\nb".utf8))
            guard case .array(let arrayStart, let arrayEnd) = seen[2].1 else { return XCTFail() }
            XCTAssertEqual(String(decoding: raw[arrayStart..<arrayEnd], as: UTF8.self), #"[1,{"y":null}]"#)
            XCTAssertEqual(try JSONObjectScanner.firstElement(raw, arrayStart: arrayStart), .number(start: arrayStart + 1, end: arrayStart + 2))
            XCTAssertEqual(seen[4].1, .bool(true))
        }
        for bad in [#"[1]"#, #"{"a":1"#, #"{"a":1} x"#, #"{"a" 1}"#, "{\"a\":\"\u{1}\"}"] {
            XCTAssertThrowsError(try Array(bad.utf8).withUnsafeBytes { raw in
                var scanner = try JSONObjectScanner(raw)
                while try scanner.nextMember() != nil {}
            }, bad)
        }
    }
}
