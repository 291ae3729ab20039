/// The fields of /proc/<pid>/stat the process watcher uses.
public struct ProcessStat: Sendable, Hashable {
    public var pid: Int32
    /// The kernel's task name, at most 15 bytes for user processes.
    public var comm: String
    /// R running, S sleeping, D uninterruptible, Z zombie, T stopped, t traced, I idle, X dead.
    public var state: UInt8
    public var parentPID: Int32
    /// Task flags (PF_*).
    public var flags: UInt64
    public var userTicks: UInt64
    public var systemTicks: UInt64
    public var threads: UInt64
    /// Clock ticks after boot at which the process started; with the pid it
    /// identifies one process incarnation.
    public var startTimeTicks: UInt64
    public var residentPages: UInt64

    public init(
        pid: Int32, comm: String, state: UInt8, parentPID: Int32, flags: UInt64, userTicks: UInt64,
        systemTicks: UInt64, threads: UInt64, startTimeTicks: UInt64, residentPages: UInt64
    ) {
        self.pid = pid
        self.comm = comm
        self.state = state
        self.parentPID = parentPID
        self.flags = flags
        self.userTicks = userTicks
        self.systemTicks = systemTicks
        self.threads = threads
        self.startTimeTicks = startTimeTicks
        self.residentPages = residentPages
    }

    public var cpuTicks: UInt64 { userTicks &+ systemTicks }

    /// PF_KTHREAD: a kernel thread, which never execs and is never watched.
    public var isKernelThread: Bool { flags & 0x0020_0000 != 0 }
}
