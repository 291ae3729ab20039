import XCTest

@testable import SystemMetricsCore

final class DeviceParserTests: XCTestCase {
    func testParsesThisMachinesDiskstatsAndKeepsOnlyRealDisks() {
        let disks = DiskStatsParser.parse(Fixture.bytes("live/diskstats"))
        XCTAssertEqual(disks.count, 10)
        let real = BlockDeviceFilter.realDevices(disks, includePartitions: false)
        XCTAssertEqual(
            real,
            [
                DiskCounters(
                    name: "vda", readsCompleted: 4776, sectorsRead: 1_824_202, writesCompleted: 2113,
                    sectorsWritten: 489_392, ioTicksMilliseconds: 2504)
            ])
    }

    func testDropsPartitionsButNotNamespacesOrMappers() {
        let disks = DiskStatsParser.parse(Fixture.bytes("variants/diskstats-partitions"))
        XCTAssertEqual(disks.count, 12)
        XCTAssertEqual(
            BlockDeviceFilter.realDevices(disks, includePartitions: false).map(\.name),
            ["sda", "sdb", "nvme0n1", "nvme0n10", "mmcblk0", "dm-0"])
        XCTAssertEqual(
            BlockDeviceFilter.realDevices(disks, includePartitions: true).map(\.name),
            ["sda", "sda1", "sdb", "nvme0n1", "nvme0n1p1", "nvme0n10", "mmcblk0", "mmcblk0p1", "dm-0"])
        let sda = disks.first { $0.name == "sda" }
        XCTAssertEqual(sda?.sectorsWritten, 3_000_000)
        XCTAssertEqual(sda?.ioTicksMilliseconds, 70000)
    }

    func testParsesThisMachinesNetDev() {
        let interfaces = NetDevParser.parse(Fixture.bytes("live/net/dev"))
        XCTAssertEqual(interfaces.map(\.name), ["lo", "ifb0", "ifb1", "eth0"])
        XCTAssertEqual(
            interfaces.last,
            InterfaceCounters(
                name: "eth0", receivedBytes: 5903, receivedPackets: 41, receiveErrors: 0, receiveDrops: 0,
                transmittedBytes: 5779, transmittedPackets: 62, transmitErrors: 0, transmitDrops: 0))
    }

    func testParsesNetDevWithoutSpaceAfterTheColon() {
        let interfaces = NetDevParser.parse(Fixture.bytes("variants/net-dev-no-space"))
        XCTAssertEqual(interfaces.count, 2)
        XCTAssertEqual(interfaces[0].name, "lo")
        XCTAssertEqual(interfaces[0].receivedBytes, 12_345_678)
        XCTAssertEqual(
            interfaces[1],
            InterfaceCounters(
                name: "eth0", receivedBytes: 4_294_967_295, receivedPackets: 3_000_000, receiveErrors: 1,
                receiveDrops: 2, transmittedBytes: 987_654_321, transmittedPackets: 2_000_000,
                transmitErrors: 3, transmitDrops: 4))
    }

    func testThisMachinesMountsReduceToTheRootFileSystem() {
        let mounts = MountsParser.parse(
            Fixture.bytes("live/self/mounts"), skippingTypes: PseudoFileSystems.defaultTypes)
        XCTAssertEqual(mounts, [MountEntry(device: "/dev/vda", mountPoint: "/", fileSystemType: "ext4")])
    }

    func testDecodesEscapesSkipsPseudoFileSystemsAndKeepsTheLastDuplicate() {
        let mounts = MountsParser.parse(
            Fixture.bytes("variants/mounts-escaped"), skippingTypes: PseudoFileSystems.defaultTypes)
        XCTAssertEqual(
            mounts,
            [
                MountEntry(device: "/dev/sda1", mountPoint: "/", fileSystemType: "ext4"),
                MountEntry(device: "/dev/sdb1", mountPoint: "/mnt/my disk", fileSystemType: "xfs"),
                MountEntry(device: "/dev/sdc1", mountPoint: "/srv/back\\slash", fileSystemType: "btrfs"),
                MountEntry(device: "/dev/sde1", mountPoint: "/data", fileSystemType: "ext4"),
            ])
    }
}
