/// Cumulative jiffies of one "cpu" line of /proc/stat. Columns a kernel does
/// not report (steal before 2.6.11, guest before 2.6.24, guest_nice before
/// 2.6.33) are zero.
public struct CPUTimes: Sendable, Hashable {
    public var user: UInt64 = 0
    public var nice: UInt64 = 0
    public var system: UInt64 = 0
    public var idle: UInt64 = 0
    public var iowait: UInt64 = 0
    public var irq: UInt64 = 0
    public var softirq: UInt64 = 0
    public var steal: UInt64 = 0
    /// Already included in `user`; kept for completeness, never added twice.
    public var guest: UInt64 = 0
    /// Already included in `nice`.
    public var guestNice: UInt64 = 0

    public init(
        user: UInt64 = 0, nice: UInt64 = 0, system: UInt64 = 0, idle: UInt64 = 0, iowait: UInt64 = 0,
        irq: UInt64 = 0, softirq: UInt64 = 0, steal: UInt64 = 0, guest: UInt64 = 0, guestNice: UInt64 = 0
    ) {
        self.user = user
        self.nice = nice
        self.system = system
        self.idle = idle
        self.iowait = iowait
        self.irq = irq
        self.softirq = softirq
        self.steal = steal
        self.guest = guest
        self.guestNice = guestNice
    }

    /// All accounted time; guest columns excluded because user/nice contain them.
    public var total: UInt64 {
        user &+ nice &+ system &+ idle &+ iowait &+ irq &+ softirq &+ steal
    }
}
