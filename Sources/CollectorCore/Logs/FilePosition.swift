/// Where a file source has been read up to: which file (device, inode) and the
/// byte offset just past the last complete line handed out.
package struct FilePosition: Sendable, Hashable {
    package var device: UInt64
    package var inode: UInt64
    package var offset: Int64

    package init(device: UInt64, inode: UInt64, offset: Int64) {
        self.device = device
        self.inode = inode
        self.offset = offset
    }
}
