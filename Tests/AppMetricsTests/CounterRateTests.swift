import XCTest
@testable import AppMetricsCore

final class CounterRateTests: XCTestCase {
    private let second: UInt64 = 1_000_000_000

    func testFirstSamplePrimesThenRatesFollow() {
        var rate = CounterRate()
        XCTAssertNil(rate.advance(to: 100, atNanos: 10 * second))
        XCTAssertEqual(rate.advance(to: 150, atNanos: 20 * second), CounterStep(delta: 50, seconds: 10))
        XCTAssertEqual(rate.advance(to: 150, atNanos: 25 * second)?.perSecond, 0)
        XCTAssertEqual(rate.advance(to: 400, atNanos: 30 * second)?.perSecond, 50)
    }

    func testCounterDropReprimesWithoutANegativeRate() {
        var rate = CounterRate()
        _ = rate.advance(to: 1_000, atNanos: 0)
        XCTAssertNil(rate.advance(to: 30, atNanos: 10 * second), "the process restarted: no rate, certainly no negative one")
        XCTAssertEqual(rate.advance(to: 90, atNanos: 20 * second)?.perSecond, 6, "measured from the new base")
    }

    func testRestartFlagReprimes() {
        var rate = CounterRate()
        _ = rate.advance(to: 10, atNanos: 0)
        XCTAssertNil(rate.advance(to: 5_000, atNanos: 10 * second, restarted: true))
        XCTAssertEqual(rate.advance(to: 5_100, atNanos: 20 * second)?.delta, 100)
    }

    func testMissingValueBreaksContinuity() {
        var rate = CounterRate()
        _ = rate.advance(to: 10, atNanos: 0)
        XCTAssertNil(rate.advance(to: nil, atNanos: 10 * second))
        XCTAssertNil(rate.advance(to: 20, atNanos: 20 * second), "primes again after a gap in the counter")
        XCTAssertEqual(rate.advance(to: 30, atNanos: 30 * second)?.perSecond, 1)
    }

    func testNoTimeElapsedGivesNoRate() {
        var rate = CounterRate()
        _ = rate.advance(to: 10, atNanos: 5)
        XCTAssertNil(rate.advance(to: 20, atNanos: 5))
    }

    func testRestartDetectorNeedsUptimeToGoBackwards() {
        var detector = RestartDetector()
        XCTAssertFalse(detector.restarted(uptimeSecs: 500))
        XCTAssertFalse(detector.restarted(uptimeSecs: 510))
        XCTAssertFalse(detector.restarted(uptimeSecs: 510), "a stuck uptime is not a restart")
        XCTAssertFalse(detector.restarted(uptimeSecs: 509.5), "rounding jitter is tolerated")
        XCTAssertTrue(detector.restarted(uptimeSecs: 3))
        XCTAssertFalse(detector.restarted(uptimeSecs: nil))
        XCTAssertFalse(detector.restarted(uptimeSecs: 13))
    }
}
