import ByteKit
/// Fetches one metrics endpoint and decides what the result means: metrics,
/// a "down" row, or nothing. It owns the endpoint's logging state, so each
/// kind of failure is logged once when it starts and once when it ends.
///
/// An endpoint being down is data, not a plugin failure: nothing here makes
/// the tick fail.
struct MetricsScraper: Sendable {
    /// "api" or "proxy", for log lines.
    let endpoint: String
    let url: String
    let timeoutMs: UInt32
    /// The last condition logged; nil before the first scrape.
    private(set) var status: EndpointStatus?

    init(endpoint: String, url: String, timeoutMs: UInt32) {
        self.endpoint = endpoint
        self.url = url
        self.timeoutMs = timeoutMs
    }

    mutating func scrape(_ fetcher: HTTPFetcher, log: ScrapeLog) -> ScrapeOutcome {
        let start = fetcher.monotonicNanos()
        let result = fetcher.get(url, timeoutMs)
        let end = fetcher.monotonicNanos()
        let scrapeMs = Double(end &- start) / 1e6
        let name = "\(endpoint) metrics endpoint \(url)" // a local: the messages must not capture self

        switch result {
        case .refused(let why):
            transition(to: .refused, log) { "\(name) cannot be scraped: \(why); no rows until the URL is fixed" }
            return .noRow
        case .unreachable(let why):
            transition(to: .unreachable, log) { "\(name) is unreachable: \(why); recording it as down" }
            return .down(ScrapeInfo(scrapeMs: scrapeMs, httpStatus: nil))
        case .response(let status, _) where !(200...299).contains(status):
            transition(to: .httpError(status), log) { "\(name) answered HTTP \(status); recording it as down" }
            return .down(ScrapeInfo(scrapeMs: scrapeMs, httpStatus: status))
        case .response(let status, let body):
            let problem: String
            switch JSONParser.parse(body) {
            case .success(let document) where document.isObject:
                transition(to: .up, log) { "\(name) is answering again (HTTP \(status))" }
                return .up(document: document, info: ScrapeInfo(scrapeMs: scrapeMs, httpStatus: status), atNanos: end)
            case .success(let other):
                problem = "the top-level value is \(other.kindDescription), not an object"
            case .failure(let error):
                problem = error.description
            }
            transition(to: .malformed, log) {
                "\(name) returned malformed JSON (\(problem)), no row written; body starts \(BodySnippet.make(body))"
            }
            return .noRow
        }
    }

    /// Logs `message` when the status changes. Recovery is logged only after a
    /// failure; the first successful scrape is not news.
    private mutating func transition(to next: EndpointStatus, _ log: ScrapeLog, _ message: () -> String) {
        defer { status = next }
        guard next != status else { return }
        if next == .up {
            if status != nil { log(.info, message()) }
        } else {
            log(next == .refused ? .error : .warn, message() + " (logged again only when this changes)")
        }
    }
}
