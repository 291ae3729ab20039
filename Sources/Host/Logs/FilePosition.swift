/// Where a file source has been read up to: which file (device, inode) and the
/// byte offset just past the last complete line handed out.
struct FilePosition: Sendable, Equatable {
    var device: UInt64
    var inode: UInt64
    var offset: Int64
}
