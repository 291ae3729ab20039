/// One matched process, as the watchdog needs it.
public struct ProcessDetail: Sendable, Hashable {
    public var pid: Int32
    /// The state letter from /proc/<pid>/stat (R, S, D, Z, T, ...).
    public var state: Character
    public var residentBytes: UInt64
    /// nil when fd/ could not be read (another user's process, or it just exited).
    public var fileDescriptors: Int?
    public var threads: UInt64
    /// nil on the first sample of this process.
    public var cpuPercent: Double?
    public var startTimeTicks: UInt64
    public var uptimeSeconds: Double

    public init(
        pid: Int32, state: Character, residentBytes: UInt64, fileDescriptors: Int?, threads: UInt64,
        cpuPercent: Double?, startTimeTicks: UInt64, uptimeSeconds: Double
    ) {
        self.pid = pid
        self.state = state
        self.residentBytes = residentBytes
        self.fileDescriptors = fileDescriptors
        self.threads = threads
        self.cpuPercent = cpuPercent
        self.startTimeTicks = startTimeTicks
        self.uptimeSeconds = uptimeSeconds
    }
}
