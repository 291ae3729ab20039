import Glibc

/// How mount usage is measured; replaceable so fixture trees need no real mounts.
public struct FileSystemUsageProbe: Sendable {
    public var stats: @Sendable (_ mountPoint: String) -> FileSystemStats?

    public init(stats: @escaping @Sendable (_ mountPoint: String) -> FileSystemStats?) {
        self.stats = stats
    }

    /// statvfs(3) on the mount point; nil when it fails (mount gone, no permission).
    public static let system = FileSystemUsageProbe { mountPoint in statvfsStats(mountPoint) }
}

private func statvfsStats(_ mountPoint: String) -> FileSystemStats? {
    var info = statvfs()
    guard statvfs(mountPoint, &info) == 0 else { return nil }
    let unit = UInt64(info.f_frsize > 0 ? info.f_frsize : info.f_bsize)
    return FileSystemStats(
        totalBytes: UInt64(info.f_blocks) &* unit, freeBytes: UInt64(info.f_bfree) &* unit,
        availableBytes: UInt64(info.f_bavail) &* unit, totalInodes: UInt64(info.f_files),
        freeInodes: UInt64(info.f_ffree))
}
