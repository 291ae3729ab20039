/// Shares of CPU time over an interval, in percent; they add up to 100.
public struct CPUPercentages: Sendable, Hashable {
    /// user + nice (guest time is part of both already).
    public var user: Double
    /// system + irq + softirq.
    public var system: Double
    public var iowait: Double
    public var steal: Double
    public var idle: Double

    public init(user: Double, system: Double, iowait: Double, steal: Double, idle: Double) {
        self.user = user
        self.system = system
        self.iowait = iowait
        self.steal = steal
        self.idle = idle
    }

    /// Time spent working: everything but idle and iowait (a CPU waiting for
    /// IO is free to run other work).
    public var busy: Double { max(0, 100 - idle - iowait) }
}
