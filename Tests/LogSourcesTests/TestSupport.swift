import Foundation
import LogSourcesCore
import Testing

/// The public sample logs in `../shared/data/logs/` beside the repository, read in
/// place (their licences are not ours, so they are never copied into the repo).
enum SampleLogs {
    static let directory: String? = {
        // #filePath may go through a symlinked checkout: resolve it first.
        let thisFile = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        let repoRoot = thisFile.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let logs = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/logs").path
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: logs, isDirectory: &isDirectory) && isDirectory.boolValue
            ? logs : nil
    }()

    static var available: Bool { directory != nil }

    static let skipReason: Comment =
        "../shared/data/logs (public sample logs beside the repository) is absent: sample-based tests skipped"

    /// The file's lines as bytes, split on "\n" only (a last line without newline kept).
    static func lines(_ relativePath: String) throws -> [[UInt8]] {
        guard let directory else { throw SampleError.missing(relativePath) }
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + relativePath))
        var lines = Array(data).split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    static func text(_ relativePath: String) throws -> String {
        guard let directory else { throw SampleError.missing(relativePath) }
        return try String(contentsOfFile: directory + "/" + relativePath, encoding: .utf8)
    }

    enum SampleError: Error {
        case missing(String)
    }
}

/// 2026-02-15 12:00:00 UTC: "now" for year inference in tests.
let testNow = utc(2026, 2, 15, 12, 0, 0)

/// Microseconds since the epoch of a UTC civil time, computed independently of the
/// parsers (via timegm).
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, _ micros: Int = 0) -> Int64 {
    var parts = tm(
        tm_sec: Int32(second), tm_min: Int32(minute), tm_hour: Int32(hour), tm_mday: Int32(day),
        tm_mon: Int32(month - 1), tm_year: Int32(year - 1900), tm_wday: 0, tm_yday: 0, tm_isdst: 0,
        tm_gmtoff: 0, tm_zone: nil)
    return Int64(timegm(&parts)) * 1_000_000 + Int64(micros)
}

extension LogFormat {
    func parser(offsetSeconds: Int = 0, now: Int64 = testNow) -> any LogLineParser {
        makeParser(time: .fixedOffset(seconds: offsetSeconds, now: now))
    }
}

/// Parses every line with one parser instance, in order, keeping owned copies.
func parseAll(_ parser: inout any LogLineParser, _ lines: [[UInt8]]) -> [ParsedRecord] {
    lines.map { parser.parseCopy($0) }
}

func parseAll(_ format: LogFormat, _ lines: [String], offsetSeconds: Int = 0, now: Int64 = testNow) -> [ParsedRecord] {
    var parser = format.parser(offsetSeconds: offsetSeconds, now: now)
    return lines.map { parser.parseCopy($0) }
}

/// Rows of a CSV file with a header (RFC 4180 quoting), as dictionaries.
func csvRows(_ text: String) -> [[String: String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var inQuotes = false
    var iterator = text.makeIterator()
    var pending: Character? = nil
    while let character = pending ?? iterator.next() {
        pending = nil
        if inQuotes {
            if character == "\"" {
                if let next = iterator.next() {
                    if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    inQuotes = false
                }
            } else {
                field.append(character)
            }
        } else if character == "\"" {
            inQuotes = true
        } else if character == "," {
            row.append(field)
            field = ""
        } else if character == "\n" || character == "\r\n" {
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        } else {
            field.append(character)
        }
    }
    if !field.isEmpty || !row.isEmpty {
        row.append(field)
        rows.append(row)
    }
    guard let header = rows.first else { return [] }
    return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
}
