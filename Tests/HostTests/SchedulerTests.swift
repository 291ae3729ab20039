import Foundation
import Synchronization
import CollectorTestSupport
import XCTest
@testable import CollectorCore

final class SchedulerTests: XCTestCase {
    /// The heartbeat keeps its interval while another tick blocks for seconds:
    /// every tick has its own thread, and a blocked tick only skips its own slots.
    func testHeartbeatKeepsIntervalWhileAnotherTickBlocks() throws {
        let stats = StatsRegistry()
        let scheduler = Scheduler(stats: stats, backoffCapSecs: 60)
        let beats = Mutex<[UInt64]>([])
        scheduler.start(TickJob(id: "host/heartbeat", owner: "host", intervalNanos: 200_000_000, lane: .fast) {
            beats.withLock { $0.append(MonotonicClock.nowNanos()) }
            return .ok
        })
        scheduler.start(TickJob(id: "slow/analyzer", owner: "slow", intervalNanos: 100_000_000, lane: .slow) {
            usleep(1_500_000)
            return .ok
        }, runImmediately: true)
        usleep(3_300_000)
        scheduler.stop()

        let times = beats.withLock { $0 }
        XCTAssertGreaterThanOrEqual(times.count, 14, "about 16 heartbeats in 3.3 s")
        let gaps = zip(times.dropFirst(), times).map { Double($0 - $1) / 1e6 }
        for gap in gaps {
            XCTAssertEqual(gap, 200, accuracy: 60, "heartbeat gaps (ms): \(gaps)")
        }
        let slow = try XCTUnwrap(stats.stats("slow/analyzer"))
        XCTAssertEqual(slow.runs, 3)
        XCTAssertGreaterThanOrEqual(slow.skipped, 20, "a 1.5 s run on a 100 ms interval skips ~14 slots per run")
    }

    func testFailingTickBacksOffWithCapAndRecovers() throws {
        let stats = StatsRegistry()
        let scheduler = Scheduler(stats: stats, backoffCapSecs: 1)
        let calls = Atomic<Int>(0)
        scheduler.start(TickJob(id: "p/flaky", owner: "p", intervalNanos: 100_000_000, lane: .fast) {
            let n = calls.add(1, ordering: .relaxed).newValue
            return n <= 4 ? .retry("database down") : .ok
        }, runImmediately: true)
        // Delays: 200, 400, 800, 1000 (capped) ms → 4 failures take ~2.4 s, then success.
        usleep(1_000_000)
        let during = try XCTUnwrap(stats.stats("p/flaky"))
        XCTAssertGreaterThan(during.consecutiveFailures, 0)
        XCTAssertGreaterThan(during.backoffSecs + Int(scheduler.backoffDelay(interval: 100_000_000, failures: during.consecutiveFailures) / 1_000_000), 0)
        XCTAssertEqual(during.lastError, "database down")
        usleep(2_400_000)
        scheduler.stop()
        let after = try XCTUnwrap(stats.stats("p/flaky"))
        XCTAssertEqual(after.failures, 4)
        XCTAssertEqual(after.consecutiveFailures, 0)
        XCTAssertEqual(after.backoffSecs, 0)
        XCTAssertGreaterThanOrEqual(after.runs, 5)
    }

    func testBackoffDelayDoublesAndCaps() {
        let scheduler = Scheduler(stats: StatsRegistry(), backoffCapSecs: 300)
        let tenSeconds: UInt64 = 10_000_000_000
        XCTAssertEqual(scheduler.backoffDelay(interval: tenSeconds, failures: 1), 20_000_000_000)
        XCTAssertEqual(scheduler.backoffDelay(interval: tenSeconds, failures: 3), 80_000_000_000)
        XCTAssertEqual(scheduler.backoffDelay(interval: tenSeconds, failures: 10), 300_000_000_000)
        XCTAssertEqual(scheduler.backoffDelay(interval: tenSeconds, failures: 64), 300_000_000_000)
    }

    func testFailDisablesTheTick() throws {
        let stats = StatsRegistry()
        let scheduler = Scheduler(stats: stats, backoffCapSecs: 1)
        let calls = Atomic<Int>(0)
        scheduler.start(TickJob(id: "p/broken", owner: "p", intervalNanos: 50_000_000, lane: .fast) {
            calls.add(1, ordering: .relaxed)
            return .fail("no such table")
        }, runImmediately: true)
        usleep(400_000)
        scheduler.stop()
        XCTAssertEqual(calls.load(ordering: .relaxed), 1)
        XCTAssertEqual(stats.stats("p/broken")?.disabled, true)
    }

    func testStopWakesSleepingTicksImmediately() {
        let scheduler = Scheduler(stats: StatsRegistry(), backoffCapSecs: 1)
        scheduler.start(TickJob(id: "p/hourly", owner: "p", intervalNanos: 3_600_000_000_000, lane: .slow) { .ok })
        let start = MonotonicClock.nowNanos()
        scheduler.stop()
        XCTAssertLessThan(MonotonicClock.nowNanos() - start, 500_000_000)
    }
}
