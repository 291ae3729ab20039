import ArgumentParser

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the collector daemon (the default command).")

    @OptionGroup var options: ConfigOption

    func run() throws {
        SignalWaiter.blockTerminationSignals()
        let config = try options.load()
        LoggingSetup.bootstrap(levelText: config.collector.logLevel)
        let status = Daemon(config: config).run()
        if status != 0 { throw ExitCode(status) }
    }
}

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the schema migrations (core, then plugins') and exit.")

    @OptionGroup var options: ConfigOption

    func run() throws {
        let config = try options.load()
        LoggingSetup.bootstrap(levelText: config.collector.logLevel)
        let lane = DatabaseLane(lane: .fast, config: config.database, statementTimeoutMs: 0)
        let services = HostServices.offline(config)
        let plugins = PluginLoader(services: services).loadAll().loaded
        do {
            let applied = try lane.withConnection { (c: PGConnection) throws(PGError) -> [String] in
                try Migrator(connection: c).apply(Migrator.allMigrations(plugins: plugins))
            }
            print(applied.isEmpty ? "schema is up to date" : "applied: \(applied.joined(separator: ", "))")
        } catch {
            ProcessEnvironment.printError("error: migration failed: \(error)")
            throw ExitCode(1)
        }
        for plugin in plugins.reversed() { plugin.descriptor.pointee.shutdown?() }
    }
}
