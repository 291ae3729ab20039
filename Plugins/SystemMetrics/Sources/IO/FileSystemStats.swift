/// The statvfs(3) figures of one mounted file system, in bytes and inodes.
public struct FileSystemStats: Sendable, Hashable {
    public var totalBytes: UInt64
    /// Free including the root-reserved blocks.
    public var freeBytes: UInt64
    /// Free for unprivileged users.
    public var availableBytes: UInt64
    public var totalInodes: UInt64
    public var freeInodes: UInt64

    public init(totalBytes: UInt64, freeBytes: UInt64, availableBytes: UInt64, totalInodes: UInt64, freeInodes: UInt64)
    {
        self.totalBytes = totalBytes
        self.freeBytes = freeBytes
        self.availableBytes = availableBytes
        self.totalInodes = totalInodes
        self.freeInodes = freeInodes
    }
}
