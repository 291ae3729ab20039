import ByteKit

/// Parses /proc/self/mounts ("device mountpoint fstype options dump pass").
public enum MountsParser {
    /// Mounts whose type is not in `skippedTypes`. When a mount point appears
    /// more than once only the last entry is kept: it is the one that shadows
    /// the others and that statvfs will see.
    public static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, skippingTypes skippedTypes: Set<String>
    ) -> [MountEntry] {
        var scanner = ByteScanner(bytes)
        var entries: [MountEntry] = []
        while !scanner.isAtEnd {
            let device = scanner.readField()
            let mountPoint = scanner.readField()
            let type = scanner.readField()
            scanner.skipLine()
            guard !device.isEmpty, !mountPoint.isEmpty, !type.isEmpty else { continue }
            let typeName = scanner.string(type)
            guard !skippedTypes.contains(typeName) else { continue }
            let entry = MountEntry(
                device: decode(scanner, device), mountPoint: decode(scanner, mountPoint), fileSystemType: typeName)
            if let existing = entries.firstIndex(where: { $0.mountPoint == entry.mountPoint }) {
                entries.remove(at: existing)
            }
            entries.append(entry)
        }
        return entries
    }

    public static func parse(_ bytes: [UInt8], skippingTypes skippedTypes: Set<String>) -> [MountEntry] {
        bytes.withUnsafeBufferPointer { parse($0, skippingTypes: skippedTypes) }
    }

    /// Undoes the kernel's escaping of space, tab, newline and backslash as \ooo.
    static func decode(_ scanner: ByteScanner, _ range: Range<Int>) -> String {
        let bytes = scanner.bytes
        guard bytes[range].contains(UInt8(ascii: "\\")) else { return scanner.string(range) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] == UInt8(ascii: "\\"), index + 3 < range.upperBound,
                let value = octal(bytes, index + 1)
            {
                decoded.append(value)
                index += 4
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func octal(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> UInt8? {
        var value: UInt16 = 0
        for index in start..<start + 3 {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 8 else { return nil }
            value = value * 8 + UInt16(digit)
        }
        return value <= 0xFF ? UInt8(value) : nil
    }
}
