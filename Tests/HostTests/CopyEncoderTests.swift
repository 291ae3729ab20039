import CollectorTestSupport
import XCTest
@testable import CollectorCore

final class CopyEncoderTests: XCTestCase {
    private func text(_ bytes: [UInt8]) -> String {
        var e = CopyEncoder()
        bytes.withUnsafeBytes { e.appendText($0) }
        return String(decoding: e.bytes, as: UTF8.self)
    }

    func testEscapesAndSanitises() {
        XCTAssertEqual(text(Array("a\tb\nc\\d\re".utf8)), "a\\tb\\nc\\\\d\\re")
        XCTAssertEqual(text([0x61, 0x00, 0x62]), "ab")
        XCTAssertEqual(text([0xFF, 0x41]), "\u{FFFD}A")
        XCTAssertEqual(text(Array("ünïcödé 😀".utf8)), "ünïcödé 😀")
        XCTAssertEqual(text([0xE2, 0x82]), "\u{FFFD}\u{FFFD}", "truncated sequence")
        XCTAssertEqual(text([0xC0, 0xAF]), "\u{FFFD}\u{FFFD}", "overlong encoding")
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

    func testCivilDateRoundTrip() {
        for days in stride(from: -800_000 as Int64, through: 800_000, by: 997) {
            let (y, m, d) = CivilDate.fromDays(days)
            XCTAssertEqual(CivilDate.toDays(year: y, month: m, day: d), days)
        }
    }

    func testJSONValidator() {
        func ok(_ s: String) -> Bool { Array(s.utf8).withUnsafeBytes { JSONValidator.isValid($0) } }
        XCTAssertTrue(ok(#"{"a":[1,2.5e3,-0.1,true,false,null,"x\"y\u00e9"]}"#))
        XCTAssertTrue(ok(" [ ] "))
        XCTAssertFalse(ok(#"{"a":1"#))
        XCTAssertFalse(ok(#"{"a":01}"#))
        XCTAssertFalse(ok(#""\u0000""#), "jsonb cannot hold NUL")
        XCTAssertFalse(ok("{} {}"))
        XCTAssertFalse(ok(""))
    }
}
