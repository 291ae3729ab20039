import Glibc

/// What and where the SystemCollector reads.
public struct SystemCollectorConfiguration: Sendable {
    /// "/proc" in production; a fixture tree in tests.
    public var procRoot: String
    /// `collector.processes`: names to watch (comm, or executable basename for long names).
    public var watchedProcessNames: [String]
    public var skippedFileSystemTypes: Set<String>
    /// Partitions double-count their disk's IO, so they are off by default.
    public var includesPartitions: Bool
    /// USER_HZ, the unit of /proc/<pid>/stat times (sysconf(_SC_CLK_TCK)).
    public var clockTicksPerSecond: Int
    public var pageSize: Int
    public var fileSystemUsageProbe: FileSystemUsageProbe

    public init(
        procRoot: String = "/proc",
        watchedProcessNames: [String] = [],
        skippedFileSystemTypes: Set<String> = PseudoFileSystems.defaultTypes,
        includesPartitions: Bool = false,
        clockTicksPerSecond: Int = Int(sysconf(Int32(_SC_CLK_TCK))),
        pageSize: Int = Int(sysconf(Int32(_SC_PAGESIZE))),
        fileSystemUsageProbe: FileSystemUsageProbe = .system
    ) {
        self.procRoot = procRoot
        self.watchedProcessNames = watchedProcessNames
        self.skippedFileSystemTypes = skippedFileSystemTypes
        self.includesPartitions = includesPartitions
        self.clockTicksPerSecond = clockTicksPerSecond > 0 ? clockTicksPerSecond : 100
        self.pageSize = pageSize > 0 ? pageSize : 4096
        self.fileSystemUsageProbe = fileSystemUsageProbe
    }
}
