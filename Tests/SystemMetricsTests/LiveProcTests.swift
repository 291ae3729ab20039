import Glibc
import XCTest

@testable import SystemMetricsCore

/// Runs against this machine's /proc: values must be sane, and this test
/// process must find itself.
final class LiveProcTests: XCTestCase {
    static let madeUpName = "no-such-process-7f3a"

    /// This process's comm and executable basename, read independently of the code under test.
    static func ownNames() -> (comm: String, executable: String?) {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe = length > 0 ? String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
        let fd = open("/proc/self/comm", O_RDONLY)
        var commBytes = [UInt8](repeating: 0, count: 64)
        let count = fd >= 0 ? commBytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } : 0
        if fd >= 0 { close(fd) }
        let comm = String(decoding: commBytes[0..<max(count, 0)].filter { $0 != 0x0A }, as: UTF8.self)
        return (comm, exe.map { String($0.split(separator: "/").last ?? "") })
    }

    /// Spends at least `seconds` of this process's CPU time.
    static func burnCPU(seconds: Double) {
        func cpuTime() -> Double {
            var spec = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
            return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
        }
        let start = cpuTime()
        var sink: UInt64 = 0
        while cpuTime() - start < seconds {
            for value in 0..<10_000 { sink = sink &+ UInt64(value) &* 2_654_435_761 }
        }
        precondition(sink != 1)
    }

    func testTwoSamplesOfThisMachineAreSane() throws {
        let own = Self.ownNames()
        let exeName = try XCTUnwrap(own.executable)
        let names = [own.comm, exeName, Self.madeUpName]
        var collector = SystemCollector(configuration: SystemCollectorConfiguration(watchedProcessNames: names))
        let first = collector.sample()
        XCTAssertNil(first.cpu)
        Self.burnCPU(seconds: 0.1)
        usleep(200_000)
        let second = collector.sample()

        let cpu = try XCTUnwrap(second.cpu)
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        XCTAssertEqual(cpu.cores.count, cores)
        for share in [cpu.aggregate] + cpu.cores.map(\.percentages) {
            for value in [share.user, share.system, share.iowait, share.steal, share.idle, share.busy] {
                XCTAssertTrue(value >= 0 && value <= 100)
            }
            XCTAssertTrue(abs(share.user + share.system + share.iowait + share.steal + share.idle - 100) < 1e-9)
        }

        let memory = try XCTUnwrap(second.memory)
        XCTAssertTrue(memory.totalBytes > 0)
        XCTAssertTrue(memory.usedBytes <= memory.totalBytes)
        XCTAssertTrue(memory.availableBytes <= memory.totalBytes)
        XCTAssertTrue(memory.swapUsedBytes <= memory.swapTotalBytes)

        let load = try XCTUnwrap(second.load)
        XCTAssertTrue(load.one >= 0 && load.five >= 0 && load.fifteen >= 0)
        XCTAssertTrue(load.total >= 1)

        for mount in second.mounts {
            XCTAssertTrue(mount.totalBytes > 0 && mount.usedBytes <= mount.totalBytes)
            XCTAssertTrue(mount.usedPercent >= 0 && mount.usedPercent <= 100)
        }
        for disk in second.disks {
            XCTAssertTrue(disk.busyPercent >= 0 && disk.busyPercent <= 100)
            XCTAssertTrue(disk.readBytesPerSecond >= 0 && disk.writeBytesPerSecond >= 0)
        }
        XCTAssertFalse(second.network.isEmpty)
        for interface in second.network {
            XCTAssertTrue(interface.receivedBytesPerSecond >= 0 && interface.transmittedBytesPerSecond >= 0)
        }

        let pid = getpid()
        let byComm = try XCTUnwrap(second.processes.first { $0.name == own.comm })
        let me = try XCTUnwrap(byComm.processes.first { $0.pid == pid })
        XCTAssertTrue(me.residentBytes > 0)
        XCTAssertTrue((me.fileDescriptors ?? 0) > 0)
        XCTAssertTrue(me.threads >= 1)
        XCTAssertTrue("RSD".contains(me.state))
        XCTAssertTrue(me.uptimeSeconds > 0)
        // 100 ms of CPU burnt between the samples must show up.
        let cpuPercent = try XCTUnwrap(me.cpuPercent)
        XCTAssertTrue(cpuPercent > 0 && cpuPercent <= Double(cores) * 100 + 5)

        // The test binary's name is usually longer than comm's 15 bytes; then
        // it is found through /proc/<pid>/exe.
        let byExecutable = try XCTUnwrap(second.processes.first { $0.name == exeName })
        XCTAssertTrue(byExecutable.processes.contains { $0.pid == pid })

        let missing = try XCTUnwrap(second.processes.first { $0.name == Self.madeUpName })
        XCTAssertTrue(missing.isMissing)
        XCTAssertEqual(missing.processCount, 0)
    }

    func testFileDescriptorCountMatchesTheDirectory() throws {
        var reader = ProcReader(root: "/proc")
        let pid = getpid()
        // Open a few extra descriptors so the count has something to track.
        let extra = (0..<5).map { _ in open("/dev/null", O_RDONLY) }
        defer { extra.forEach { close($0) } }
        let counted = reader.countFileDescriptors(pid: pid)
        let fast = try XCTUnwrap(counted)
        let slow = try XCTUnwrap(DirectoryEntryCounter.count(Array("/proc/\(pid)/fd".utf8CString)))
        // Other test threads may open or close files in between; allow a little slack.
        XCTAssertTrue(abs(fast - slow) <= 4)
        XCTAssertTrue(fast >= 8)
    }

    func testVanishedProcessesAreSkippedQuietly() {
        var reader = ProcReader(root: "/proc")
        // pid_max is at most 4194304, so this pid cannot exist.
        XCTAssertNil(reader.readProcessFile(pid: 4_194_305, "stat", ProcessStatParser.parse))
        XCTAssertNil(reader.countFileDescriptors(pid: 4_194_305))
        XCTAssertNil(reader.readProcessLink(pid: 4_194_305, "exe"))
    }
}
