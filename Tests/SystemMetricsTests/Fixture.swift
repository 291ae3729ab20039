import Glibc

/// Fixture files, located next to this source file (no bundle resources).
enum Fixture {
    static let directory: String = {
        let file = "\(#filePath)"
        let end = file.lastIndex(of: "/") ?? file.endIndex
        return String(file[..<end]) + "/Fixtures"
    }()

    static func path(_ relative: String) -> String { directory + "/" + relative }

    /// The bytes of a fixture file; an empty array if it is missing, which
    /// then fails the parser's expectations loudly.
    static func bytes(_ relative: String) -> [UInt8] {
        let fd = open(path(relative), O_RDONLY)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }
}
