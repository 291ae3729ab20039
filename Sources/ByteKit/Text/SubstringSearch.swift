/// Substring search over UTF-8 bytes (no Unicode normalisation: what log text,
/// SQL and identifiers need). The standard `contains(_: String)` and
/// `firstRange(of:)` live in `_StringProcessing`, which the daemon and its
/// plugins do not load (Package.swift, `lean`).
extension StringProtocol {
    /// The byte offset of the first occurrence of `needle`, if any.
    public func utf8Offset(of needle: some StringProtocol) -> Int? {
        let hay = Array(utf8), pat = Array(needle.utf8)
        guard !pat.isEmpty else { return 0 }
        guard hay.count >= pat.count else { return nil }
        let first = pat[0], last = hay.count - pat.count
        var i = 0
        while i <= last {
            if hay[i] == first {
                var k = 1
                while k < pat.count, hay[i + k] == pat[k] { k += 1 }
                if k == pat.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Whether `needle` occurs in the string.
    public func includes(_ needle: some StringProtocol) -> Bool { utf8Offset(of: needle) != nil }

    /// The string with its first `target` replaced by `replacement`.
    public func replacingFirst(_ target: some StringProtocol, with replacement: String) -> String {
        guard let at = utf8Offset(of: target) else { return String(self) }
        let bytes = Array(utf8)
        return String(decoding: bytes[..<at], as: UTF8.self) + replacement
            + String(decoding: bytes[(at + target.utf8.count)...], as: UTF8.self)
    }
}
