import ByteKit
import XCTest

/// ISO 8601 / RFC 3339 text to microseconds (the plugin ABI's parse_timestamp)
/// and back (`parse`'s `ts`).
final class TimestampTextTests: XCTestCase {
    private func micros(_ s: String) throws -> Int64 { try TimestampText.epochMicros(ArraySlice(Array(s.utf8))) }

    func testOffsetsAndFractions() throws {
        let base: Int64 = 1_795_860_000 * 1_000_000  // 2026-11-28T10:00:00Z
        XCTAssertEqual(try micros("2026-11-28T10:00:00Z"), base)
        XCTAssertEqual(try micros("2026-11-28T10:00:00.25Z"), base + 250_000)
        XCTAssertEqual(try micros("2026-11-28T11:00:00.123456789+01:00"), base + 123_456)
        XCTAssertEqual(try micros("2026-11-28 05:30:00-0430"), base)
        XCTAssertEqual(try micros("2026-11-28t10:00:00+00"), base)
        XCTAssertEqual(try micros("  2026-11-28T10:00:00  "), base, "surrounding spaces are ignored")
        XCTAssertEqual(try micros("2026-11-28T10:00"), base, "no offset is UTC")
        // Before the epoch the fraction still counts forward.
        XCTAssertEqual(try micros("1969-12-31T23:59:59.5Z"), -500_000)
        // epochSeconds keeps flooring as before.
        XCTAssertEqual(try TimestampText.epochSeconds(ArraySlice(Array("1969-12-31T23:59:59.5Z".utf8))), -1)
    }

    func testRefusals() {
        for bad in ["", "1795860000", "2026-02-30T00:00:00Z", "2026-11-28T10:00:00+25:00", "2026-11-28T10:00:00 UTC",
                    "2026-11-28X10:00:00Z", "2026-11-28T10:00:00."] {
            XCTAssertThrowsError(try micros(bad), bad)
        }
    }

    func testRFC3339RoundTrips() throws {
        XCTAssertEqual(TimestampText.rfc3339(micros: 0), "1970-01-01T00:00:00.000000Z")
        XCTAssertEqual(TimestampText.rfc3339(micros: -1), "1969-12-31T23:59:59.999999Z")
        for us: Int64 in [1_795_860_000_123_456, 951_782_400_000_001, -86_400_000_000] {
            XCTAssertEqual(try micros(TimestampText.rfc3339(micros: us)), us)
        }
    }
}
