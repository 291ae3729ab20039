import PluginKit

/// The plugin's configuration, read once at init.
///
/// From the collector's `[scrape]` section: `api_metrics_url`,
/// `proxy_metrics_url` (empty = no proxy) and `timeout_ms` (default 2000).
/// From `[plugin.app_metrics]`: `extra_max_bytes` (default 16384, 0 = never
/// store `extra`).
struct ScrapeSettings: Sendable, Equatable {
    static let defaultTimeoutMs: UInt32 = 2000

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

    /// Reads the settings through config lookups (`global` for `[scrape]`, `plugin` for the plugin's section).
    init(global: (String) -> ConfigValue?, plugin: (String) -> ConfigValue?) {
        apiURL = Self.string(global("scrape.api_metrics_url"))
        proxyURL = Self.string(global("scrape.proxy_metrics_url"))
        timeoutMs = Self.integer(global("scrape.timeout_ms")).map { UInt32(clamping: max(1, $0)) } ?? Self.defaultTimeoutMs
        extraMaxBytes = Self.integer(plugin("extra_max_bytes")).map { Int(clamping: max(0, $0)) } ?? ExtraColumn.defaultMaxBytes
    }

    private static func string(_ value: ConfigValue?) -> String {
        if case .string(let s)? = value { return s.trimmedSpaces }
        return ""
    }

    private static func integer(_ value: ConfigValue?) -> Int64? {
        switch value {
        case .int(let i)?: return i
        case .double(let d)? where d.isFinite: return Int64(exactly: d.rounded())
        default: return nil
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (no Foundation in plugins).
    fileprivate var trimmedSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
