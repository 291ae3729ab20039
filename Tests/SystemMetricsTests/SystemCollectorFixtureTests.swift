import XCTest

@testable import SystemMetricsCore

/// Three ticks over hand-made trees (Fixtures/ticks): normal deltas, then a
/// reset of every kind of counter (CPU, disk, interface, reused pid).
final class SystemCollectorFixtureTests: XCTestCase {
    static let watched = ["postgres", "pqcrypta-collector", "a) b (c", "apache2", "nginx", "postgres"]

    /// Fake statvfs: only "/" and the postgres volume exist.
    static let probe = FileSystemUsageProbe { mountPoint in
        switch mountPoint {
        case "/":
            FileSystemStats(totalBytes: 1000, freeBytes: 400, availableBytes: 300, totalInodes: 50, freeInodes: 20)
        case "/var/lib/postgresql":
            FileSystemStats(totalBytes: 4000, freeBytes: 4000, availableBytes: 4000, totalInodes: 9, freeInodes: 9)
        default: nil
        }
    }

    private func makeCollector(_ root: borrowing FixtureRoot) -> SystemCollector {
        SystemCollector(
            configuration: SystemCollectorConfiguration(
                procRoot: root.path, watchedProcessNames: Self.watched, clockTicksPerSecond: 100, pageSize: 4096,
                fileSystemUsageProbe: Self.probe))
    }

    private func group(_ sample: SystemSample, _ name: String) throws -> ProcessGroupSample {
        try XCTUnwrap(sample.processes.first { $0.name == name })
    }

    func testFirstTickPrimesRatesButReportsLevels() throws {
        let root = FixtureRoot()
        root.point(at: "ticks/tick1")
        var collector = makeCollector(root)
        XCTAssertEqual(
            collector.watchedProcessNames, ["postgres", "pqcrypta-collector", "a) b (c", "apache2", "nginx"])
        let sample = collector.sample(now: SampleInstant(secondsSinceBoot: 1000))

        XCTAssertNil(sample.cpu)
        XCTAssertTrue(sample.disks.isEmpty)
        XCTAssertTrue(sample.network.isEmpty)
        let memory = try XCTUnwrap(sample.memory)
        XCTAssertEqual(memory.totalBytes, 8_000_000 * 1024)
        XCTAssertEqual(memory.usedBytes, 3_000_000 * 1024)
        XCTAssertEqual(memory.cachedBytes, 3_200_000 * 1024)
        XCTAssertEqual(memory.swapUsedBytes, 500_000 * 1024)
        XCTAssertEqual(sample.load, LoadAverage(one: 0.5, five: 0.4, fifteen: 0.3, runnable: 2, total: 300))
        XCTAssertEqual(sample.mounts.map(\.mountPoint), ["/", "/var/lib/postgresql"])
        XCTAssertEqual(sample.mounts.first?.usedBytes, 600)
        XCTAssertEqual(sample.mounts.first?.usedPercent, 600.0 / 900.0 * 100)
        XCTAssertEqual(sample.mounts.first?.usedInodes, 30)

        XCTAssertEqual(sample.processes.map(\.name), collector.watchedProcessNames)
        let postgres = try group(sample, "postgres")
        XCTAssertEqual(postgres.processes.map(\.pid), [100, 101, 102])
        XCTAssertNil(postgres.cpuPercent)
        // rss pages × page size; zombie 101 has none.
        XCTAssertEqual(postgres.residentBytes, (2000 + 0 + 1000) * 4096)
        XCTAssertEqual(postgres.fileDescriptors, 15)
        XCTAssertEqual(postgres.maxFileDescriptors, 12)
        XCTAssertEqual(postgres.unknownFileDescriptorProcesses, 1)
        XCTAssertEqual(postgres.threads, 3)
        XCTAssertEqual(postgres.states.sleeping, 1)
        XCTAssertEqual(postgres.states.zombie, 1)
        XCTAssertEqual(postgres.states.diskSleep, 1)
        XCTAssertEqual(postgres.states.summary, "S1 D1 Z1")
        XCTAssertEqual(postgres.uptimeSeconds, 500)
        XCTAssertEqual(postgres.processWithMostFileDescriptors?.pid, 102)

        // Long name: comm is truncated to "pqcrypta-collec"; argv[0]'s basename decides.
        let collectorGroup = try group(sample, "pqcrypta-collector")
        XCTAssertEqual(collectorGroup.processes.map(\.pid), [200])
        XCTAssertEqual(collectorGroup.threads, 4)
        XCTAssertEqual(collectorGroup.residentBytes, 500 * 4096)
        XCTAssertEqual(collectorGroup.uptimeSeconds, 200)

        let odd = try group(sample, "a) b (c")
        XCTAssertEqual(odd.processCount, 1)
        XCTAssertEqual(odd.states.running, 1)

        // fd/ unreadable: counted as unknown, not as zero and not as an error.
        let apache = try group(sample, "apache2")
        XCTAssertNil(apache.processes.first?.fileDescriptors)
        XCTAssertEqual(apache.unknownFileDescriptorProcesses, 1)
        XCTAssertEqual(apache.residentBytes, 3000 * 4096)

        let nginx = try group(sample, "nginx")
        XCTAssertTrue(nginx.isMissing)
        XCTAssertNil(nginx.uptimeSeconds)
        XCTAssertNil(nginx.cpuPercent)
    }

    func testSecondTickComputesRatesAndThirdReprimesAfterResets() throws {
        let root = FixtureRoot()
        root.point(at: "ticks/tick1")
        var collector = makeCollector(root)
        _ = collector.sample(now: SampleInstant(secondsSinceBoot: 1000))
        root.point(at: "ticks/tick2")
        let second = collector.sample(now: SampleInstant(secondsSinceBoot: 1010))

        let cpu = try XCTUnwrap(second.cpu)
        XCTAssertEqual(cpu.aggregate, CPUPercentages(user: 15, system: 7.5, iowait: 5, steal: 2.5, idle: 70))
        XCTAssertEqual(
            cpu.cores,
            [
                CoreUsage(core: 0, percentages: CPUPercentages(user: 20, system: 10, iowait: 0, steal: 0, idle: 70)),
                CoreUsage(core: 1, percentages: CPUPercentages(user: 10, system: 5, iowait: 10, steal: 5, idle: 70)),
            ])
        // vda1 is a partition, loop0 virtual, nvme0n1's counters went down.
        XCTAssertEqual(
            second.disks,
            [
                DiskIORate(
                    device: "vda", readBytesPerSecond: 1_048_576, writeBytesPerSecond: 104_857.6,
                    readOpsPerSecond: 10, writeOpsPerSecond: 5, busyPercent: 25)
            ])
        // eth0 went down (driver reload), wg0 vanished.
        XCTAssertEqual(second.network.map(\.interface), ["lo"])
        XCTAssertEqual(second.network.first?.receivedBytesPerSecond, 200)
        XCTAssertEqual(second.network.first?.transmittedPacketsPerSecond, 2)

        let postgres = try group(second, "postgres")
        XCTAssertEqual(postgres.processes.map(\.pid), [100, 102])
        XCTAssertEqual(postgres.processes.map(\.cpuPercent), [10, 0])
        XCTAssertEqual(postgres.cpuPercent, 10)
        XCTAssertEqual(try group(second, "pqcrypta-collector").cpuPercent, 20)
        XCTAssertEqual(try group(second, "apache2").cpuPercent, 10)
        XCTAssertEqual(try group(second, "a) b (c").states.stopped, 1)

        root.point(at: "ticks/tick3")
        let third = collector.sample(now: SampleInstant(secondsSinceBoot: 1020))
        XCTAssertNil(third.cpu)
        XCTAssertEqual(third.disks.map(\.device), ["vda", "nvme0n1"])
        XCTAssertEqual(third.disks.first?.busyPercent, 0)
        XCTAssertEqual(
            third.disks.last,
            DiskIORate(
                device: "nvme0n1", readBytesPerSecond: 81920, writeBytesPerSecond: 40960, readOpsPerSecond: 20,
                writeOpsPerSecond: 10, busyPercent: 5))
        // wg0 is back but has no baseline since it vanished.
        XCTAssertEqual(third.network.map(\.interface), ["lo", "eth0"])
        let eth0 = try XCTUnwrap(third.network.last)
        XCTAssertEqual(
            eth0,
            NetworkRate(
                interface: "eth0", receivedBytesPerSecond: 1000, transmittedBytesPerSecond: 500,
                receivedPacketsPerSecond: 2, transmittedPacketsPerSecond: 1, receiveErrorsPerSecond: 0.2,
                transmitErrorsPerSecond: 0, receiveDropsPerSecond: 0.1, transmitDropsPerSecond: 0.3))

        // pid 100 was reused by a new postgres: no rate from the old process's ticks.
        let postgres3 = try group(third, "postgres")
        XCTAssertEqual(postgres3.processes.map(\.pid), [100, 102])
        XCTAssertEqual(postgres3.processes.map(\.cpuPercent), [nil, 10])
        XCTAssertEqual(postgres3.cpuPercent, 10)
        XCTAssertEqual(postgres3.uptimeSeconds, 320)
        // The collector restarted as pid 210: matched, but its CPU is unknown yet.
        let collector3 = try group(third, "pqcrypta-collector")
        XCTAssertEqual(collector3.processes.map(\.pid), [210])
        XCTAssertNil(collector3.cpuPercent)
        XCTAssertEqual(collector3.uptimeSeconds, 10)
        XCTAssertTrue(try group(third, "a) b (c").isMissing)
        XCTAssertEqual(try group(third, "apache2").cpuPercent, 0)
    }

    func testAMissingRootGivesAnEmptySampleNotACrash() {
        var collector = SystemCollector(
            configuration: SystemCollectorConfiguration(
                procRoot: "/nonexistent/proc", watchedProcessNames: ["postgres"], fileSystemUsageProbe: Self.probe))
        let sample = collector.sample(now: SampleInstant(secondsSinceBoot: 1))
        XCTAssertNil(sample.memory)
        XCTAssertNil(sample.load)
        XCTAssertNil(sample.cpu)
        XCTAssertTrue(sample.mounts.isEmpty && sample.disks.isEmpty && sample.network.isEmpty)
        XCTAssertEqual(sample.processes.map(\.isMissing), [true])
    }
}
