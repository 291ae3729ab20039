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

    // The same place is the same file and offset: the fingerprint grows with
    // the file (up to 1 KiB), so a line read again after a rewind may carry a
    // longer one, and must still find what is remembered of it (a parser's
    // failures on it).
    package static func == (a: FilePosition, b: FilePosition) -> Bool {
        (a.device, a.inode, a.offset) == (b.device, b.inode, b.offset)
    }

    package func hash(into h: inout Hasher) {
        h.combine(device)
        h.combine(inode)
        h.combine(offset)
    }
}
