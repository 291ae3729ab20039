import Glibc

/// A writable proc-like tree in a private temporary directory, for tests
/// that change a process's files between samples. Removed on deinit.
final class TemporaryProcTree {
    let root: String
    private var created: [String] = []

    init() {
        var template = Array("/tmp/systemmetrics-tree-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
        root = made ?? "/tmp/systemmetrics-tree-unavailable"
    }

    /// Writes a process directory with a stat built from the arguments and a
    /// matching comm file; `kernelThread` sets PF_KTHREAD in the flags.
    func writeProcess(pid: Int32, comm: String, kernelThread: Bool = false, start: UInt64 = 100, ticks: UInt64 = 0) {
        let flags = kernelThread ? 0x0020_8040 : 0x0040_0100
        makeDirectory("\(pid)")
        write(
            "\(pid)/stat",
            "\(pid) (\(comm)) S 1 \(pid) \(pid) 0 -1 \(flags) 0 0 0 0 \(ticks) 0 0 0 20 0 1 0 \(start) 1000 25 0 0 0\n")
        write("\(pid)/comm", comm + "\n")
    }

    func makeDirectory(_ relative: String) {
        let path = root + "/" + relative
        if mkdir(path, 0o700) == 0 { created.append(path) }
    }

    func write(_ relative: String, _ contents: String) {
        let path = root + "/" + relative
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        var bytes = Array(contents.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        if !created.contains(path) { created.append(path) }
    }

    /// Moves a directory aside; the original name can then be re-created
    /// with a new inode while the old one still exists.
    func rename(_ relative: String, to newRelative: String) {
        let from = root + "/" + relative
        let to = root + "/" + newRelative
        guard Glibc.rename(from, to) == 0 else { return }
        created = created.map { $0.hasPrefix(from + "/") ? to + $0.dropFirst(from.count) : ($0 == from ? to : $0) }
    }

    func inode(_ relative: String) -> UInt64 {
        var info = stat()
        return stat(root + "/" + relative, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    deinit {
        for path in created.reversed() where unlink(path) != 0 { rmdir(path) }
        rmdir(root)
    }
}
