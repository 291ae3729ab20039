/// Everything known about one watched process name at one tick. The
/// aggregates are derived from `processes` once, so all fields are constants.
public struct ProcessGroupSample: Sendable, Hashable {
    public let name: String
    /// Matched processes by ascending pid.
    public let processes: [ProcessDetail]
    /// Sum over processes with a known value; nil only when none is known
    /// yet (first sample) or nothing matched.
    public let cpuPercent: Double?
    public let residentBytes: UInt64
    public let fileDescriptors: Int
    public let maxFileDescriptors: Int
    /// Processes whose fd/ could not be read, so the fd sums are a lower bound.
    public let unknownFileDescriptorProcesses: Int
    public let threads: UInt64
    /// Uptime of the oldest matching process; nil when none matched.
    public let uptimeSeconds: Double?
    public let states: ProcessStateCounts

    public init(name: String, processes: [ProcessDetail]) {
        self.name = name
        self.processes = processes
        var cpu: Double?
        var resident: UInt64 = 0
        var fds = 0
        var maxFDs = 0
        var unknownFDs = 0
        var threads: UInt64 = 0
        var uptime: Double?
        var states = ProcessStateCounts()
        for process in processes {
            if let percent = process.cpuPercent { cpu = (cpu ?? 0) + percent }
            resident &+= process.residentBytes
            if let count = process.fileDescriptors {
                fds += count
                maxFDs = max(maxFDs, count)
            } else {
                unknownFDs += 1
            }
            threads &+= process.threads
            uptime = max(uptime ?? 0, process.uptimeSeconds)
            states.count(process.state.asciiValue ?? UInt8(ascii: "?"))
        }
        self.cpuPercent = cpu
        self.residentBytes = resident
        self.fileDescriptors = fds
        self.maxFileDescriptors = maxFDs
        self.unknownFileDescriptorProcesses = unknownFDs
        self.threads = threads
        self.uptimeSeconds = uptime
        self.states = states
    }

    public var processCount: Int { processes.count }

    /// No process matched: the watchdog alerts on this.
    public var isMissing: Bool { processes.isEmpty }

    /// The process with the most open descriptors, for "high FD" alerts.
    public var processWithMostFileDescriptors: ProcessDetail? {
        processes.filter { $0.fileDescriptors != nil }.max { ($0.fileDescriptors ?? 0) < ($1.fileDescriptors ?? 0) }
    }
}
