import ByteKit
/// What a scrape means for the table: a row with metrics, a "down" row, or nothing.
enum ScrapeOutcome: Sendable, Equatable {
    /// A 2xx answer whose body is a JSON object; `atNanos` (monotonic) timestamps
    /// the counters for rates.
    case up(document: JSONValue, info: ScrapeInfo, atNanos: UInt64)
    /// Unreachable, timed out or a non-2xx status: recorded with up = false.
    case down(ScrapeInfo)
    /// Malformed JSON, or a URL the host refused: no row (the warning says why).
    case noRow
}
