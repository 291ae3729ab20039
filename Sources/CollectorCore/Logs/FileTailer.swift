#if canImport(Glibc)
import Glibc
#endif
import ByteKit

/// Reads complete lines of one log file from a saved position, following the
/// file across rotation:
/// - rename + create: the old file (still open, or found at `<path>.1`) is read
///   to its end first, then the new file from offset 0;
/// - copytruncate: the file is known by its inode and a checksum of its first
///   bytes (its fingerprint, as Vector and Fluent Bit do it). When it shrinks below
///   the saved offset, or its first bytes change, it was truncated: the copy
///   (`<path>.1`, or a `rotated_paths` pattern) whose first bytes match is the
///   file just read, and its unread tail is read first; then the file from 0.
///   Lines the application writes between the copy and the truncate are in
///   neither file: that window is copytruncate's own, not ours;
/// - a missing, unreadable or non-regular path is a state, reported once per change.
/// A line longer than `maxLineBytes` is handed out truncated with a marker and
/// the position moves past it, so one huge line can never stall the source.
/// Memory stays bounded by `chunkSize + maxLineBytes` whatever the file holds.
package final class FileTailer {
    package enum State: Equatable {
        case reading
        case missing
        case unreadable(String)
    }

    package struct Line {
        /// The line without its newline (truncated lines end with the marker).
        package let bytes: UnsafeRawBufferPointer
        /// The position just after this line's newline.
        package let position: FilePosition
        package let truncated: Bool
    }

    package let path: String
    package let chunkSize: Int
    package let maxLineBytes: Int
    package private(set) var state: State = .reading
    /// Position after the last line handed out (what to commit with its rows).
    package private(set) var position: FilePosition?
    /// Modification time of the file at the path when last read (wall-clock microseconds).
    package private(set) var modifiedMicros: Int64 = 0

    private var fd: Int32 = -1
    private var buffer: [UInt8]
    private var lineScratch: [UInt8] = []

    package static let truncationMarker = Array(" …[truncated]".utf8)

    /// A file seen for the first time is read from this many bytes before its end
    /// (from its next line), so a first start does not ingest years of history.
    package let initialBackfillBytes: Int
    /// Set when reading starts mid-file: the bytes up to the first newline are a partial line.
    private var discardPartialLine = false

    /// Where a copy of the file may be after copytruncate: paths or glob(3)
    /// patterns, newest first (`<path>.1` when empty).
    package let rotatedPaths: [String]
    /// Copytruncate rotations seen, and the copies whose tails were read.
    package private(set) var truncations = 0
    package private(set) var copiesRead = 0

    package init(path: String, position: FilePosition?, chunkSize: Int, maxLineBytes: Int, initialBackfillBytes: Int = Int.max,
                 rotatedPaths: [String] = []) {
        self.path = path
        self.rotatedPaths = rotatedPaths.isEmpty ? [path + ".1"] : rotatedPaths
        self.position = position
        self.initialBackfillBytes = max(0, initialBackfillBytes)
        self.chunkSize = max(4096, chunkSize)
        self.maxLineBytes = max(64, maxLineBytes)
        buffer = [UInt8](repeating: 0, count: self.chunkSize)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Moves back to a committed position (after a failed commit).
    package func reset(to committed: FilePosition?) {
        if fd >= 0, committed == nil || committed.map({ ($0.device, $0.inode) }) ?? (0, 0) != position.map({ ($0.device, $0.inode) }) ?? (0, 0) {
            close(fd)
            fd = -1
        }
        position = committed
        discardPartialLine = false
    }

    /// Hands out complete lines until caught up or `body` returns false.
    /// Returns the state after reading (for once-per-change warnings).
    @discardableResult
    package func read(_ body: (Line) -> Bool) -> State {
        guard let current = openCurrent() else { return state }
        if let pos = position, (pos.device, pos.inode) == (current.device, current.inode), fd < 0 || fd == current.fd,
           !sameContent(fd: current.fd, size: current.size, as: pos) {
            // Truncated in place (copytruncate): finish the copy first, if it can be found.
            truncations += 1
            if let copy = findCopy(of: pos) {
                copiesRead += 1
                if fd >= 0, fd != current.fd { close(fd) }
                fd = copy.fd
                position = FilePosition(device: copy.device, inode: copy.inode, offset: pos.offset, fingerprint: pos.fingerprint)
            } else {
                position = FilePosition(device: current.device, inode: current.inode, offset: 0)
            }
        }
        // An old file still open, or the saved one rotated away, is finished first.
        if fd >= 0, let pos = position, (pos.device, pos.inode) != (current.device, current.inode) {
            guard drain(fd: fd, identity: (pos.device, pos.inode), body) else {
                if current.fd != fd { close(current.fd) }
                return state
            }
            close(fd)
            fd = -1
            position = FilePosition(device: current.device, inode: current.inode, offset: 0)
        }
        if fd < 0 {
            fd = current.fd
        } else if current.fd != fd {
            close(current.fd)
        }
        var pos: FilePosition
        if let saved = position {
            pos = saved
        } else {
            pos = FilePosition(device: current.device, inode: current.inode, offset: 0)
            if current.size > Int64(initialBackfillBytes) {
                pos.offset = current.size - Int64(initialBackfillBytes)
                discardPartialLine = true
            }
        }
        if pos.device != current.device || pos.inode != current.inode {
            pos = FilePosition(device: current.device, inode: current.inode, offset: 0)
        }
        if current.size < pos.offset { pos.offset = 0 }  // truncated, no fingerprint to look for a copy with
        // The fingerprint grows with the file up to its full length; a longer one
        // still starts with the bytes of a shorter one committed earlier.
        if pos.fingerprintLength < Self.fingerprintBytes, current.size > Int64(pos.fingerprintLength) {
            pos.fingerprint = Self.fingerprint(fd: fd, length: Int(min(current.size, Int64(Self.fingerprintBytes)))) ?? pos.fingerprint
        }
        position = pos
        _ = drain(fd: fd, identity: (pos.device, pos.inode), body)
        return state
    }

    /// How many first bytes of a file its fingerprint covers, at most.
    package static let fingerprintBytes = 1024

    /// CRC-32C of the first `length` bytes, packed as `length << 32 | crc`; nil
    /// when the file holds fewer.
    package static func fingerprint(fd: Int32, length: Int) -> UInt64? {
        var bytes = [UInt8](repeating: 0, count: length)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, 0) }
        guard n == length else { return nil }
        return UInt64(length) << 32 | UInt64(CRC32C.checksum(bytes))
    }

    /// Whether the file open as `fd` still holds what `pos` was read from: not
    /// shorter than its offset, and the same first bytes.
    private func sameContent(fd: Int32, size: Int64, as pos: FilePosition) -> Bool {
        if size < pos.offset { return false }
        guard let known = pos.fingerprint, pos.fingerprintLength > 0 else { return true }
        return Self.fingerprint(fd: fd, length: pos.fingerprintLength) == known
    }

    /// The copy of the file `pos` was read from: a rotated path with the same
    /// first bytes and at least `pos.offset` bytes.
    private func findCopy(of pos: FilePosition) -> Opened? {
        guard let known = pos.fingerprint else { return nil }
        for candidate in rotatedPaths.flatMap(Self.expand) {
            let cfd = open(candidate, O_RDONLY | O_CLOEXEC)
            guard cfd >= 0 else { continue }
            var st = stat()
            if fstat(cfd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, Int64(st.st_size) >= pos.offset,
               (UInt64(st.st_dev), UInt64(st.st_ino)) != (pos.device, pos.inode),
               Self.fingerprint(fd: cfd, length: pos.fingerprintLength) == known {
                return Opened(fd: cfd, device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size))
            }
            close(cfd)
        }
        return nil
    }

    /// A path, or the paths a glob(3) pattern matches (sorted, as glob returns them).
    private static func expand(_ pattern: String) -> [String] {
        guard pattern.utf8.contains(where: { $0 == 0x2A || $0 == 0x3F || $0 == 0x5B }) else { return [pattern] }
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(pattern, 0, nil, &g) == 0 else { return [] }
        return (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }
    }

    private struct Opened {
        package let fd: Int32
        package let device: UInt64
        package let inode: UInt64
        package let size: Int64
    }

    /// Opens (or re-stats) the file at `path`; nil when it cannot be read now.
    private func openCurrent() -> Opened? {
        var st = stat()
        guard stat(path, &st) == 0 else {
            if errno == ENOENT {
                state = .missing
            } else {
                state = .unreadable(String(cString: strerror(errno)))
            }
            return nil
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            state = .unreadable("not a regular file")
            return nil
        }
        let device = UInt64(st.st_dev), inode = UInt64(st.st_ino)
        modifiedMicros = Int64(st.st_mtim.tv_sec) * 1_000_000 + Int64(st.st_mtim.tv_nsec) / 1000
        // Same file as the open descriptor: keep using it.
        if fd >= 0, let pos = position, pos.device == device, pos.inode == inode {
            state = .reading
            return Opened(fd: fd, device: device, inode: inode, size: Int64(st.st_size))
        }
        let newFD = open(path, O_RDONLY | O_CLOEXEC)
        guard newFD >= 0 else {
            state = .unreadable(String(cString: strerror(errno)))
            return nil
        }
        if fd < 0, let pos = position, (pos.device, pos.inode) != (device, inode) {
            // Rotated while we were not running: finish the old file if logrotate left it at <path>.1.
            let rotated = open(path + ".1", O_RDONLY | O_CLOEXEC)
            var rst = stat()
            if rotated >= 0, fstat(rotated, &rst) == 0, UInt64(rst.st_dev) == pos.device, UInt64(rst.st_ino) == pos.inode {
                fd = rotated
            } else if rotated >= 0 {
                close(rotated)
            }
        }
        state = .reading
        return Opened(fd: newFD, device: device, inode: inode, size: Int64(st.st_size))
    }

    /// Reads `fd` from the saved offset to its end. Returns false if `body` asked to stop.
    private func drain(fd: Int32, identity: (UInt64, UInt64), _ body: (Line) -> Bool) -> Bool {
        guard var pos = position else { return true }
        pos.device = identity.0
        pos.inode = identity.1
        var readOffset = pos.offset      // where the next pread starts
        lineScratch.removeAll(keepingCapacity: true)
        var skipping = false             // inside an over-long line, discarding until its newline
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, chunkSize, off_t(readOffset)) }
            if n < 0 {
                if errno == EINTR { continue }
                state = .unreadable(String(cString: strerror(errno)))
                return true
            }
            if n == 0 { return true }  // caught up; a partial last line waits for its newline
            var stop = false
            buffer.withUnsafeBytes { chunk in
                var i = 0
                while i < n {
                    // Find the next newline in this chunk.
                    var j = i
                    while j < n && chunk[j] != 0x0A { j += 1 }
                    let hasNewline = j < n
                    if !skipping {
                        let room = maxLineBytes - lineScratch.count
                        let take = min(j - i, room)
                        if take > 0 { lineScratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[i..<(i + take)])) }
                        if j - i > room { skipping = true }
                    }
                    if !hasNewline { i = n; break }
                    let end = readOffset + Int64(j) + 1
                    if discardPartialLine {
                        // The tail of a line that began before the backfill window.
                        discardPartialLine = false
                        lineScratch.removeAll(keepingCapacity: true)
                        skipping = false
                        pos.offset = end
                        position = pos
                        i = j + 1
                        continue
                    }
                    if skipping { lineScratch.append(contentsOf: Self.truncationMarker) }
                    pos.offset = end
                    let truncated = skipping
                    let keepGoing = lineScratch.withUnsafeBytes { body(Line(bytes: $0, position: pos, truncated: truncated)) }
                    position = pos
                    lineScratch.removeAll(keepingCapacity: true)
                    skipping = false
                    i = j + 1
                    if !keepGoing { stop = true; return }
                }
            }
            if stop { return false }
            readOffset += Int64(n)
        }
    }
}
