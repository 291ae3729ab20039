/// How a scrape went at the HTTP level: the columns every row carries.
struct ScrapeInfo: Sendable, Equatable {
    /// Wall time of the GET, connect to last byte (or to the failure).
    let scrapeMs: Double
    /// nil when no HTTP answer arrived.
    let httpStatus: Int?
}
