import CLibCrypto

/// Computes fingerprints with reusable buffers: for a batch of records on one
/// thread (the host's ingest loop). `LogFingerprint` wraps it for one-off calls.
public struct LogFingerprinter {
    /// Normalisation output, kept between calls; only its first bytes are used.
    private var normalized: [UInt8] = []

    public init() {
        normalized = [UInt8](repeating: 0, count: 4096)
    }

    /// `sha256("source|level|normalised message")`, first 8 bytes as 16 lowercase hex.
    public mutating func fingerprint(
        source: UnsafeRawBufferPointer, level: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer
    ) -> String {
        Self.hexString(fingerprintBytes(source: source, level: level, message: message))
    }

    /// The fingerprint as its 8 bytes (big-endian in the integer: the hex string's
    /// order), without building a String: for callers that format it themselves.
    public mutating func fingerprintBytes(
        source: UnsafeRawBufferPointer, level: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer
    ) -> UInt64 {
        let needed = MessageNormalizer.maximumOutputCount(message.count)
        if normalized.count < needed {
            normalized = [UInt8](repeating: 0, count: needed)
        }
        var context = SHA256_CTX()
        SHA256_Init(&context)
        SHA256_Update(&context, source.baseAddress, source.count)
        Self.updateSeparator(&context)
        SHA256_Update(&context, level.baseAddress, level.count)
        Self.updateSeparator(&context)
        normalized.withUnsafeMutableBytes { buffer in
            let length = MessageNormalizer.normalize(message, into: buffer)
            SHA256_Update(&context, buffer.baseAddress, length)
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(SHA256_DIGEST_LENGTH)) { digest in
            SHA256_Final(digest.baseAddress, &context)
            var value: UInt64 = 0
            for index in 0..<8 { value = value << 8 | UInt64(digest[index]) }
            return value
        }
    }

    /// Writes the 16 lowercase hex characters of `fingerprint` into `output` (16 bytes).
    public static func writeHex(_ fingerprint: UInt64, into output: UnsafeMutableRawBufferPointer) {
        let digits: StaticString = "0123456789abcdef"
        for index in 0..<min(16, output.count) {
            let nibble = (fingerprint >> UInt64(60 - index * 4)) & 0x0F
            output[index] = digits.utf8Start[Int(nibble)]
        }
    }

    public static func hexString(_ fingerprint: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            writeHex(fingerprint, into: UnsafeMutableRawBufferPointer(buffer))
            return 16
        }
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
    public func normalize(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        var output: [UInt8] = []
        MessageNormalizer.normalize(message, into: &output)
        return output
    }

    private static func updateSeparator(_ context: inout SHA256_CTX) {
        var bar: UInt8 = 0x7C  // "|"
        SHA256_Update(&context, &bar, 1)
    }
}
