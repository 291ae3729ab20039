import ByteKit

/// Parses /proc/loadavg: "0.09 0.08 0.04 1/86 3823".
public enum LoadAvgParser {
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> LoadAverage? {
        var scanner = ByteScanner(bytes)
        guard let one = scanner.readDecimal(), let five = scanner.readDecimal(),
            let fifteen = scanner.readDecimal(), let runnable = scanner.readUInt64(),
            scanner.peek() == UInt8(ascii: "/")
        else { return nil }
        scanner.position += 1
        guard let total = scanner.readUInt64() else { return nil }
        return LoadAverage(one: one, five: five, fifteen: fifteen, runnable: runnable, total: total)
    }

    public static func parse(_ bytes: [UInt8]) -> LoadAverage? {
        bytes.withUnsafeBufferPointer { parse($0) }
    }
}
