import ByteKit

/// Parses the "cpu" lines of /proc/stat. Works with any column count from the
/// 4 of 2.4 kernels to the 10 of current ones; missing columns read as zero.
public enum ProcStatParser {
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ProcStatSnapshot? {
        var scanner = ByteScanner(bytes)
        var aggregate: CPUTimes?
        var cores: [CoreTimes] = []
        while !scanner.isAtEnd {
            // The cpu lines come first; stop at "intr" instead of scanning its thousands of columns.
            guard scanner.hasPrefix("cpu") else {
                if aggregate != nil || !cores.isEmpty { break }
                scanner.skipLine()
                continue
            }
            scanner.position += 3
            let coreIndex = scanner.peek() == UInt8(ascii: " ") ? nil : scanner.readUInt64()
            if let times = readTimes(&scanner) {
                if let coreIndex {
                    cores.append(CoreTimes(index: Int(clamping: coreIndex), times: times))
                } else {
                    aggregate = times
                }
            }
            scanner.skipLine()
        }
        guard let aggregate else { return nil }
        return ProcStatSnapshot(aggregate: aggregate, cores: cores)
    }

    public static func parse(_ bytes: [UInt8]) -> ProcStatSnapshot? {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    private static func readTimes(_ scanner: inout ByteScanner) -> CPUTimes? {
        // user nice system idle is the minimum any kernel has printed.
        guard let user = scanner.readUInt64(), let nice = scanner.readUInt64(),
            let system = scanner.readUInt64(), let idle = scanner.readUInt64()
        else { return nil }
        // Once a column is missing the rest are too (readUInt64 stops at the newline).
        return CPUTimes(
            user: user, nice: nice, system: system, idle: idle,
            iowait: scanner.readUInt64() ?? 0, irq: scanner.readUInt64() ?? 0,
            softirq: scanner.readUInt64() ?? 0, steal: scanner.readUInt64() ?? 0,
            guest: scanner.readUInt64() ?? 0, guestNice: scanner.readUInt64() ?? 0)
    }
}
