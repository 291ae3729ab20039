/// Reads /proc once per tick and turns it into a SystemSample. Holds the
/// previous counters, so keep one instance for the life of the plugin and
/// call `sample` from one thread at a time.
public struct SystemCollector: Sendable {
    public let configuration: SystemCollectorConfiguration
    private var reader: ProcReader
    private var cpu = CPUUsageCalculator()
    private var disks = DiskIORateCalculator()
    private var network = NetworkRateCalculator()
    private var mountTable: MountTable
    private var processes: ProcessWatcher

    public init(configuration: SystemCollectorConfiguration = SystemCollectorConfiguration()) {
        self.configuration = configuration
        reader = ProcReader(root: configuration.procRoot)
        mountTable = MountTable(skippedTypes: configuration.skippedFileSystemTypes)
        processes = ProcessWatcher(
            names: configuration.watchedProcessNames, ticksPerSecond: configuration.clockTicksPerSecond,
            pageSize: configuration.pageSize)
    }

    /// Watched names after removing duplicates and empty strings, in order.
    public var watchedProcessNames: [String] { processes.names }

    /// Takes one sample. `now` must come from the same clock on every call
    /// (SampleInstant.now(), CLOCK_BOOTTIME, in production); unreadable files
    /// leave their part empty rather than failing the tick.
    public mutating func sample(now: SampleInstant = .now()) -> SystemSample {
        let cpuUsage = (reader.read("stat", ProcStatParser.parse) ?? nil).flatMap { cpu.update(with: $0) }
        let memory = reader.read("meminfo", MeminfoParser.parse) ?? nil
        let load = reader.read("loadavg", LoadAvgParser.parse) ?? nil
        let diskCounters = reader.read("diskstats", DiskStatsParser.parse) ?? []
        let diskRates = disks.update(
            with: BlockDeviceFilter.realDevices(diskCounters, includePartitions: configuration.includesPartitions),
            at: now)
        let interfaces = reader.read("net/dev", NetDevParser.parse) ?? []
        let networkRates = network.update(with: interfaces, at: now)
        return SystemSample(
            instant: now, cpu: cpuUsage, memory: memory, load: load, mounts: mountUsage(), disks: diskRates,
            network: networkRates, processes: processes.sample(reader: &reader, at: now))
    }

    private mutating func mountUsage() -> [MountUsage] {
        _ = reader.read("self/mounts") { mountTable.update($0) }
        let probe = configuration.fileSystemUsageProbe
        return mountTable.mounts.compactMap { mount in
            // Zero blocks: a pseudo file system missing from the skip list.
            guard let stats = probe.stats(mount.mountPoint), stats.totalBytes > 0 else { return nil }
            return MountUsage(mount: mount, stats: stats)
        }
    }
}
