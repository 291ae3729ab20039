import ByteKit
import XCTest

@testable import SystemMetricsCore

/// The list columns' JSON shapes (the writer itself is tested in ByteKitTests).
final class SampleJSONEncodingTests: XCTestCase {
    func testEncodesCoresAndReusesTheBuffer() {
        var writer = JSONWriter()
        let cores = [
            CoreUsage(core: 0, percentages: CPUPercentages(user: 20, system: 10, iowait: 0, steal: 0, idle: 70)),
            CoreUsage(
                core: 1, percentages: CPUPercentages(user: 33.333, system: 0, iowait: 0.5, steal: 0, idle: 66.167)),
        ]
        let expected =
            #"[{"core":0,"user":20,"system":10,"iowait":0,"steal":0,"idle":70,"busy":30},"#
            + #"{"core":1,"user":33.33,"system":0,"iowait":0.5,"steal":0,"idle":66.17,"busy":33.33}]"#
        XCTAssertEqual(writer.array(cores), expected)
        XCTAssertEqual(writer.array(cores), expected)
        XCTAssertEqual(writer.array([CoreUsage]()), "[]")
    }

    func testEncodesEveryListShape() {
        let mount = MountUsage(
            mount: MountEntry(device: "/dev/sdb1", mountPoint: "/mnt/my \"disk\"", fileSystemType: "xfs"),
            stats: FileSystemStats(
                totalBytes: 1000, freeBytes: 250, availableBytes: 250, totalInodes: 10, freeInodes: 4))
        XCTAssertEqual(
            JSONWriter.array([mount]),
            #"[{"mount":"/mnt/my \"disk\"","device":"/dev/sdb1","fs_type":"xfs","total_bytes":1000,"#
                + #""used_bytes":750,"available_bytes":250,"used_pct":75,"inodes_total":10,"inodes_used":6}]"#)
        let disk = DiskIORate(
            device: "vda", readBytesPerSecond: 104_857.6, writeBytesPerSecond: 0, readOpsPerSecond: 10,
            writeOpsPerSecond: 5.25, busyPercent: 25)
        XCTAssertEqual(
            JSONWriter.array([disk]),
            #"[{"device":"vda","read_bytes_per_sec":104857.6,"write_bytes_per_sec":0,"#
                + #""read_ops_per_sec":10,"write_ops_per_sec":5.25,"busy_pct":25}]"#)
        let network = NetworkRate(
            interface: "eth0", receivedBytesPerSecond: 1000, transmittedBytesPerSecond: 500,
            receivedPacketsPerSecond: 2, transmittedPacketsPerSecond: 1, receiveErrorsPerSecond: 0.2,
            transmitErrorsPerSecond: 0, receiveDropsPerSecond: 0.1, transmitDropsPerSecond: 0.3)
        XCTAssertEqual(
            JSONWriter.array([network]),
            #"[{"interface":"eth0","rx_bytes_per_sec":1000,"tx_bytes_per_sec":500,"rx_packets_per_sec":2,"#
                + #""tx_packets_per_sec":1,"rx_errors_per_sec":0.2,"tx_errors_per_sec":0,"rx_drops_per_sec":0.1,"#
                + #""tx_drops_per_sec":0.3}]"#)
        let processes = [
            ProcessDetail(
                pid: 100, state: "Z", residentBytes: 0, fileDescriptors: nil, threads: 1, cpuPercent: nil,
                startTimeTicks: 5, uptimeSeconds: 99.6),
            ProcessDetail(
                pid: 101, state: "S", residentBytes: 4096, fileDescriptors: 12, threads: 3, cpuPercent: 1.5,
                startTimeTicks: 6, uptimeSeconds: 10),
        ]
        XCTAssertEqual(
            JSONWriter.array(processes),
            #"[{"pid":100,"state":"Z","rss_bytes":0,"fds":null,"threads":1,"cpu_pct":null,"uptime_secs":100},"#
                + #"{"pid":101,"state":"S","rss_bytes":4096,"fds":12,"threads":3,"cpu_pct":1.5,"uptime_secs":10}]"#)
    }
}
