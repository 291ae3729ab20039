/// One sys tick's worth of host and process metrics. Rate-based parts are
/// empty/nil on the first sample, which only primes the calculators.
public struct SystemSample: Sendable {
    public var instant: SampleInstant
    /// nil on the first sample and after a counter reset.
    public var cpu: CPUUsage?
    /// nil only if /proc/meminfo could not be read.
    public var memory: MemoryInfo?
    public var load: LoadAverage?
    public var mounts: [MountUsage]
    public var disks: [DiskIORate]
    public var network: [NetworkRate]
    /// One entry per watched name, in configuration order, missing ones included.
    public var processes: [ProcessGroupSample]

    public init(
        instant: SampleInstant, cpu: CPUUsage?, memory: MemoryInfo?, load: LoadAverage?, mounts: [MountUsage],
        disks: [DiskIORate], network: [NetworkRate], processes: [ProcessGroupSample]
    ) {
        self.instant = instant
        self.cpu = cpu
        self.memory = memory
        self.load = load
        self.mounts = mounts
        self.disks = disks
        self.network = network
        self.processes = processes
    }
}
