#if canImport(Glibc)
import Glibc
#endif
import ByteKit
import XCTest

final class CivilTimeTests: XCTestCase {
    func testDaysRoundTrip() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let (y, m, d) = CivilTime.civilFromDays(days)
            XCTAssertEqual(CivilTime.daysFromCivil(year: y, month: m, day: d), days)
        }
        XCTAssertTrue(CivilTime.civilFromDays(0) == (1970, 1, 1))
        XCTAssertTrue(CivilTime.civilFromDays(-1) == (1969, 12, 31))
        XCTAssertTrue(CivilTime.civilFromDays(11_016) == (2000, 2, 29))
    }

    func testValidation() {
        XCTAssertTrue(CivilTime.isValid(year: 2000, month: 2, day: 29, hour: 0, minute: 0, second: 0))
        XCTAssertFalse(CivilTime.isValid(year: 1900, month: 2, day: 29, hour: 0, minute: 0, second: 0))
        XCTAssertTrue(CivilTime.isValid(year: 2024, month: 2, day: 29, hour: 0, minute: 0, second: 0))
        XCTAssertFalse(CivilTime.isValid(year: 2026, month: 4, day: 31, hour: 0, minute: 0, second: 0))
        XCTAssertTrue(CivilTime.isValid(year: 2016, month: 12, day: 31, hour: 23, minute: 59, second: 60), "leap second")
        XCTAssertFalse(CivilTime.isValid(year: 2016, month: 12, day: 31, hour: 23, minute: 59, second: 61))
        XCTAssertFalse(CivilTime.isValid(year: 2026, month: 13, day: 1, hour: 0, minute: 0, second: 0))
        XCTAssertFalse(CivilTime.isValid(year: 2026, month: 1, day: 1, hour: 24, minute: 0, second: 0))
    }

    func testUTCMicros() {
        XCTAssertEqual(CivilTime.utcMicros(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0), 0)
        XCTAssertEqual(
            CivilTime.utcMicros(year: 2000, month: 2, day: 29, hour: 0, minute: 0, second: 0, microsecond: 1), 951_782_400_000_001)
        XCTAssertEqual(
            CivilTime.utcMicros(year: 2016, month: 12, day: 31, hour: 23, minute: 59, second: 60, microsecond: 0),
            CivilTime.utcMicros(year: 2017, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0),
            "a leap second lands on the next second")
        XCTAssertNil(CivilTime.utcMicros(year: 2026, month: 2, day: 30, hour: 0, minute: 0, second: 0, microsecond: 0))
        XCTAssertNil(CivilTime.utcMicros(year: 2026, month: 2, day: 1, hour: 0, minute: 0, second: 0, microsecond: 1_000_000))
        XCTAssertEqual(CivilTime.utcYear(ofMicros: -1), 1969)
        XCTAssertEqual(CivilTime.utcYear(ofMicros: 1_767_225_600_000_000), 2026)
        XCTAssertTrue(CivilTime.secondsAndMicros(-1) == (-1, 999_999))
        XCTAssertTrue(CivilTime.daysAndSecondOfDay(-1) == (-1, 86_399))
    }

    /// The mktime wrapper agrees with timegm in a fixed zone and refuses what mktime would normalise.
    func testLocalTimeInTheProcessZone() {
        let saved = getenv("TZ").map { String(cString: $0) }
        defer {
            if let saved { setenv("TZ", saved, 1) } else { unsetenv("TZ") }
            tzset()
        }
        setenv("TZ", "UTC-2", 1)  // POSIX: 2 hours east of UTC
        tzset()
        XCTAssertEqual(
            LocalTime.micros(year: 2026, month: 3, day: 1, hour: 12, minute: 0, second: 0, microsecond: 5),
            CivilTime.utcMicros(year: 2026, month: 3, day: 1, hour: 10, minute: 0, second: 0, microsecond: 5))
        XCTAssertNil(LocalTime.micros(year: 2026, month: 2, day: 30, hour: 0, minute: 0, second: 0, microsecond: 0))
        XCTAssertNotNil(LocalTime.micros(year: 2016, month: 12, day: 31, hour: 23, minute: 59, second: 60, microsecond: 0))
    }
}
