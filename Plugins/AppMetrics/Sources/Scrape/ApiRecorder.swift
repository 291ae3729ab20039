import PluginKit

/// The API endpoint across ticks: scrapes it, keeps the counter history rates
/// need, and turns each scrape into the row to write (or none).
struct ApiRecorder: Sendable {
    private(set) var scraper: MetricsScraper
    let extraMaxBytes: Int
    private var requests = CounterRate()
    private var errors = CounterRate()
    private var restarts = RestartDetector()

    init(scraper: MetricsScraper, extraMaxBytes: Int) {
        self.scraper = scraper
        self.extraMaxBytes = extraMaxBytes
    }

    mutating func sample(_ fetcher: HTTPFetcher, log: ScrapeLog) -> Row? {
        switch scraper.scrape(fetcher, log: log) {
        case .noRow:
            return nil
        case .down(let info):
            // Counter history is kept: after an outage the next rate spans it,
            // and a restart meanwhile shows as a counter drop or an uptime drop.
            return ApiMetricsTable.downRow(info)
        case .up(let document, let info, let nanos):
            let metrics = ApiMetrics(document: document)
            let derived = derive(metrics, atNanos: nanos)
            return ApiMetricsTable.row(metrics, info: info, derived: derived, extraMaxBytes: extraMaxBytes)
        }
    }

    /// Rates from the counters' movement since the previous sample.
    ///
    /// requests_per_sec: from `requests_total` when the endpoint has that
    /// counter, else the endpoint's own figure.
    /// error_rate_pct: the endpoint's own figure, else errors / requests over
    /// the interval (NULL on the priming sample, after a reset, or when no
    /// request arrived in the interval: there is no rate to speak of).
    mutating func derive(_ m: ApiMetrics, atNanos nanos: UInt64) -> ApiDerived {
        let restarted = restarts.restarted(uptimeSecs: m.uptimeSecs)
        let requestStep = requests.advance(to: m.requestsTotal, atNanos: nanos, restarted: restarted)
        let errorStep = errors.advance(to: m.errorCounter, atNanos: nanos, restarted: restarted)
        var derived = ApiDerived()
        // With a counter the rate is always ours (NULL while priming), so the
        // column means one thing per deployment; the endpoint's figure is a fallback.
        derived.requestsPerSec = m.requestsTotal != nil ? requestStep?.perSecond : m.reportedRequestsPerSec
        if let reported = m.reportedErrorRatio {
            derived.errorRatePct = reported * 100
        } else if let requestStep, let errorStep, requestStep.delta > 0 {
            derived.errorRatePct = min(100, Double(errorStep.delta) * 100 / Double(requestStep.delta))
        }
        return derived
    }
}
