/// Basenames used to match watched names longer than comm's 15 bytes.
public enum ExecutableName {
    /// Basename of a `/proc/<pid>/exe` link target. A binary replaced by a
    /// package upgrade shows as "/usr/bin/x (deleted)", which is still "x".
    public static func fromExecutableLink(_ target: [UInt8]) -> String? {
        var path = target[...]
        let deleted = Array(" (deleted)".utf8)
        if path.count > deleted.count, path.suffix(deleted.count).elementsEqual(deleted) {
            path = path.dropLast(deleted.count)
        }
        return basename(path)
    }

    /// Basename of argv[0], the bytes of `/proc/<pid>/cmdline` up to the first NUL.
    public static func fromCommandLine(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let end = bytes.firstIndex(of: 0) ?? bytes.count
        return basename(bytes[0..<end])
    }

    public static func fromCommandLine(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { fromCommandLine($0) }
    }

    private static func basename<Bytes: BidirectionalCollection>(_ path: Bytes) -> String?
    where Bytes.Element == UInt8 {
        let name = path.lastIndex(of: UInt8(ascii: "/")).map { path[path.index(after: $0)...] } ?? path[...]
        return name.isEmpty ? nil : String(decoding: name, as: UTF8.self)
    }
}
