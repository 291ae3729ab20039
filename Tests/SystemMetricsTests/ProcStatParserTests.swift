import XCTest

@testable import SystemMetricsCore

final class ProcStatParserTests: XCTestCase {
    func testParsesThisMachinesStatWithTenColumns() throws {
        let snapshot = try XCTUnwrap(ProcStatParser.parse(Fixture.bytes("live/stat")))
        XCTAssertEqual(
            snapshot.aggregate,
            CPUTimes(user: 1843, nice: 0, system: 1414, idle: 73001, iowait: 211, irq: 0, softirq: 12, steal: 12))
        XCTAssertEqual(snapshot.cores.map(\.index), [0, 1])
        XCTAssertEqual(
            snapshot.cores[0].times,
            CPUTimes(user: 793, nice: 0, system: 563, idle: 36863, iowait: 7, irq: 0, softirq: 3, steal: 6))
        XCTAssertEqual(
            snapshot.cores[1].times,
            CPUTimes(user: 1050, nice: 0, system: 850, idle: 36138, iowait: 204, irq: 0, softirq: 8, steal: 5))
        XCTAssertEqual(snapshot.aggregate.total, 1843 + 1414 + 73001 + 211 + 12 + 12)
    }

    func testNineColumnsHaveNoGuestNice() throws {
        let snapshot = try XCTUnwrap(ProcStatParser.parse(Fixture.bytes("variants/stat-9col")))
        XCTAssertEqual(snapshot.aggregate.steal, 12)
        XCTAssertEqual(snapshot.aggregate.guestNice, 0)
        XCTAssertEqual(snapshot.cores.count, 2)
    }

    func testEightColumnsHaveNoGuest() throws {
        let snapshot = try XCTUnwrap(ProcStatParser.parse(Fixture.bytes("variants/stat-8col")))
        XCTAssertEqual(snapshot.aggregate.steal, 12)
        XCTAssertEqual(snapshot.aggregate.guest, 0)
        XCTAssertEqual(snapshot.cores[1].times.steal, 5)
    }

    func testSevenColumnsHaveNoSteal() throws {
        let snapshot = try XCTUnwrap(ProcStatParser.parse(Fixture.bytes("variants/stat-7col")))
        XCTAssertEqual(snapshot.aggregate.softirq, 12)
        XCTAssertEqual(snapshot.aggregate.steal, 0)
        XCTAssertEqual(snapshot.cores[0].times, CPUTimes(user: 793, system: 563, idle: 36863, iowait: 7, softirq: 3))
        XCTAssertEqual(snapshot.aggregate.total, 1843 + 1414 + 73001 + 211 + 12)
    }

    func testMapsEveryColumnToItsField() throws {
        let text = "cpu  1 2 3 4 5 6 7 8 9 10\ncpu3 11 12 13 14 15 16 17 18 19 20\nintr 5 5\n"
        let snapshot = try XCTUnwrap(ProcStatParser.parse(Array(text.utf8)))
        XCTAssertEqual(
            snapshot.aggregate,
            CPUTimes(
                user: 1, nice: 2, system: 3, idle: 4, iowait: 5, irq: 6, softirq: 7, steal: 8, guest: 9,
                guestNice: 10))
        // Guest time is already inside user/nice and must not be counted twice.
        XCTAssertEqual(snapshot.aggregate.total, 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8)
        XCTAssertEqual(
            snapshot.cores,
            [
                CoreTimes(
                    index: 3,
                    times: CPUTimes(
                        user: 11, nice: 12, system: 13, idle: 14, iowait: 15, irq: 16, softirq: 17, steal: 18,
                        guest: 19,
                        guestNice: 20))
            ])
    }

    func testRejectsInputWithoutAnAggregateLine() {
        XCTAssertNil(ProcStatParser.parse(Array("intr 1 2\nctxt 3\n".utf8)))
        XCTAssertNil(ProcStatParser.parse(Array("cpu  1 2\n".utf8)))
        XCTAssertNil(ProcStatParser.parse([]))
    }
}
