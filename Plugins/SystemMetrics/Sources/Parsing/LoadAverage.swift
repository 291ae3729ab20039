/// /proc/loadavg: run-queue averages and the scheduling entity counts.
public struct LoadAverage: Sendable, Hashable {
    public var one: Double
    public var five: Double
    public var fifteen: Double
    /// Currently runnable tasks (threads included).
    public var runnable: UInt64
    /// All tasks (threads included).
    public var total: UInt64

    public init(one: Double, five: Double, fifteen: Double, runnable: UInt64, total: UInt64) {
        self.one = one
        self.five = five
        self.fifteen = fifteen
        self.runnable = runnable
        self.total = total
    }
}
