/// The standard fingerprint of a log record, which groups records of one pattern:
/// `sha256("source|level|normalised")` truncated to 16 lowercase hex characters,
/// where the message is normalised by replacing UUIDs with `<UUID>`, IPv4/IPv6
/// addresses with `<IP>`, long hex with `<HEX>` and digit runs with `#`.
///
/// `level` is the stored level name ("info" for records of unknown level).
public enum LogFingerprint {
    public static func normalize(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 8)
        let input = Array(bytes)
        input.withUnsafeBytes { MessageNormalizer.normalize($0, into: &output) }
        return output
    }

    public static func normalize(_ text: String) -> String {
        String(decoding: normalize(Array(text.utf8)), as: UTF8.self)
    }

    public static func compute(source: String, level: String, message: some Collection<UInt8>) -> String {
        var fingerprinter = LogFingerprinter()
        return Array(message).withUnsafeBytes { fingerprinter.fingerprint(source: source, level: level, message: $0) }
    }

    public static func compute(source: String, level: String, message: String) -> String {
        compute(source: source, level: level, message: Array(message.utf8))
    }
}
