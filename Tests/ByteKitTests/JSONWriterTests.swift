import ByteKit
import XCTest

final class JSONWriterTests: XCTestCase {
    func testEscapesStrings() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.value("plain")
        writer.value("quote\" back\\slash")
        writer.value("tab\tnew\nline\r\u{01}\u{1F}\u{7F}\u{8}\u{C}")
        writer.value("é ✓ 😀")
        writer.endArray()
        XCTAssertEqual(writer.text, #"["plain","quote\" back\\slash","tab\tnew\nline\r\u0001\u001f\u007f\b\f","é ✓ 😀"]"#)
    }

    func testFormatsNumbers() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.value(12.3456)
        writer.value(0.1)
        writer.value(100.0)
        writer.value(-1.5)
        writer.value(-0.001)
        writer.value(0.005)
        writer.value(Double.nan)
        writer.value(Double.infinity)
        writer.value(1234.56, fractionDigits: 0)
        writer.value(-42)
        writer.value(Int64.min)
        writer.value(UInt64.max)
        writer.value(nil as Int?)
        writer.value(true)
        writer.value(exactly: 0.1)
        writer.value(exactly: 1.5e-5)
        writer.value(exactly: -.infinity)
        writer.endArray()
        XCTAssertEqual(
            writer.text,
            "[12.35,0.1,100,-1.5,0,0.01,null,null,1235,-42,-9223372036854775808,18446744073709551615,null,true,0.1,1.5e-05,null]")
    }

    func testNestsObjectsWithCorrectCommasAndReuse() {
        var writer = JSONWriter()
        for _ in 0..<2 {
            writer.reset()
            writer.beginObject()
            writer.key("a")
            writer.beginArray()
            writer.beginObject()
            writer.endObject()
            writer.beginObject()
            writer.key("b")
            writer.value(1)
            writer.key("c")
            writer.beginArray()
            writer.endArray()
            writer.endObject()
            writer.endArray()
            writer.key("d")
            writer.null()
            writer.endObject()
            XCTAssertEqual(writer.text, #"{"a":[{},{"b":1,"c":[]}],"d":null}"#)
        }
    }

    func testDocumentsRoundTripAndNumbersOutsideJSONBRangeBecomeStrings() throws {
        let document = #"{"k\"\\":"a\u0001c\nd\u001fé😀","n":[1,-2.5,3e2,true,null],"o":{}}"#
        let value = try JSONParser.parse(Array(document.utf8)).get()
        XCTAssertEqual(value.jsonText, document)
        let n = { (s: String) in JSONValue.number(JSONNumber(literal: s, isIntegerLiteral: false)) }
        XCTAssertEqual(JSONValue.array([n("1.5e300"), n("1e99999"), n("-0.0E-5")]).jsonText, #"[1.5e300,"1e99999",-0.0E-5]"#)
        let long = String(repeating: "9", count: 101)
        XCTAssertEqual(n(long).jsonText, "\"\(long)\"")
    }
}
