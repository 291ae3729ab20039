import PluginKit

/// What the plugin's init() does: read the settings, declare both tables,
/// register the tick. No scraping here: `pqcrypta-collector plugins` runs
/// init() just to list registrations.
public enum AppMetricsPlugin {
    public static func register(_ host: PluginHost) throws {
        let settings = try ScrapeSettings(global: { host.globalConfig($0, env: $1) }, plugin: host.config)
        let log: ScrapeLog = { host.log($0, $1) }
        try host.registerMigrations(AppSchema.migrations)
        let apiTable = try host.openTable(ApiMetricsTable.layout)
        let proxyTable = try host.openTable(ProxyMetricsTable.layout)
        let state = TickState(AppMetricsTick(settings: settings, log: log))
        let fetcher = HTTPFetcher.host(host)
        try host.registerTick(name: "scrape", group: .app) {
            state.tick.withLock { tick in
                tick.run(fetcher, log: { host.log($0, $1) }) { (table, row) throws(HostError) in
                    try (table == .api ? apiTable : proxyTable).emit(row)
                }
            }
        }
    }
}
