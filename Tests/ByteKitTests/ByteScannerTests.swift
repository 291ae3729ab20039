import ByteKit
import XCTest

final class ByteScannerTests: XCTestCase {
    private func scan<T>(_ text: String, _ body: (inout ByteScanner) -> T) -> T {
        Array(text.utf8).withUnsafeBytes { raw in
            var scanner = ByteScanner(raw)
            return body(&scanner)
        }
    }

    func testLogReaders() {
        XCTAssertEqual(scan("2026-") { $0.fixedDigits(4) }, 2026)
        XCTAssertNil(scan("20x6") { $0.fixedDigits(4) })
        XCTAssertNil(scan("1234") { $0.digits(maxCount: 3) }, "a longer run does not match")
        XCTAssertEqual(scan("123456789") { $0.fractionMicros() }, 123_456)
        XCTAssertEqual(scan("5") { $0.fractionMicros() }, 500_000)
        XCTAssertTrue(scan("Jan 5") { $0.consume(literal: "Jan") && $0.skipBlanks() == 1 && $0.peek() == 0x35 })
        XCTAssertEqual(scan("abc:def") { s -> Int in _ = s.advance(to: 0x3A); return s.position }, 3)
    }

    func testProcReaders() {
        XCTAssertEqual(scan("  42 -7 0.25 99999999999999999999999") { s in
            [s.readUInt64().map { Double($0) }, s.readInt64().map { Double($0) }, s.readDecimal(), s.readUInt64().map { Double($0) }]
        }, [42, -7, 0.25, Double(UInt64.max)])
        XCTAssertEqual(scan("MemTotal:  1 kB\nNext") { s -> [String] in
            let start = s.position
            guard s.advanceOnLine(to: 0x3A) else { return [] }
            let key = s.string(start..<s.position)
            s.position += 1
            let value = s.readField()
            let unit = s.readField()
            let equal = s.equals(unit, "kB")
            s.skipLine()
            return [key, s.string(value), equal ? "kB" : "?", s.string(s.readField())]
        }, ["MemTotal", "1", "kB", "Next"])
        XCTAssertFalse(scan("a b\nc:") { $0.advanceOnLine(to: 0x3A) }, "stops at the end of the line")
    }

    func testSearchesNeverTrap() {
        Array("ab\r\n \t".utf8).withUnsafeBytes { raw in
            XCTAssertEqual(raw.trimmedEnd(from: 0, to: raw.count), 2)
            XCTAssertNil(raw.firstIndex(of: 0x61, from: 5, to: 100))
            XCTAssertEqual(raw.firstIndex(of: 0x0D, 0x0A, from: -3, to: 100), 2)
        }
        XCTAssertTrue(UnsafeRawBufferPointer(start: nil, count: 0).isBlankLine)
    }
}
