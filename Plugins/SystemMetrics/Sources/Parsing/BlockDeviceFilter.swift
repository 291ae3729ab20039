/// Chooses the block devices worth reporting from /proc/diskstats.
public enum BlockDeviceFilter {
    /// Drops RAM-backed and loop devices (their IO is memory traffic or is
    /// already counted on the disk holding the image) and, unless asked
    /// otherwise, partitions, whose IO is already counted on their disk.
    public static func realDevices(_ disks: [DiskCounters], includePartitions: Bool) -> [DiskCounters] {
        let candidates = disks.filter { !isVirtual($0.name) }
        guard !includePartitions else { return candidates }
        return candidates.filter { disk in
            !candidates.contains { isPartition(disk.name, of: $0.name) }
        }
    }

    static func isVirtual(_ name: String) -> Bool {
        name.hasPrefix("loop") || name.hasPrefix("ram") || name.hasPrefix("zram")
    }

    /// The kernel names partition N of disk "sda" "sdaN", and of a disk whose
    /// name ends in a digit ("nvme0n1", "mmcblk0") "nvme0n1pN". Requiring the
    /// "p" in the second case keeps namespace nvme0n10 from looking like a
    /// partition of nvme0n1.
    static func isPartition(_ name: String, of disk: String) -> Bool {
        guard name.utf8.count > disk.utf8.count, name.hasPrefix(disk), let last = disk.utf8.last else {
            return false
        }
        var suffix = name.utf8.dropFirst(disk.utf8.count)
        if last &- UInt8(ascii: "0") < 10 {
            guard suffix.first == UInt8(ascii: "p") else { return false }
            suffix = suffix.dropFirst()
        }
        return !suffix.isEmpty && suffix.allSatisfy { $0 &- UInt8(ascii: "0") < 10 }
    }
}
