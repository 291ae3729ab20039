import CollectorTestSupport
import XCTest
@testable import CollectorCore

final class CopyEncoderTests: XCTestCase {
    private func text(_ bytes: [UInt8]) -> String {
        var e = CopyEncoder()
        bytes.withUnsafeBytes { e.appendText($0) }
        return String(decoding: e.bytes, as: UTF8.self)
    }

    /// COPY's own escapes; what NUL and bad UTF-8 become is ByteKit's TextPolicy (TextPolicyTests).
    func testEscapes() {
        XCTAssertEqual(text(Array("a\tb\nc\\d\re".utf8)), "a\\tb\\nc\\\\d\\re")
        XCTAssertEqual(text([0x61, 0x00, 0x09, 0xFF]), "a\u{FFFD}\\t\u{FFFD}", "the policy applies between escapes")
    }

    func testNumbersAndTimestamps() {
        var e = CopyEncoder()
        e.appendInt(0); e.appendSeparator()
        e.appendInt(-42); e.appendSeparator()
        e.appendInt(Int64.min); e.appendSeparator()
        e.appendDouble(.infinity); e.appendSeparator()
        e.appendDouble(1.5); e.appendSeparator()
        e.appendTimestamp(micros: 0); e.appendSeparator()
        e.appendTimestamp(micros: -1); e.appendSeparator()
        e.appendTimestamp(micros: 951_782_400_000_001)  // 2000-02-29
        XCTAssertEqual(String(decoding: e.bytes, as: UTF8.self),
                       "0\t-42\t-9223372036854775808\t\\N\t1.5\t1970-01-01 00:00:00.000000+00\t1969-12-31 23:59:59.999999+00\t2000-02-29 00:00:00.000001+00")
    }

    func testJSONCells() {
        func cell(_ s: String) -> String {
            var e = CopyEncoder()
            Array(s.utf8).withUnsafeBytes { e.appendJSON($0) }
            return String(decoding: e.bytes, as: UTF8.self)
        }
        XCTAssertEqual(cell(#"{"a":"x\ty"}"#), #"{"a":"x\\ty"}"#)
        XCTAssertEqual(cell(#"{"a":1"#), "\\N", "malformed JSON costs the cell, not the COPY")
        XCTAssertEqual(cell(#"["\u0000"]"#), #"["\\ufffd"]"#, "jsonb refuses \\u0000")
    }
}
