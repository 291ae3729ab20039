/// Where a file source has been read up to: which file (device, inode, and the
/// fingerprint of its first bytes) and the byte offset just past the last
/// complete line handed out.
package struct FilePosition: Sendable, Hashable {
    package var device: UInt64
    package var inode: UInt64
    package var offset: Int64
    /// CRC-32C of the file's first bytes, packed as `length << 32 | crc` (see
    /// `FileTailer`): the inode stays the same across copytruncate, these bytes
    /// do not; and a copy has another inode but the same bytes. nil: not known
    /// (a position saved before fingerprints).
    package var fingerprint: UInt64?

    package init(device: UInt64, inode: UInt64, offset: Int64, fingerprint: UInt64? = nil) {
        self.device = device
        self.inode = inode
        self.offset = offset
        self.fingerprint = fingerprint
    }

    /// How many of the file's first bytes the fingerprint covers.
    package var fingerprintLength: Int { fingerprint.map { Int($0 >> 32) } ?? 0 }
}
