#if canImport(Glibc)
import Glibc
#endif

/// Logs written by real programs on the development machine, kept verbatim in
/// Tests/Fixtures/logs (see its README for what each one is).
enum GeneratedLogs {
    static let certbot = fixture("certbot-2.1.0-letsencrypt.log")
    static let fail2ban = fixture("fail2ban-1.0.2.log")
    static let apache24 = fixture("apache-2.4-error.log")
    static let postgresql = fixture("postgresql-15.log")
    static let sshdAuthLog = fixture("sshd-9.2-auth.log")
    static let sshdDevLog = fixture("sshd-9.2-devlog.log")
    static let netfilterKernLog = fixture("netfilter-6.18-kern.log")

    static let directory: String = {
        var path = #filePath
        for _ in 0..<2 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path + "/Fixtures/logs"
    }()

    /// The file's text without its final newline.
    static func fixture(_ name: String) -> String {
        let path = directory + "/" + name
        guard let file = fopen(path, "rb") else { fatalError("missing test fixture \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        if bytes.last == 0x0A { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
