import Glibc

/// File access under a proc root ("/proc", or a fixture tree in tests).
/// Every failure is reported as nil: files of processes that exit mid-scan and
/// permission-protected entries are expected, not errors.
struct ProcReader {
    let root: String
    /// The fd directory of a real procfs reports its entry count as st_size
    /// (Linux 6.2+), which saves a readdir per process. A fixture tree on a
    /// normal file system reports the directory's own size instead.
    private let reportsFDCountAsSize: Bool
    private var path: ProcPath
    private var buffer = FileBuffer()

    init(root: String) {
        self.root = root
        path = ProcPath(root: root)
        reportsFDCountAsSize = Self.isProcFileSystem(root)
    }

    mutating func read<R>(_ relative: StaticString, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        path.set(relative)
        return buffer.read(path.cString, body)
    }

    /// Reads `<root>/<pid>/<leaf>`; `limit` bounds how much is read (argv[0]
    /// needs only the start of cmdline).
    mutating func readProcessFile<R>(
        pid: Int32, _ leaf: StaticString, limit: Int? = nil,
        _ body: (UnsafeBufferPointer<UInt8>) -> R
    ) -> R? {
        path.set(pid: pid, leaf)
        return buffer.read(path.cString, limit: limit, stopAtShortRead: true, body)
    }

    /// The target of `<root>/<pid>/<leaf>` (e.g. exe); nil when unreadable
    /// (EACCES for other users' processes when not root, ENOENT for kernel threads).
    mutating func readProcessLink(pid: Int32, _ leaf: StaticString) -> [UInt8]? {
        path.set(pid: pid, leaf)
        var target = [CChar](repeating: 0, count: Int(PATH_MAX))
        let length = readlink(path.cString, &target, target.count)
        guard length > 0 else { return nil }
        return target[0..<length].map { UInt8(bitPattern: $0) }
    }

    /// Number of open file descriptors of `pid`, or nil when `fd/` cannot be
    /// read (permission, process gone).
    mutating func countFileDescriptors(pid: Int32) -> Int? {
        path.set(pid: pid, "fd")
        if reportsFDCountAsSize {
            var info = stat()
            guard stat(path.cString, &info) == 0 else { return nil }
            if info.st_size > 0 { return Int(info.st_size) }
            // Size 0: an older kernel without the size report, or truly no fds.
        }
        return DirectoryEntryCounter.count(path.cString)
    }

    /// procfs generates its files on read and reports them as empty; a
    /// fixture copy of `stat` has its real size. (statfs(2), which would give
    /// PROC_SUPER_MAGIC, is not exported by the Glibc module.)
    private static func isProcFileSystem(_ root: String) -> Bool {
        var info = stat()
        return stat(root + "/stat", &info) == 0 && info.st_size == 0
    }
}
