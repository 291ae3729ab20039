/// CRC-32C (Castagnoli), the checksum of the disk spool's records and of a log
/// file's first bytes (its fingerprint, which tells a copy from a stranger after
/// copytruncate). Table-driven, one byte at a time: the inputs are small (a
/// record header, 1 KiB of a file) or written once, so this is never hot.
public struct CRC32C: Sendable, Equatable {
    public private(set) var value: UInt32 = 0xFFFF_FFFF

    public init() {}

    /// Feeds more bytes; `checksum` covers everything fed so far.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = value
        for byte in bytes {
            crc = Self.table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        value = crc
    }

    public var checksum: UInt32 { value ^ 0xFFFF_FFFF }

    /// The checksum of `bytes` alone.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = CRC32C()
        c.update(bytes)
        return c.checksum
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    private static let table: [UInt32] = (0..<256).map { (n: Int) -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0x82F6_3B78 ^ (c >> 1) : c >> 1 }
        return c
    }
}
