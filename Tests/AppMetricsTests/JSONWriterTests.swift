import XCTest
@testable import AppMetricsCore

final class JSONWriterTests: XCTestCase {
    func testFixturesRoundTrip() throws {
        for name in ["api_metrics_1.json", "api_metrics_flat.json", "proxy_metrics_1.json"] {
            let value = try Fixture.json(name)
            let text = JSONWriter.string(value)
            XCTAssertEqual(try JSONParser.parse(Array(text.utf8)).get(), value, name)
        }
    }

    func testStringsAreEscapedForJSONB() {
        let value = JSONValue.object([JSONMember(key: "k\"\\", value: .string("a\u{0}b\u{1}c\nd\u{1F}é😀"))])
        XCTAssertEqual(JSONWriter.string(value), #"{"k\"\\":"a"# + "\u{FFFD}" + #"b\u0001c\nd\u001fé😀"}"#)
    }

    func testNumbersOutsideNumericRangeAreKeptAsStrings() {
        let n = { (s: String) in JSONValue.number(JSONNumber(literal: s, isIntegerLiteral: false)) }
        XCTAssertEqual(JSONWriter.string(.array([n("1.5e300"), n("1e99999"), n("-0.0E-5")])), #"[1.5e300,"1e99999",-0.0E-5]"#)
        let long = String(repeating: "9", count: 101)
        XCTAssertEqual(JSONWriter.string(n(long)), "\"\(long)\"")
    }
}
