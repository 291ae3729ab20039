import Crypto

/// Computes fingerprints with reusable buffers: for a batch of records on one
/// thread (the host's ingest loop). `LogFingerprint` wraps it for one-off calls.
public struct LogFingerprinter {
    private var normalized: [UInt8] = []

    public init() {
        normalized.reserveCapacity(1024)
    }

    /// `sha256("source|level|normalised message")`, first 8 bytes as 16 lowercase hex.
    public mutating func fingerprint(
        source: UnsafeRawBufferPointer, level: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer
    ) -> String {
        normalized.removeAll(keepingCapacity: true)
        MessageNormalizer.normalize(message, into: &normalized)
        var hasher = SHA256()
        hasher.update(bufferPointer: source)
        Self.updateSeparator(&hasher)
        hasher.update(bufferPointer: level)
        Self.updateSeparator(&hasher)
        normalized.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        let digest = hasher.finalize()
        return digest.withUnsafeBytes { Self.hexPrefix($0) }
    }

    public mutating func fingerprint(source: String, level: String, message: UnsafeRawBufferPointer) -> String {
        var source = source
        var level = level
        return source.withUTF8 { sourceBytes in
            level.withUTF8 { levelBytes in
                fingerprint(
                    source: UnsafeRawBufferPointer(sourceBytes), level: UnsafeRawBufferPointer(levelBytes),
                    message: message
                )
            }
        }
    }

    /// The normalised form of `message` (a copy).
    public mutating func normalize(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        normalized.removeAll(keepingCapacity: true)
        MessageNormalizer.normalize(message, into: &normalized)
        return normalized
    }

    private static func updateSeparator(_ hasher: inout SHA256) {
        var bar: UInt8 = 0x7C  // "|"
        withUnsafeBytes(of: &bar) { hasher.update(bufferPointer: $0) }
    }

    private static func hexPrefix(_ digest: UnsafeRawBufferPointer) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 16) { buffer in
            for index in 0..<8 {
                let byte = digest[index]
                buffer[index * 2] = digits.utf8Start[Int(byte >> 4)]
                buffer[index * 2 + 1] = digits.utf8Start[Int(byte & 0x0F)]
            }
            return 16
        }
    }
}
