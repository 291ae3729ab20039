/// Builds NUL-terminated paths under the proc root in one reusable buffer, so
/// visiting hundreds of `/proc/<pid>/stat` files per tick allocates nothing.
struct ProcPath {
    /// The current path, NUL-terminated, ready to pass to open(2) and friends.
    private(set) var cString: [CChar]
    private let rootLength: Int

    init(root: String) {
        var root = root.utf8.map { CChar(bitPattern: $0) }
        while root.count > 1, root.last == Self.slash { root.removeLast() }
        rootLength = root.count
        cString = root
        cString.reserveCapacity(root.count + 64)
        cString.append(0)
    }

    /// `<root>/<relative>`.
    mutating func set(_ relative: StaticString) {
        truncateToRoot()
        append(relative)
        cString.append(0)
    }

    /// `<root>/<pid>` or `<root>/<pid>/<leaf>`.
    mutating func set(pid: Int32, _ leaf: StaticString? = nil) {
        truncateToRoot()
        append(pid)
        if let leaf { append(leaf) }
        cString.append(0)
    }

    private static let slash = CChar(UInt8(ascii: "/"))

    private mutating func truncateToRoot() {
        cString.removeSubrange(rootLength...)
    }

    private mutating func append(_ component: StaticString) {
        cString.append(Self.slash)
        component.withUTF8Buffer { utf8 in
            for byte in utf8 { cString.append(CChar(bitPattern: byte)) }
        }
    }

    private mutating func append(_ pid: Int32) {
        cString.append(Self.slash)
        let start = cString.count
        var value = UInt32(truncatingIfNeeded: max(pid, 0))
        repeat {
            cString.append(CChar(UInt8(ascii: "0") + UInt8(value % 10)))
            value /= 10
        } while value > 0
        cString[start...].reverse()
    }
}
