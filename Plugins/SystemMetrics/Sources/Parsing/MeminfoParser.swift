import ByteKit

/// Parses /proc/meminfo ("Key:   value kB" lines).
public enum MeminfoParser {
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> MemoryInfo? {
        var scanner = ByteScanner(bytes)
        var total: UInt64?
        var free: UInt64 = 0
        var available: UInt64?
        var buffers: UInt64 = 0
        var cached: UInt64 = 0
        var reclaimableSlab: UInt64 = 0
        var swapTotal: UInt64 = 0
        var swapFree: UInt64 = 0
        while !scanner.isAtEnd {
            let lineStart = scanner.position
            guard scanner.advanceOnLine(to: UInt8(ascii: ":")) else {
                scanner.skipLine()
                continue
            }
            let key = lineStart..<scanner.position
            scanner.position += 1
            let value = readBytes(&scanner)
            if let value {
                if scanner.equals(key, "MemTotal") {
                    total = value
                } else if scanner.equals(key, "MemFree") {
                    free = value
                } else if scanner.equals(key, "MemAvailable") {
                    available = value
                } else if scanner.equals(key, "Buffers") {
                    buffers = value
                } else if scanner.equals(key, "Cached") {
                    cached = value
                } else if scanner.equals(key, "SReclaimable") {
                    reclaimableSlab = value
                } else if scanner.equals(key, "SwapTotal") {
                    swapTotal = value
                } else if scanner.equals(key, "SwapFree") {
                    swapFree = value
                }
            }
            scanner.skipLine()
        }
        guard let total else { return nil }
        return MemoryInfo(
            totalBytes: total, freeBytes: free,
            availableBytes: min(available ?? (free &+ buffers &+ cached), total),
            buffersBytes: buffers, cachedBytes: cached &+ reclaimableSlab,
            swapTotalBytes: swapTotal, swapFreeBytes: swapFree)
    }

    public static func parse(_ bytes: [UInt8]) -> MemoryInfo? {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    /// The value in bytes: meminfo prints kB (KiB) for sizes and a bare number
    /// for page counts such as HugePages_Total.
    private static func readBytes(_ scanner: inout ByteScanner) -> UInt64? {
        guard let number = scanner.readUInt64() else { return nil }
        scanner.skipBlanks()
        return scanner.hasPrefix("kB") ? number.multipliedReportingOverflow(by: 1024).partialValue : number
    }
}
