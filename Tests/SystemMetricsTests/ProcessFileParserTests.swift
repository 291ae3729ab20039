import XCTest

@testable import SystemMetricsCore

final class ProcessFileParserTests: XCTestCase {
    func testParsesARealProcessStat() throws {
        let stat = try XCTUnwrap(ProcessStatParser.parse(Fixture.bytes("live/20507/stat")))
        XCTAssertEqual(
            stat,
            ProcessStat(
                pid: 20507, comm: "sleep", state: UInt8(ascii: "S"), parentPID: 20503, flags: 4_194_304,
                userTicks: 0, systemTicks: 0, threads: 1, startTimeTicks: 166_459, residentPages: 413))
        XCTAssertFalse(stat.isKernelThread)
    }

    func testParsesARunningProcessStat() throws {
        let stat = try XCTUnwrap(ProcessStatParser.parse(Fixture.bytes("live/4207/stat")))
        XCTAssertEqual(stat.comm, "cat")
        XCTAssertEqual(stat.state, UInt8(ascii: "R"))
        XCTAssertEqual(stat.startTimeTicks, 38364)
        XCTAssertEqual(stat.residentPages, 393)
    }

    func testSplitsCommAtTheLastParenthesis() throws {
        let stat = try XCTUnwrap(ProcessStatParser.parse(Fixture.bytes("variants/pid-stat-odd-comm")))
        XCTAssertEqual(stat.pid, 4242)
        XCTAssertEqual(stat.comm, "a) b (c) d")
        XCTAssertEqual(stat.state, UInt8(ascii: "S"))
        XCTAssertEqual(stat.parentPID, 1)
        XCTAssertEqual(stat.userTicks, 1234)
        XCTAssertEqual(stat.systemTicks, 567)
        XCTAssertEqual(stat.cpuTicks, 1801)
        XCTAssertEqual(stat.threads, 7)
        XCTAssertEqual(stat.startTimeTicks, 98765)
        XCTAssertEqual(stat.residentPages, 2500)
    }

    func testParsesAKernelThreadWithNegativePriority() throws {
        let stat = try XCTUnwrap(ProcessStatParser.parse(Fixture.bytes("variants/pid-stat-kthread")))
        XCTAssertEqual(stat.comm, "rcu_preempt")
        XCTAssertTrue(stat.isKernelThread)
        XCTAssertEqual(stat.state, UInt8(ascii: "I"))
        XCTAssertEqual(stat.systemTicks, 3)
        XCTAssertEqual(stat.startTimeTicks, 4)
        XCTAssertEqual(stat.residentPages, 0)
    }

    func testRejectsTruncatedStat() {
        XCTAssertNil(ProcessStatParser.parse(Array("12 (x) S 1 2 3".utf8)))
        XCTAssertNil(ProcessStatParser.parse(Array("12 x S 1 2 3".utf8)))
        XCTAssertNil(ProcessStatParser.parse([]))
    }

    func testExecutableBasenames() {
        XCTAssertEqual(ExecutableName.fromCommandLine(Fixture.bytes("live/20507/cmdline")), "sleep")
        XCTAssertEqual(
            ExecutableName.fromCommandLine(Array("/opt/x/bin/pqcrypta-collector\0--config\0/a/b\0".utf8)),
            "pqcrypta-collector")
        XCTAssertEqual(ExecutableName.fromCommandLine(Array("postgres: checkpointer\0".utf8)), "postgres: checkpointer")
        XCTAssertNil(ExecutableName.fromCommandLine([]))
        XCTAssertEqual(
            ExecutableName.fromExecutableLink(Array("/usr/bin/pqcrypta-collector (deleted)".utf8)), "pqcrypta-collector"
        )
        XCTAssertEqual(ExecutableName.fromExecutableLink(Array("/usr/sbin/apache2".utf8)), "apache2")
        XCTAssertNil(ExecutableName.fromExecutableLink(Array("/usr/bin/".utf8)))
    }
}
