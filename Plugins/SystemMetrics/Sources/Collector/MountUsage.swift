/// Capacity of one real mounted file system.
public struct MountUsage: Sendable, Hashable {
    public var mountPoint: String
    public var device: String
    public var fileSystemType: String
    public var totalBytes: UInt64
    /// Total minus free (reserved blocks count as used, as in df).
    public var usedBytes: UInt64
    public var availableBytes: UInt64
    public var totalInodes: UInt64
    public var usedInodes: UInt64

    public init(mount: MountEntry, stats: FileSystemStats) {
        mountPoint = mount.mountPoint
        device = mount.device
        fileSystemType = mount.fileSystemType
        totalBytes = stats.totalBytes
        usedBytes = stats.totalBytes > stats.freeBytes ? stats.totalBytes - stats.freeBytes : 0
        availableBytes = stats.availableBytes
        totalInodes = stats.totalInodes
        usedInodes = stats.totalInodes > stats.freeInodes ? stats.totalInodes - stats.freeInodes : 0
    }

    /// Used share of what non-root users can ever have, df's "Use%".
    public var usedPercent: Double {
        let usable = usedBytes &+ availableBytes
        return usable > 0 ? Double(usedBytes) / Double(usable) * 100 : 0
    }
}
