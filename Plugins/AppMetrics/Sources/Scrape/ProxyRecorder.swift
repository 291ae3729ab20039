import PluginKit

/// The proxy endpoint across ticks: like `ApiRecorder`, for `proxy_metrics_raw`.
struct ProxyRecorder: Sendable {
    private(set) var scraper: MetricsScraper
    let extraMaxBytes: Int
    private var requests = CounterRate()
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
            return ProxyMetricsTable.downRow(info)
        case .up(let document, let info, let nanos):
            let metrics = ProxyMetrics(document: document)
            let restarted = restarts.restarted(uptimeSecs: metrics.uptimeSecs)
            let step = requests.advance(to: metrics.requestsTotal, atNanos: nanos, restarted: restarted)
            // As for the API: the counter's rate when there is a counter, else the endpoint's figure.
            let rate = metrics.requestsTotal != nil ? step?.perSecond : metrics.reportedRequestsPerSec
            return ProxyMetricsTable.row(metrics, info: info, requestsPerSec: rate, extraMaxBytes: extraMaxBytes)
        }
    }
}
