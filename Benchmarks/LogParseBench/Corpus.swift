#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One parser's input: sample lines repeated into one buffer, with each line's
/// range precomputed (splitting lines is the host's job, not the parser's).
struct Corpus {
    var bytes: [UInt8] = []
    var lineStarts: [Int] = []
    var lineLengths: [Int] = []

    /// Repeats `lines` until the buffer holds at least `targetBytes`.
    init(lines: [[UInt8]], targetBytes: Int) {
        let sampleBytes = lines.reduce(0) { $0 + $1.count + 1 }
        guard sampleBytes > 0 else { return }
        let repeats = max(1, targetBytes / sampleBytes)
        bytes.reserveCapacity(repeats * sampleBytes)
        lineStarts.reserveCapacity(repeats * lines.count)
        lineLengths.reserveCapacity(repeats * lines.count)
        for _ in 0..<repeats {
            for line in lines {
                lineStarts.append(bytes.count)
                lineLengths.append(line.count)
                bytes.append(contentsOf: line)
                bytes.append(0x0A)
            }
        }
    }

    var lineCount: Int { lineStarts.count }
}

/// Sample lines: a public sample from ../shared/data/logs if present, else none.
enum SampleFiles {
    static func directory(_ argument: String?) -> String? {
        if let argument { return argument }
        // Benchmarks/LogParseBench/Corpus.swift → repository → ../shared/data/logs
        var resolved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard realpath(#filePath, &resolved) != nil else { return nil }
        var path = String(decoding: resolved.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        for _ in 0..<4 {
            guard let slash = path.lastIndex(of: "/") else { return nil }
            path = String(path[..<slash])
        }
        let logs = path + "/shared/data/logs"
        var info = stat()
        return stat(logs, &info) == 0 ? logs : nil
    }

    /// The file's lines, without newlines; empty if unreadable.
    static func lines(_ directory: String?, _ relativePath: String, dropComments: Bool = false) -> [[UInt8]] {
        guard let directory, let file = fopen(directory + "/" + relativePath, "rb") else { return [] }
        defer { fclose(file) }
        var content: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            content.append(contentsOf: chunk[0..<count])
        }
        var lines = content.split(separator: 0x0A, omittingEmptySubsequences: true).map(Array.init)
        if dropComments { lines.removeAll { $0.first == 0x23 } }
        return lines
    }
}
