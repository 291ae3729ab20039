import ByteKit
import XCTest

/// The collector's one policy for bytes PostgreSQL cannot store, tested once for
/// every place that applies it: a text cell, a JSON string written, a JSON string
/// read. docs/architecture.md, "Bytes, text and JSON".
final class TextPolicyTests: XCTestCase {
    /// Inputs and what is stored: NUL and each maximal invalid UTF-8 subpart become U+FFFD.
    static let cases: [(name: String, bytes: [UInt8], stored: String)] = [
        ("valid", Array("ünïcödé 😀".utf8), "ünïcödé 😀"),
        ("nul", [0x61, 0x00, 0x62, 0x00], "a\u{FFFD}b\u{FFFD}"),
        ("lone byte", [0xFF, 0x41], "\u{FFFD}A"),
        ("truncated sequence is one subpart", [0xE2, 0x82, 0x41], "\u{FFFD}A"),
        ("truncated at the end", [0xF0, 0x9F, 0x98], "\u{FFFD}"),
        ("overlong: C0 starts nothing", [0xC0, 0xAF], "\u{FFFD}\u{FFFD}"),
        ("encoded surrogate", [0xED, 0xA0, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}"),
        ("past U+10FFFF", [0xF4, 0x90, 0x80, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),
        ("mixed", [0x61, 0xC3, 0x28, 0x62, 0xF0, 0x9F, 0x98, 0x80], "a\u{FFFD}(b😀"),
    ]

    func testTextCells() {
        for c in Self.cases {
            let stored = c.bytes.withUnsafeBytes { TextPolicy.storableString($0) }
            XCTAssertEqual(stored, c.stored, c.name)
        }
    }

    func testItIsWhatSwiftDoesForInvalidUTF8() {
        for c in Self.cases where !c.bytes.contains(0) {
            XCTAssertEqual(String(decoding: c.bytes, as: UTF8.self), c.stored, c.name)
            XCTAssertEqual(c.bytes.withUnsafeBytes { UTF8Repair.isValid($0) }, c.stored == String(decoding: c.bytes, as: UTF8.self) && !c.stored.contains("\u{FFFD}"), c.name)
        }
    }

    func testJSONStringsWritten() throws {
        for c in Self.cases {
            var writer = JSONWriter()
            c.bytes.withUnsafeBytes { writer.value(bytes: $0) }
            XCTAssertTrue(writer.bytes.withUnsafeBytes { UTF8Repair.isValid($0) }, c.name)
            XCTAssertFalse(writer.bytes.contains(0), c.name)
            XCTAssertEqual(try JSONParser.parse(writer.bytes).get(), .string(c.stored), c.name)
        }
    }

    func testJSONStringsRead() throws {
        // Raw bad bytes inside a string, and NUL as the escape \u0000 (raw NUL is not JSON).
        for c in Self.cases {
            var document: [UInt8] = [0x22]
            for byte in c.bytes {
                if byte == 0 { document += Array(#"\u0000"#.utf8) } else { document.append(byte) }
            }
            document.append(0x22)
            XCTAssertEqual(try JSONParser.parse(document).get(), .string(c.stored), c.name)
        }
        XCTAssertEqual(try JSONParser.parse(Array(#""\ud800x""#.utf8)).get(), .string("\u{FFFD}x"), "a lone surrogate too")
    }

    func testJSONCellsRewriteWhatJSONBRefuses() {
        let document = Array(#"{"a\u0000":"x\u0000y\ud800\ud83d\ude00","b":"\\u0000"}"#.utf8)
        XCTAssertTrue(document.withUnsafeBytes { JSONValidator.isValid($0) })
        var copy = document
        JSONValidator.replaceEscapes(&copy, at: document.withUnsafeBytes { JSONValidator.unstorableEscapes($0) })
        XCTAssertEqual(String(decoding: copy, as: UTF8.self), #"{"a\ufffd":"x\ufffdy\ufffd\ud83d\ude00","b":"\\u0000"}"#)
        XCTAssertEqual(try JSONParser.parse(copy).get(), try JSONParser.parse(document).get(), "read alike before and after")
    }
}
