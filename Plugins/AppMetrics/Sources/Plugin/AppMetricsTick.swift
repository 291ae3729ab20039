import PluginKit

/// The "scrape" tick: the API endpoint, then the proxy endpoint, each turned
/// into at most one row. Endpoints that are down are rows, not failures, so
/// the tick returns `.ok` unless the host refuses a row.
///
/// The two GETs run one after the other on the tick's thread (`http_get` may
/// only be called from the callback), so a tick takes at most two timeouts.
struct AppMetricsTick: Sendable {
    /// nil when the endpoint is disabled (empty URL or not http://).
    private(set) var api: ApiRecorder?
    private(set) var proxy: ProxyRecorder?

    init(settings: ScrapeSettings, log: ScrapeLog) {
        if let url = Self.usableURL(settings.apiURL, key: "scrape.api_metrics_url", log: log) {
            api = ApiRecorder(scraper: MetricsScraper(endpoint: "api", url: url, timeoutMs: settings.timeoutMs),
                              extraMaxBytes: settings.extraMaxBytes)
        }
        if let url = Self.usableURL(settings.proxyURL, key: "scrape.proxy_metrics_url", log: log) {
            proxy = ProxyRecorder(scraper: MetricsScraper(endpoint: "proxy", url: url, timeoutMs: settings.timeoutMs),
                                  extraMaxBytes: settings.extraMaxBytes)
        }
        if api == nil && proxy == nil {
            log(.warn, "no metrics endpoint configured ([scrape] api_metrics_url and proxy_metrics_url are empty); the scrape tick does nothing")
        }
    }

    /// An empty URL disables the endpoint quietly (the proxy is optional); a
    /// URL the host's client cannot fetch disables it loudly.
    private static func usableURL(_ url: String, key: String, log: ScrapeLog) -> String? {
        guard !url.isEmpty else {
            log(.info, "\(key) is empty; that endpoint is not scraped")
            return nil
        }
        guard url.hasPrefix("http://") else {
            log(.error, "\(key) = \(url) is not an http:// URL (the host's client speaks plain HTTP only); that endpoint is not scraped")
            return nil
        }
        return url
    }

    /// One run: scrape, then hand each row to `emit` with its table.
    mutating func run(_ fetcher: HTTPFetcher, log: ScrapeLog, emit: (Table, Row) throws(HostError) -> Void) -> RunResult {
        var rows: [(Table, Row)] = []
        if let row = api?.sample(fetcher, log: log) { rows.append((.api, row)) }
        if let row = proxy?.sample(fetcher, log: log) { rows.append((.proxy, row)) }
        for (table, row) in rows {
            do throws(HostError) {
                try emit(table, row)
            } catch {
                log(.error, "\(table) row not queued: \(error)")
                // A full buffer clears up; a rejected row (wrong cells) is a bug that would repeat.
                return error.kind == .retry ? .retry : .fail
            }
        }
        return .ok
    }

    enum Table: String, Sendable, CustomStringConvertible {
        case api = "collector.api_metrics_raw"
        case proxy = "collector.proxy_metrics_raw"
        var description: String { rawValue }
    }
}
