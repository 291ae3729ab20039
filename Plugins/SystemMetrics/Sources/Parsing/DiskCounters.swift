/// Cumulative counters of one /proc/diskstats line. Sectors are always 512
/// bytes in this file, whatever the device's real sector size.
public struct DiskCounters: Sendable, Hashable {
    public var name: String
    public var readsCompleted: UInt64
    public var sectorsRead: UInt64
    public var writesCompleted: UInt64
    public var sectorsWritten: UInt64
    /// Milliseconds the device had IO in flight (field 10).
    public var ioTicksMilliseconds: UInt64

    public init(
        name: String, readsCompleted: UInt64, sectorsRead: UInt64, writesCompleted: UInt64,
        sectorsWritten: UInt64, ioTicksMilliseconds: UInt64
    ) {
        self.name = name
        self.readsCompleted = readsCompleted
        self.sectorsRead = sectorsRead
        self.writesCompleted = writesCompleted
        self.sectorsWritten = sectorsWritten
        self.ioTicksMilliseconds = ioTicksMilliseconds
    }
}
