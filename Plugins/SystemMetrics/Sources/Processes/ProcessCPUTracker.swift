/// Per-process CPU percentages from successive utime+stime readings.
/// 100 means one core fully used; a multi-threaded process can exceed it.
public struct ProcessCPUTracker: Sendable {
    private var previousTicks: [ProcessIdentity: UInt64] = [:]
    private var previousInstant: SampleInstant?
    private let ticksPerSecond: Double

    public init(ticksPerSecond: Int) {
        self.ticksPerSecond = Double(max(ticksPerSecond, 1))
    }

    /// Percent for each `(identity, cpuTicks)` in order; nil for a process
    /// seen for the first time (including a reused pid with a new start
    /// time) or whose ticks went backwards. Processes not passed are forgotten.
    public mutating func update(
        _ readings: [(identity: ProcessIdentity, cpuTicks: UInt64)], at instant: SampleInstant
    ) -> [Double?] {
        let seconds = previousInstant.map { instant.seconds(since: $0) } ?? 0
        var current: [ProcessIdentity: UInt64] = [:]
        current.reserveCapacity(readings.count)
        let percentages = readings.map { reading -> Double? in
            current[reading.identity] = reading.cpuTicks
            guard seconds > 0, let before = previousTicks[reading.identity], reading.cpuTicks >= before else {
                return nil
            }
            return Double(reading.cpuTicks - before) * 100 / (ticksPerSecond * seconds)
        }
        previousTicks = current
        previousInstant = instant
        return percentages
    }
}
