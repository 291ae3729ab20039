import PluginKit

/// The two host services a scrape needs, as closures so the scrape logic can
/// be driven by a scripted fetcher in unit tests and by the host in production.
struct HTTPFetcher: Sendable {
    let get: @Sendable (_ url: String, _ timeoutMs: UInt32) -> FetchResult
    let monotonicNanos: @Sendable () -> UInt64

    /// Fetches through the host's blocking HTTP client (`http_get`).
    static func host(_ host: PluginHost) -> HTTPFetcher {
        HTTPFetcher(
            get: { url, timeoutMs in
                do throws(HostError) {
                    let response = try host.httpGet(url, timeoutMs: timeoutMs)
                    return .response(status: response.status, body: response.body)
                } catch {
                    switch error.kind {
                    case .invalid: return .refused(error.message)
                    // .retry is the documented "refused, reset or timed out"; a
                    // .fail here is a host hiccup and is recorded the same way.
                    case .retry, .fail: return .unreachable(error.message)
                    }
                }
            },
            monotonicNanos: { host.monotonicNanos() }
        )
    }
}
