import CHostSupport
#if canImport(Glibc)
import Glibc
#endif

package struct RunCommand: CollectorSubcommand {
    package static let spec = CommandSpec(name: "run", abstract: "Run the collector daemon (the default command).",
                                  options: [ConfigOption.spec])

    package let options: ConfigOption

    package init(_ arguments: ParsedArguments) { options = ConfigOption(arguments) }

    package func run() throws {
        Self.limitMallocArenas()
        SignalWaiter.blockTerminationSignals()
        let config = try options.load(preparingStateDir: true)
        LoggingSetup.bootstrap(levelText: config.collector.logLevel)
        let status = Daemon(config: config).run()
        if status != 0 { throw CommandExit(status) }
    }

    /// One malloc arena instead of glibc's default of up to 8 per core: every tick
    /// runs on its own mostly sleeping thread, and each arena a thread touches keeps
    /// its own pages (~0.1 MB over the daemon's dozen threads). Contention is
    /// negligible at these rates, and small allocations go through the per-thread
    /// cache anyway. `MALLOC_ARENA_MAX` in the environment still wins.
    package static func limitMallocArenas() {
        if getenv("MALLOC_ARENA_MAX") == nil { _ = mallopt(M_ARENA_MAX, 1) }
    }
}

package struct MigrateCommand: CollectorSubcommand {
    package static let spec = CommandSpec(name: "migrate", abstract: "Apply the schema migrations (core, then plugins') and exit.",
                                  options: [ConfigOption.spec])

    package let options: ConfigOption

    package init(_ arguments: ParsedArguments) { options = ConfigOption(arguments) }

    package func run() throws {
        let config = try options.load()
        LoggingSetup.bootstrap(levelText: config.collector.logLevel)
        let lane = DatabaseLane(lane: .fast, config: config.database, statementTimeoutMs: 0)
        let services = HostServices.offline(config)
        let report = PluginLoader(services: services).loadAll()
        let plugins = report.loaded
        if let bad = report.configurationErrors.first {
            ProcessEnvironment.printError("error: \(bad.reason)")
            throw CommandExit(2)
        }
        do {
            let applied = try lane.withConnection { (c: PGConnection) throws(PGError) -> [String] in
                let applied = try Migrator(connection: c).apply(Migrator.allMigrations(plugins: plugins))
                // Each plugin target the tables cannot take is one error line (the daemon
                // starts anyway and refuses those rows at emit).
                TableCheck.apply(to: plugins, on: c, logger: Logger(label: "migrate"))
                return applied
            }
            print(applied.isEmpty ? "schema is up to date" : "applied: \(applied.joined(separator: ", "))")
        } catch {
            ProcessEnvironment.printError("error: migration failed: \(error)")
            throw CommandExit(1)
        }
        plugins.shutDown()
    }
}
