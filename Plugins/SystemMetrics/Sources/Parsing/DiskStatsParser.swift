import ByteKit

/// Parses /proc/diskstats (11 counters before 4.18, 15 until 5.5, 17 since;
/// only the first 11 are used).
public enum DiskStatsParser {
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> [DiskCounters] {
        var scanner = ByteScanner(bytes)
        var disks: [DiskCounters] = []
        while !scanner.isAtEnd {
            defer { scanner.skipLine() }
            guard scanner.readUInt64() != nil, scanner.readUInt64() != nil else { continue }
            let name = scanner.readField()
            guard !name.isEmpty,
                let reads = scanner.readUInt64(), scanner.readUInt64() != nil,
                let sectorsRead = scanner.readUInt64(), scanner.readUInt64() != nil,
                let writes = scanner.readUInt64(), scanner.readUInt64() != nil,
                let sectorsWritten = scanner.readUInt64(), scanner.readUInt64() != nil,
                scanner.readUInt64() != nil, let ioTicks = scanner.readUInt64()
            else { continue }
            disks.append(
                DiskCounters(
                    name: scanner.string(name), readsCompleted: reads, sectorsRead: sectorsRead,
                    writesCompleted: writes, sectorsWritten: sectorsWritten, ioTicksMilliseconds: ioTicks))
        }
        return disks
    }

    public static func parse(_ bytes: [UInt8]) -> [DiskCounters] {
        bytes.withUnsafeBufferPointer { parse($0) }
    }
}
