import ArgumentParser

/// `pqcrypta-collector`: the daemon and its operator commands.
@main
struct CollectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pqcrypta-collector",
        abstract: "Host metrics, PostgreSQL metrics and log intelligence, written to PostgreSQL.",
        version: CollectorVersion.line,
        subcommands: [
            RunCommand.self, CheckConfigCommand.self, MigrateCommand.self, PluginsCommand.self,
            PluginCommand.self, VersionCommand.self, BenchStorageCommand.self, BenchIngestCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )
}

/// `--config`, shared by every command that reads the configuration.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: $COLLECTOR_CONFIG, then /etc/pqcrypta/collector.toml).")
    var config: String?

    /// Loads the configuration, printing warnings; a bad config exits with status 2.
    func load(quiet: Bool = false) throws -> CollectorConfig {
        let environment = ProcessEnvironment.variables()
        let path = ConfigLoader.path(explicit: config, environment: environment)
        let explicitlyNamed = config != nil || environment["COLLECTOR_CONFIG"].map { !$0.isEmpty } ?? false
        do {
            let loaded = try ConfigLoader.load(path: path, explicitlyNamed: explicitlyNamed, environment: environment)
            if !quiet { for warning in loaded.warnings { ProcessEnvironment.printError("warning: \(warning)") } }
            return loaded.config
        } catch {
            ProcessEnvironment.printError("error: \(error)")
            throw ExitCode(2)
        }
    }
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version and plugin ABI.")

    func run() throws {
        print(CollectorVersion.line)
    }
}

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate the configuration and print what it resolves to.")

    @OptionGroup var options: ConfigOption

    func run() throws {
        let c = try options.load()
        print("config OK: \(c.sourcePath ?? "defaults (no file)")")
        print("  database: \(c.database.user)@\(c.database.host):\(c.database.port)/\(c.database.name) sslmode=\(c.database.sslmode) gssencmode=\(c.database.gssencmode)")
        print("  intervals: sys \(c.intervals.systemSecs)s, app \(c.intervals.appSecs)s, heartbeat \(c.intervals.heartbeatSecs)s, log \(c.logs.tickSecs)s, watchdog \(c.intervals.watchdogSecs)s, pg_extended \(c.intervals.pgExtendedSecs)s, intel \(c.intervals.intelSecs)s, agg \(c.intervals.aggSecs)s")
        print("  plugins: \(c.plugins.files.isEmpty ? c.plugins.dir : c.plugins.files.joined(separator: ", "))")
        print("  log sources: \(c.logs.sources.filter(\.enabled).count) enabled (logs \(c.logs.enabled ? "on" : "off"))")
        print("  host: \(c.collector.hostname)")
    }
}
