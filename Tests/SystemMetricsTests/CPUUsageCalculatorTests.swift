import XCTest

@testable import SystemMetricsCore

final class CPUUsageCalculatorTests: XCTestCase {
    private func snapshot(_ aggregate: CPUTimes, _ cores: [CPUTimes]) -> ProcStatSnapshot {
        ProcStatSnapshot(
            aggregate: aggregate, cores: cores.enumerated().map { CoreTimes(index: $0.offset, times: $0.element) })
    }

    func testFirstSnapshotOnlyPrimes() {
        var calculator = CPUUsageCalculator()
        XCTAssertNil(calculator.update(with: snapshot(CPUTimes(user: 10, idle: 90), [])))
    }

    func testComputesSharesFromTheDelta() throws {
        var calculator = CPUUsageCalculator()
        _ = calculator.update(with: snapshot(CPUTimes(user: 100, nice: 0, system: 50, idle: 800, iowait: 10), []))
        // +300 user(+nice), +100 system+irq+softirq, +50 iowait, +50 steal, +500 idle = 1000
        let result =
            calculator.update(
                with: snapshot(
                    CPUTimes(
                        user: 350, nice: 50, system: 100, idle: 1300, iowait: 60, irq: 20, softirq: 30, steal: 50,
                        guest: 40), []))
        let usage = try XCTUnwrap(result)
        XCTAssertEqual(usage.aggregate, CPUPercentages(user: 30, system: 10, iowait: 5, steal: 5, idle: 50))
        XCTAssertEqual(usage.aggregate.busy, 45)
    }

    func testCountersGoingBackwardsReprimeInsteadOfGoingNegative() throws {
        var calculator = CPUUsageCalculator()
        _ = calculator.update(with: snapshot(CPUTimes(user: 5000, idle: 5000), []))
        XCTAssertNil(calculator.update(with: snapshot(CPUTimes(user: 10, idle: 10), [])))
        // The reset snapshot is the new baseline.
        let result = calculator.update(with: snapshot(CPUTimes(user: 20, idle: 40), []))
        let usage = try XCTUnwrap(result)
        XCTAssertEqual(usage.aggregate.user, 25)
        XCTAssertEqual(usage.aggregate.idle, 75)
    }

    func testIowaitSteppingBackIsClampedNotAReset() throws {
        var calculator = CPUUsageCalculator()
        _ = calculator.update(with: snapshot(CPUTimes(user: 100, idle: 100, iowait: 50), []))
        let result = calculator.update(with: snapshot(CPUTimes(user: 150, idle: 150, iowait: 48), []))
        let usage = try XCTUnwrap(result)
        XCTAssertEqual(usage.aggregate.iowait, 0)
        XCTAssertEqual(usage.aggregate.user, 50)
        XCTAssertEqual(usage.aggregate.idle, 50)
    }

    func testNoTimePassedKeepsTheOlderBaseline() throws {
        var calculator = CPUUsageCalculator()
        _ = calculator.update(with: snapshot(CPUTimes(user: 10, idle: 10), []))
        XCTAssertNil(calculator.update(with: snapshot(CPUTimes(user: 10, idle: 10), [])))
        let result = calculator.update(with: snapshot(CPUTimes(user: 20, idle: 20), []))
        let usage = try XCTUnwrap(result)
        XCTAssertEqual(usage.aggregate.user, 50)
    }

    func testACoreComingOnlinePrimesOnlyThatCore() throws {
        var calculator = CPUUsageCalculator()
        _ = calculator.update(
            with: ProcStatSnapshot(
                aggregate: CPUTimes(user: 10, idle: 10),
                cores: [CoreTimes(index: 0, times: CPUTimes(user: 10, idle: 10))]))
        let result =
            calculator.update(
                with: ProcStatSnapshot(
                    aggregate: CPUTimes(user: 30, idle: 30),
                    cores: [
                        CoreTimes(index: 0, times: CPUTimes(user: 15, idle: 25)),
                        CoreTimes(index: 1, times: CPUTimes(user: 15, idle: 5)),
                    ]))
        let usage = try XCTUnwrap(result)
        XCTAssertEqual(
            usage.cores,
            [
                CoreUsage(
                    core: 0,
                    percentages: CPUPercentages(
                        user: 25, system: 0, iowait: 0, steal: 0, idle: 75))
            ])
    }

    func testUsesThisMachinesRealCountersAcrossOlderColumnLayouts() throws {
        // The 7-column file is the same counters without steal: as a later
        // sample it would look like a reset (total went down), so it re-primes.
        var calculator = CPUUsageCalculator()
        let ten = try XCTUnwrap(ProcStatParser.parse(Fixture.bytes("live/stat")))
        let seven = try XCTUnwrap(ProcStatParser.parse(Fixture.bytes("variants/stat-7col")))
        _ = calculator.update(with: ten)
        XCTAssertNil(calculator.update(with: seven))
    }
}
