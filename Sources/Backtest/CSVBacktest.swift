import ByteKit
import Glibc
import IntelligenceCore

/// A file the backtest cannot use; `line` is 1-based (0 when no line is to blame).
struct BacktestError: Error {
    let line: Int
    let message: String
}

/// Reads a whole file (or stdin for "-") with read(2).
func readAll(path: String) throws(BacktestError) -> [UInt8] {
    let fd = path == "-" ? 0 : open(path, O_RDONLY)
    guard fd >= 0 else { throw BacktestError(line: 0, message: "cannot open: \(String(cString: strerror(errno)))") }
    defer { if fd != 0 { close(fd) } }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw BacktestError(line: 0, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

/// Collects output and writes it to stdout in large chunks.
struct OutputBuffer {
    private var bytes: [UInt8] = []
    private let limit = 1 << 16

    init() { bytes.reserveCapacity(limit + 256) }

    mutating func append(_ s: ArraySlice<UInt8>) { bytes.append(contentsOf: s) }
    mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }
    mutating func append(_ b: UInt8) { bytes.append(b) }

    mutating func flushIfFull() { if bytes.count >= limit { flush() } }

    mutating func flush() {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buf -> Int in
                guard let base = buf.baseAddress else { return 0 }
                return write(1, base + offset, buf.count - offset)
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { exit(1) }  // stdout closed (a pipe reader quit): nothing left to do
            offset += n
        }
        bytes.removeAll(keepingCapacity: true)
    }
}

private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

private func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var s = s
    while let f = s.first, isSpace(f) { s = s.dropFirst() }
    while let l = s.last, isSpace(l) { s = s.dropLast() }
    // A field quoted by a CSV writer: the quotes are not part of it.
    if s.count >= 2, s.first == 0x22, s.last == 0x22 { s = s.dropFirst().dropLast() }
    return s
}

/// Splits one line at commas (fields never contain commas here: a timestamp and a number).
private func fields(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
    var out: [ArraySlice<UInt8>] = []
    var start = line.startIndex
    var i = line.startIndex
    while i < line.endIndex {
        if line[i] == UInt8(ascii: ",") {
            out.append(line[start..<i])
            start = i + 1
        }
        i += 1
    }
    out.append(line[start..<line.endIndex])
    return out
}

private func parseValue(_ s: ArraySlice<UInt8>, line: Int) throws(BacktestError) -> Double {
    let t = trimmed(s)
    if t.isEmpty { return .nan }  // missing (psql writes NULL as an empty field)
    let text = String(decoding: t, as: UTF8.self)
    // Other exporters spell a missing value out (pandas' NaN, R's NA, JSON's null).
    if ["null", "nan", "na", "none"].contains(text.lowercased()) { return .nan }
    guard t.count < 64, let v = Double(text) else {
        throw BacktestError(line: line, message: "value '\(String(decoding: s.prefix(40), as: UTF8.self))' is not a number")
    }
    return v
}

/// One data row: where its timestamp text is (to echo it unchanged) and what it says.
struct Row {
    var timestampText: Range<Int>
    var timestamp: Int64
    var value: Double
}

/// Parses and checks the whole file before anything is scored, so a malformed
/// file prints no half result. Blank lines are skipped; a CR before the LF is ignored.
func parseRows(_ bytes: [UInt8]) throws(BacktestError) -> [Row] {
    var rows: [Row] = []
    rows.reserveCapacity(bytes.count / 24)
    var lineNumber = 0
    var sawHeader = false
    var start = 0
    let n = bytes.count
    while start < n {
        var end = start
        while end < n && bytes[end] != 0x0A { end += 1 }
        lineNumber += 1
        var line = bytes[start..<end]
        start = end + 1
        if line.last == 0x0D { line = line.dropLast() }
        if trimmed(line).isEmpty { continue }
        if !sawHeader {
            if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }  // a UTF-8 BOM
            let header = fields(line).map { String(decoding: trimmed($0), as: UTF8.self).lowercased() }
            guard header == ["timestamp", "value"] else {
                throw BacktestError(
                    line: lineNumber,
                    message: "the header must be 'timestamp,value', not '\(String(decoding: line.prefix(60), as: UTF8.self))'")
            }
            sawHeader = true
            continue
        }
        let parts = fields(line)
        guard parts.count == 2 else {
            throw BacktestError(line: lineNumber, message: "\(parts.count) columns, want 2 (timestamp,value)")
        }
        let timestamp: Int64
        do {
            timestamp = try TimestampText.epochSeconds(trimmed(parts[0]))
        } catch {
            throw BacktestError(
                line: lineNumber, message: "\(error.reason): '\(String(decoding: parts[0].prefix(40), as: UTF8.self))'")
        }
        let value = try parseValue(parts[1], line: lineNumber)
        rows.append(Row(timestampText: parts[0].startIndex..<parts[0].endIndex, timestamp: timestamp, value: value))
    }
    guard sawHeader else {
        throw BacktestError(line: max(lineNumber, 1), message: "empty file: the header 'timestamp,value' is missing")
    }
    return rows
}

/// Writes `timestamp,epoch_seconds` for each row: how the file's timestamps are read.
func printEpochs(_ bytes: [UInt8], out: inout OutputBuffer) throws(BacktestError) {
    let rows = try parseRows(bytes)
    out.append("timestamp,epoch_seconds\n")
    for row in rows {
        out.append(bytes[row.timestampText])
        out.append("," + String(row.timestamp) + "\n")
        out.flushIfFull()
    }
}

/// Scores the rows in order and writes the result CSV, echoing each timestamp's
/// text. A row earlier than the one before it is scored as if at the same time.
func backtest(_ bytes: [UInt8], config: DetectorConfig, out: inout OutputBuffer) throws(BacktestError) {
    let rows = try parseRows(bytes)
    var detector = AnomalyDetector(config: config)
    out.append("timestamp,anomaly_score,anomaly\n")
    for row in rows {
        let score = detector.score(timestamp: row.timestamp, value: row.value)
        out.append(bytes[row.timestampText])
        out.append(UInt8(ascii: ","))
        out.append(String(describing: score))
        out.append(detector.isAnomaly(score) ? ",1\n" : ",0\n")
        out.flushIfFull()
    }
}
