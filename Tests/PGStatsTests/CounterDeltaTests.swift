import XCTest
@testable import PGStatsCore

final class CounterDeltaTests: XCTestCase {
    private let epoch = CounterEpoch(serverStartedAt: 1, statsReset: 10)

    private func snapshot(_ values: [String: Int64], at seconds: UInt64, epoch: CounterEpoch? = nil) -> CounterSnapshot {
        CounterSnapshot(epoch: epoch ?? self.epoch, values: values, takenAtNanos: seconds * 1_000_000_000)
    }

    func testFirstSamplePrimes() {
        XCTAssertNil(CounterDelta.between(nil, snapshot(["a": 5], at: 1)))
        var tracker = CounterTracker()
        XCTAssertNil(tracker.advance(to: snapshot(["a": 5], at: 1)))
        XCTAssertEqual(tracker.advance(to: snapshot(["a": 25], at: 11))?.delta("a"), 20)
    }

    func testDeltaAndRateOverTheInterval() throws {
        let d = try XCTUnwrap(CounterDelta.between(snapshot(["a": 100, "b": 7], at: 10), snapshot(["a": 150, "b": 7], at: 20)))
        XCTAssertEqual(d.seconds, 10)
        XCTAssertEqual(d.delta("a"), 50)
        XCTAssertEqual(d.perSecond("a"), 5)
        XCTAssertEqual(d.delta("b"), 0)
        XCTAssertEqual(d.perSecond(sumOf: ["a", "b"]), 5)
        XCTAssertNil(d.delta("missing"))
        XCTAssertNil(d.perSecond(sumOf: ["a", "missing"]))
    }

    func testCounterThatWentDownRePrimesTheWholeGroup() {
        // Same epoch (no reset time recorded), yet one counter is lower: a reset happened.
        XCTAssertNil(CounterDelta.between(snapshot(["a": 100, "b": 5], at: 10), snapshot(["a": 200, "b": 1], at: 20)))
    }

    func testNewEpochRePrimesEvenWhenCountersGrew() {
        let restarted = CounterEpoch(serverStartedAt: 2, statsReset: 10)
        XCTAssertNil(CounterDelta.between(snapshot(["a": 100], at: 10), snapshot(["a": 500], at: 20, epoch: restarted)))
        let reset = CounterEpoch(serverStartedAt: 1, statsReset: 11)
        XCTAssertNil(CounterDelta.between(snapshot(["a": 100], at: 10), snapshot(["a": 500], at: 20, epoch: reset)))
    }

    func testNoElapsedTimeGivesNoRate() {
        XCTAssertNil(CounterDelta.between(snapshot(["a": 1], at: 10), snapshot(["a": 2], at: 10)))
    }

    func testTrackerStartsAgainFromTheSampleAfterAReset() {
        var tracker = CounterTracker()
        _ = tracker.advance(to: snapshot(["a": 100], at: 0))
        XCTAssertNil(tracker.advance(to: snapshot(["a": 3], at: 10)), "reset: re-primed")
        XCTAssertEqual(tracker.advance(to: snapshot(["a": 13], at: 20))?.perSecond("a"), 1, "measured from the new baseline")
    }
}
