/// How many processes of a group are in each scheduler state.
public struct ProcessStateCounts: Sendable, Hashable {
    public var running = 0
    public var sleeping = 0
    /// D: uninterruptible sleep, usually stuck on IO.
    public var diskSleep = 0
    public var zombie = 0
    /// T or t: stopped by a signal or a tracer.
    public var stopped = 0
    public var idle = 0
    public var other = 0

    public init() {}

    public mutating func count(_ state: UInt8) {
        switch state {
        case UInt8(ascii: "R"): running += 1
        case UInt8(ascii: "S"): sleeping += 1
        case UInt8(ascii: "D"): diskSleep += 1
        case UInt8(ascii: "Z"): zombie += 1
        case UInt8(ascii: "T"), UInt8(ascii: "t"): stopped += 1
        case UInt8(ascii: "I"): idle += 1
        default: other += 1
        }
    }

    /// Compact form for a text column, non-zero states only: "R1 S3 Z1".
    public var summary: String {
        var parts: [String] = []
        for (letter, count) in [
            ("R", running), ("S", sleeping), ("D", diskSleep), ("Z", zombie), ("T", stopped), ("I", idle),
            ("?", other),
        ] where count > 0 {
            parts.append(letter + String(count))
        }
        return parts.joined(separator: " ")
    }
}
