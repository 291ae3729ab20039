/// IO of one block device over the last interval.
public struct DiskIORate: Sendable, Hashable {
    public var device: String
    public var readBytesPerSecond: Double
    public var writeBytesPerSecond: Double
    public var readOpsPerSecond: Double
    public var writeOpsPerSecond: Double
    /// Share of the interval the device had IO in flight, 0...100.
    public var busyPercent: Double

    public init(
        device: String, readBytesPerSecond: Double, writeBytesPerSecond: Double, readOpsPerSecond: Double,
        writeOpsPerSecond: Double, busyPercent: Double
    ) {
        self.device = device
        self.readBytesPerSecond = readBytesPerSecond
        self.writeBytesPerSecond = writeBytesPerSecond
        self.readOpsPerSecond = readOpsPerSecond
        self.writeOpsPerSecond = writeOpsPerSecond
        self.busyPercent = busyPercent
    }
}
