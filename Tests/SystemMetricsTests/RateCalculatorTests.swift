import XCTest

@testable import SystemMetricsCore

final class RateCalculatorTests: XCTestCase {
    private func disk(_ name: String, _ reads: UInt64, _ sectors: UInt64, _ ticks: UInt64) -> DiskCounters {
        DiskCounters(
            name: name, readsCompleted: reads, sectorsRead: sectors, writesCompleted: reads / 2,
            sectorsWritten: sectors / 2, ioTicksMilliseconds: ticks)
    }

    private func interface(_ name: String, _ bytes: UInt64) -> InterfaceCounters {
        InterfaceCounters(
            name: name, receivedBytes: bytes, receivedPackets: bytes / 100, receiveErrors: 0, receiveDrops: 0,
            transmittedBytes: bytes * 2, transmittedPackets: bytes / 50, transmitErrors: 0, transmitDrops: 0)
    }

    func testDiskRatesFromTwoReads() throws {
        var calculator = DiskIORateCalculator()
        XCTAssertTrue(calculator.update(with: [disk("sda", 100, 1000, 0)], at: .init(secondsSinceBoot: 10)).isEmpty)
        let rates = calculator.update(with: [disk("sda", 300, 5000, 1000)], at: .init(secondsSinceBoot: 12))
        let sda = try XCTUnwrap(rates.first)
        XCTAssertEqual(rates.count, 1)
        XCTAssertEqual(sda.readOpsPerSecond, 100)
        XCTAssertEqual(sda.readBytesPerSecond, 4000 * 512 / 2)
        XCTAssertEqual(sda.writeOpsPerSecond, 50)
        XCTAssertEqual(sda.writeBytesPerSecond, 2000 * 512 / 2)
        XCTAssertEqual(sda.busyPercent, 50)
    }

    func testBusyIsCappedAtOneHundred() throws {
        var calculator = DiskIORateCalculator()
        _ = calculator.update(with: [disk("sda", 0, 0, 0)], at: .init(secondsSinceBoot: 10))
        let rates = calculator.update(with: [disk("sda", 1, 8, 1010)], at: .init(secondsSinceBoot: 11))
        XCTAssertEqual(rates.first?.busyPercent, 100)
    }

    func testADiskWithLowerCountersReprimes() {
        var calculator = DiskIORateCalculator()
        _ = calculator.update(
            with: [disk("sda", 100, 1000, 50), disk("sdb", 10, 10, 10)], at: .init(secondsSinceBoot: 1))
        let rates = calculator.update(
            with: [disk("sda", 90, 1000, 60), disk("sdb", 20, 20, 20)], at: .init(secondsSinceBoot: 2))
        XCTAssertEqual(rates.map(\.device), ["sdb"])
        let next = calculator.update(
            with: [disk("sda", 190, 1000, 60), disk("sdb", 20, 20, 20)], at: .init(secondsSinceBoot: 3))
        XCTAssertEqual(next.first { $0.device == "sda" }?.readOpsPerSecond, 100)
    }

    func testAClockThatDidNotAdvanceYieldsNothing() {
        var calculator = NetworkRateCalculator()
        _ = calculator.update(with: [interface("eth0", 100)], at: .init(secondsSinceBoot: 5))
        XCTAssertTrue(calculator.update(with: [interface("eth0", 200)], at: .init(secondsSinceBoot: 5)).isEmpty)
        XCTAssertTrue(calculator.update(with: [interface("eth0", 300)], at: .init(secondsSinceBoot: 4)).isEmpty)
    }

    func testNetworkRatesAndAnInterfaceThatVanishesAndReturns() throws {
        var calculator = NetworkRateCalculator()
        _ = calculator.update(with: [interface("eth0", 1000), interface("wg0", 5000)], at: .init(secondsSinceBoot: 10))
        let second = calculator.update(with: [interface("eth0", 11000)], at: .init(secondsSinceBoot: 20))
        let eth0 = try XCTUnwrap(second.first)
        XCTAssertEqual(second.count, 1)
        XCTAssertEqual(eth0.receivedBytesPerSecond, 1000)
        XCTAssertEqual(eth0.transmittedBytesPerSecond, 2000)
        XCTAssertEqual(eth0.receivedPacketsPerSecond, 10)
        XCTAssertEqual(eth0.transmittedPacketsPerSecond, 20)
        // wg0 comes back with higher counters than before it vanished: still only a baseline.
        let third = calculator.update(
            with: [interface("eth0", 11000), interface("wg0", 900_000)], at: .init(secondsSinceBoot: 30))
        XCTAssertEqual(third.map(\.interface), ["eth0"])
        let fourth = calculator.update(
            with: [interface("wg0", 901_000), interface("eth0", 11000)], at: .init(secondsSinceBoot: 40))
        XCTAssertEqual(fourth.map(\.interface), ["wg0", "eth0"])
        XCTAssertEqual(fourth.first?.receivedBytesPerSecond, 100)
    }

    func testProcessCPUFromTicksAndPidReuse() {
        var tracker = ProcessCPUTracker(ticksPerSecond: 100)
        let first = ProcessIdentity(pid: 42, startTimeTicks: 1000)
        XCTAssertEqual(tracker.update([(first, 500)], at: .init(secondsSinceBoot: 100)), [nil])
        XCTAssertEqual(tracker.update([(first, 750)], at: .init(secondsSinceBoot: 110)), [25])
        // Same pid, new start time: another process, so no rate from the old one's ticks.
        let reused = ProcessIdentity(pid: 42, startTimeTicks: 9000)
        XCTAssertEqual(tracker.update([(reused, 800)], at: .init(secondsSinceBoot: 120)), [nil])
        XCTAssertEqual(tracker.update([(reused, 1000)], at: .init(secondsSinceBoot: 122)), [100])
        // Ticks going backwards for the same incarnation cannot happen; if they do, no rate.
        XCTAssertEqual(tracker.update([(reused, 10)], at: .init(secondsSinceBoot: 124)), [nil])
    }

    func testAVanishedProcessIsForgotten() {
        var tracker = ProcessCPUTracker(ticksPerSecond: 100)
        let process = ProcessIdentity(pid: 7, startTimeTicks: 1)
        _ = tracker.update([(process, 100)], at: .init(secondsSinceBoot: 1))
        _ = tracker.update([], at: .init(secondsSinceBoot: 2))
        XCTAssertEqual(tracker.update([(process, 200)], at: .init(secondsSinceBoot: 3)), [nil])
    }
}
