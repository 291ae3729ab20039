/// A per-source, stateful parser of one log format.
///
/// One instance serves one source and is never used from two threads at once
/// (the ABI's rule for parser state). State carried between lines is what the
/// format needs: the year of RFC 3164 timestamps, whether a record is open for
/// continuation lines, caches of local-time conversions.
public protocol LogLineParser {
    /// Parses one line, without its newline. The bytes may be anything: invalid
    /// UTF-8, NUL, megabytes long. Never traps. Text in the outcome borrows `line`
    /// or this parser's storage until the next call.
    mutating func parse(_ line: UnsafeRawBufferPointer) -> ParseOutcome
}

extension LogLineParser {
    /// Parses a line held in a Swift collection and hands the (borrowed) outcome to
    /// `body` while the bytes are alive. For tests and tools, not the hot path.
    public mutating func withParsed<Result>(
        _ line: some Collection<UInt8>,
        _ body: (ParseOutcome) throws -> Result
    ) rethrows -> Result {
        let bytes = Array(line)
        return try bytes.withUnsafeBytes { raw in
            try body(parse(raw))
        }
    }

    /// Parses `line` and returns an owned copy of the outcome.
    public mutating func parseCopy(_ line: some Collection<UInt8>) -> ParsedRecord {
        withParsed(line) { ParsedRecord($0) }
    }

    public mutating func parseCopy(_ line: String) -> ParsedRecord {
        parseCopy(Array(line.utf8))
    }
}
