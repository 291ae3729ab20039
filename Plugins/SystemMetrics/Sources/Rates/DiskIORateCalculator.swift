/// Turns successive /proc/diskstats reads into per-device rates.
public struct DiskIORateCalculator: Sendable {
    private var history = CounterHistory<DiskCounters>()

    public init() {}

    /// Rates for devices present in both reads with no counter gone backwards.
    public mutating func update(with disks: [DiskCounters], at instant: SampleInstant) -> [DiskIORate] {
        var rates: [DiskIORate] = []
        rates.reserveCapacity(disks.count)
        history.advance(to: disks, at: instant) { before, after, seconds in
            let sectorBytes = 512.0
            rates.append(
                DiskIORate(
                    device: after.name,
                    readBytesPerSecond: Double(after.sectorsRead - before.sectorsRead) * sectorBytes / seconds,
                    writeBytesPerSecond: Double(after.sectorsWritten - before.sectorsWritten) * sectorBytes
                        / seconds,
                    readOpsPerSecond: Double(after.readsCompleted - before.readsCompleted) / seconds,
                    writeOpsPerSecond: Double(after.writesCompleted - before.writesCompleted) / seconds,
                    // io_ticks is sampled at jiffy granularity and can overshoot the interval slightly.
                    busyPercent: min(
                        100, Double(after.ioTicksMilliseconds - before.ioTicksMilliseconds) / (seconds * 10))))
        }
        return rates
    }
}
