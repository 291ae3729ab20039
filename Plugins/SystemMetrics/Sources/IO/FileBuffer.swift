import Glibc

/// Reads whole files into one reusable byte buffer (open/read/close, no
/// Foundation), so steady-state sampling does not allocate per file.
struct FileBuffer {
    private var storage: [UInt8]
    /// Hard cap so a pathological file (a huge cmdline, a broken fixture)
    /// cannot grow the daemon's memory without bound.
    private let maximumSize: Int

    init(initialCapacity: Int = 16 * 1024, maximumSize: Int = 4 * 1024 * 1024) {
        storage = [UInt8](repeating: 0, count: max(initialCapacity, 256))
        self.maximumSize = maximumSize
    }

    /// Reads the file at `path` and hands its bytes to `body`.
    /// Returns nil when the file cannot be opened or read: for `/proc/<pid>`
    /// files that is the normal outcome of a process exiting mid-scan.
    ///
    /// `stopAtShortRead` saves the final read(2) that would return 0: it is
    /// only correct for files the kernel produces in one piece (single_open
    /// seq files such as `/proc/<pid>/stat`), whose first read returns
    /// everything when the buffer is large enough.
    mutating func read<R>(
        _ path: [CChar], limit: Int? = nil, stopAtShortRead: Bool = false,
        _ body: (UnsafeBufferPointer<UInt8>) -> R
    ) -> R? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let cap = min(limit ?? maximumSize, maximumSize)
        var count = 0
        while count < cap {
            if count == storage.count {
                storage.append(contentsOf: repeatElement(0, count: min(storage.count, maximumSize - storage.count)))
            }
            let want = min(storage.count, cap) - count
            let got = storage.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return Glibc.read(fd, base + count, want)
            }
            if got < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if got == 0 { break }
            count += got
            if stopAtShortRead && got < want { break }
        }
        return storage.withUnsafeBufferPointer { buffer in
            body(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}
