import XCTest

@testable import SystemMetricsCore

final class MemoryAndLoadParserTests: XCTestCase {
    func testParsesThisMachinesMeminfo() throws {
        let memory = try XCTUnwrap(MeminfoParser.parse(Fixture.bytes("live/meminfo")))
        XCTAssertEqual(memory.totalBytes, 24_684_084 * 1024)
        XCTAssertEqual(memory.freeBytes, 24_333_460 * 1024)
        XCTAssertEqual(memory.availableBytes, 24_383_920 * 1024)
        XCTAssertEqual(memory.buffersBytes, 2048 * 1024)
        XCTAssertEqual(memory.cachedBytes, (252_392 + 20_908) * 1024)
        XCTAssertEqual(memory.swapTotalBytes, 0)
        XCTAssertEqual(memory.swapUsedBytes, 0)
        XCTAssertEqual(memory.usedBytes, (24_684_084 - 24_383_920) * 1024)
    }

    func testEstimatesAvailableOnKernelsWithoutMemAvailable() throws {
        let memory = try XCTUnwrap(MeminfoParser.parse(Fixture.bytes("variants/meminfo-no-available")))
        XCTAssertEqual(memory.totalBytes, 2_048_000 * 1024)
        XCTAssertEqual(memory.availableBytes, (512_000 + 64_000 + 256_000) * 1024)
        XCTAssertEqual(memory.swapUsedBytes, 256_000 * 1024)
        XCTAssertEqual(memory.usedPercent, 59.375)
    }

    func testRejectsMeminfoWithoutTotal() {
        XCTAssertNil(MeminfoParser.parse(Array("MemFree: 10 kB\n".utf8)))
    }

    func testParsesThisMachinesLoadavg() throws {
        let load = try XCTUnwrap(LoadAvgParser.parse(Fixture.bytes("live/loadavg")))
        XCTAssertEqual(load, LoadAverage(one: 0.02, five: 0.06, fifteen: 0.03, runnable: 1, total: 85))
    }

    func testParsesMultiDigitLoad() throws {
        let load = try XCTUnwrap(LoadAvgParser.parse(Array("12.34 105.50 7.00 17/1234 99\n".utf8)))
        XCTAssertEqual(load, LoadAverage(one: 12.34, five: 105.5, fifteen: 7, runnable: 17, total: 1234))
    }

    func testRejectsTruncatedLoadavg() {
        XCTAssertNil(LoadAvgParser.parse(Array("0.1 0.2 0.3 4".utf8)))
    }
}
