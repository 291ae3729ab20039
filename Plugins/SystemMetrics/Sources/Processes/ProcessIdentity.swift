/// One process incarnation: a pid plus its start time, so a pid reused by a
/// new process is never mistaken for the old one.
public struct ProcessIdentity: Sendable, Hashable {
    public var pid: Int32
    public var startTimeTicks: UInt64

    public init(pid: Int32, startTimeTicks: UInt64) {
        self.pid = pid
        self.startTimeTicks = startTimeTicks
    }
}
