import PluginKit

/// Wires the ticks to the host. init() only opens tables and registers ticks:
/// `pqcrypta-collector plugins` calls it too, so it must not touch the database.
public enum PGStatsPlugin {
    public static func setUp(_ host: PluginHost) throws(HostError) {
        let log = LogSink { level, message in host.log(level, message) }
        let configuration = PGStatsConfiguration.read(host.config, log: log)
        try host.registerMigrations(PGStatsSchema.migrations)
        var tables: [String: RowTable] = [:]
        for layout in StatsTables.all {
            tables[layout.table] = try host.openTable(layout)
        }
        let environment = TickEnvironment(
            session: HostSQLSession(host: host), sink: HostRowSink(tables: tables), log: log,
            clock: { host.monotonicNanos() }, now: { host.nowMicros() })
        let app = AppTick(environment: environment)
        let extended = ExtendedTick(environment: environment, configuration: configuration)
        try host.registerTick(name: "app", group: .app) { app.run() }
        try host.registerTick(name: "extended", group: .pgExtended, slow: true) { extended.run() }
    }
}
