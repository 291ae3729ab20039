import ByteKit
import PluginKit

/// The plugin's configuration, read once at init. The plugin owns these keys
/// (the host does not read them):
///
/// - `[scrape] api_metrics_url` (`API_METRICS_URL`), default
///   `http://127.0.0.1:3003/metrics`; `proxy_metrics_url` (`PROXY_METRICS_URL`),
///   default `http://127.0.0.1:8082/metrics/json`; an empty URL turns that
///   endpoint off;
/// - `[scrape] timeout_ms`, 50–60000, default 2000;
/// - `[plugin.app_metrics] extra_max_bytes`, default 16384, 0 = never store `extra`.
///
/// A value of the wrong type or out of range is a `PluginConfigError` naming
/// the key, so the collector exits 2 as for its own keys.
struct ScrapeSettings: Sendable, Equatable {
    static let defaultTimeoutMs: UInt32 = 2000
    static let defaultAPIURL = "http://127.0.0.1:3003/metrics"
    static let defaultProxyURL = "http://127.0.0.1:8082/metrics/json"

    var apiURL: String
    var proxyURL: String
    var timeoutMs: UInt32
    var extraMaxBytes: Int

    init(apiURL: String, proxyURL: String, timeoutMs: UInt32 = defaultTimeoutMs, extraMaxBytes: Int = ExtraColumn.defaultMaxBytes) {
        self.apiURL = apiURL
        self.proxyURL = proxyURL
        self.timeoutMs = timeoutMs
        self.extraMaxBytes = extraMaxBytes
    }

    /// Reads the settings through config lookups (`global` for `[scrape]` with
    /// its environment overrides, `plugin` for the plugin's section).
    init(global: (String, [String]) -> ConfigValue?, plugin: (String) -> ConfigValue?) throws(PluginConfigError) {
        apiURL = try Self.string(global("scrape.api_metrics_url", ["API_METRICS_URL"]), key: "scrape.api_metrics_url") ?? Self.defaultAPIURL
        proxyURL = try Self.string(global("scrape.proxy_metrics_url", ["PROXY_METRICS_URL"]), key: "scrape.proxy_metrics_url")
            ?? Self.defaultProxyURL
        timeoutMs = try Self.integer(global("scrape.timeout_ms", []), key: "scrape.timeout_ms", range: 50...60_000)
            .map { UInt32($0) } ?? Self.defaultTimeoutMs
        extraMaxBytes = try Self.integer(plugin("extra_max_bytes"), key: "plugin.app_metrics.extra_max_bytes", range: 0...(64 << 20))
            .map { Int($0) } ?? ExtraColumn.defaultMaxBytes
    }

    private static func string(_ value: ConfigValue?, key: String) throws(PluginConfigError) -> String? {
        switch value {
        case nil: return nil
        case .string(let s)?: return s.trimmingBlanks()
        case let other?: throw PluginConfigError(key: key, message: "expected a string, found \(other)")
        }
    }

    private static func integer(_ value: ConfigValue?, key: String, range: ClosedRange<Int64>) throws(PluginConfigError) -> Int64? {
        let n: Int64
        switch value {
        case nil: return nil
        case .int(let i)?: n = i
        case .double(let d)? where d.isFinite && d == d.rounded(): n = Int64(d)
        case let other?: throw PluginConfigError(key: key, message: "expected an integer, found \(other)")
        }
        guard range.contains(n) else {
            throw PluginConfigError(key: key, message: "\(n) is out of range (\(range.lowerBound)...\(range.upperBound))")
        }
        return n
    }
}
