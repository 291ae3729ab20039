#if canImport(Glibc)
import Glibc
#endif

/// A verb of `pqcrypta-collector`.
package protocol CollectorSubcommand: Sendable {
    static var spec: CommandSpec { get }
    init(_ arguments: ParsedArguments) throws(UsageError)
    func run() throws
}

/// `pqcrypta-collector`: the daemon and its operator commands. The executable
/// (Sources/Host/main.swift) only calls `run(_:)`.
public enum CollectorCommand {
    package static let subcommands: [any CollectorSubcommand.Type] = [
        RunCommand.self, CheckConfigCommand.self, MigrateCommand.self, PluginsCommand.self,
        PluginCheckCommand.self, ParseCommand.self, StatusCommand.self, VersionCommand.self, PluginRunnerCommand.self,
    ]

    /// Runs the command line `words` (without the program name); returns the exit status.
    public static func run(_ words: [String]) -> Int32 {
        if let first = words.first {
            if first == "--version" { print(CollectorVersion.line); return 0 }
            if first == "-h" || first == "--help" || first == "help" {
                if words.count > 1, let command = find(Array(words.dropFirst())) {
                    print(command.type.spec.help)
                } else if words.count > 1, let group = groupHelp(words[1]) {
                    print(group)
                } else {
                    print(overview)
                }
                return 0
            }
        }
        // A group of two-word commands (`plugin`): its help lists them.
        if let first = words.first, let group = groupHelp(first), !(words.count > 1 && find(words) != nil) {
            let asked = words.count > 1 && (words[1] == "-h" || words[1] == "--help")
            if asked {
                print(group)
                return 0
            }
            let verb = words.prefix(2).joined(separator: " ")
            ProcessEnvironment.printError("error: \(words.count == 1 ? "'\(first)' needs a subcommand" : "unknown command '\(verb)'")\n\n\(group)")
            return 64
        }
        // No verb (only options, or nothing) means `run`.
        let found: (type: any CollectorSubcommand.Type, rest: [String])
        if words.first.map({ $0.hasPrefix("-") }) ?? true {
            found = (RunCommand.self, words)
        } else if let command = find(words) {
            found = command
        } else {
            let verb = words.prefix(words.first == "plugin" ? 2 : 1).joined(separator: " ")
            ProcessEnvironment.printError("error: unknown command '\(verb)'\n\n\(overview)")
            return 64
        }
        return execute(found.type, found.rest)
    }

    /// Parses `words` for one command and runs it; returns the exit status. Also
    /// the whole of the separate tools built on CollectorCore (the benchmarks).
    package static func execute(_ type: any CollectorSubcommand.Type, _ words: [String]) -> Int32 {
        let spec = type.spec
        do {
            let parsed = try spec.parse(words)
            if parsed.helpRequested {
                print(spec.help)
                return 0
            }
            try type.init(parsed).run()
            return 0
        } catch let error as UsageError {
            ProcessEnvironment.printError("error: \(error.description)\nusage: \(error.usage ?? spec.usage)\n  (see: pqcrypta-collector \(spec.name) --help)")
            return 64
        } catch let exit as CommandExit {
            return exit.status
        } catch {
            ProcessEnvironment.printError("error: \(error)")
            return 1
        }
    }

    /// The command whose name starts `words` (`plugin check` takes two words).
    private static func find(_ words: [String]) -> (type: any CollectorSubcommand.Type, rest: [String])? {
        for type in subcommands {
            let name = type.spec.name.split(separator: " ").map(String.init)
            if words.count >= name.count && Array(words.prefix(name.count)) == name {
                return (type, Array(words.dropFirst(name.count)))
            }
        }
        return nil
    }

    /// The help of a group of commands (`plugin` for `plugin check`, ...); nil if `word` names none.
    package static func groupHelp(_ word: String) -> String? {
        let members = subcommands.filter { !$0.spec.hidden && $0.spec.name.hasPrefix(word + " ") }
        guard !members.isEmpty else { return nil }
        var lines = ["usage: pqcrypta-collector \(word) <command> [options]", "", "commands:"]
        for type in members {
            let name = type.spec.name
            lines.append("  " + name + String(repeating: " ", count: max(2, 16 - name.count)) + type.spec.abstract)
        }
        lines += ["", "'pqcrypta-collector \(word) <command> --help' describes a command."]
        return lines.joined(separator: "\n")
    }

    package static var overview: String {
        var lines = ["pqcrypta-collector: host metrics, PostgreSQL metrics and log intelligence, written to PostgreSQL.",
                     "", "usage: pqcrypta-collector [<command>] [options]", "", "commands:"]
        for type in subcommands where !type.spec.hidden {
            let name = type.spec.name
            lines.append("  " + name + String(repeating: " ", count: max(2, 16 - name.count)) + type.spec.abstract)
        }
        lines += ["", "Without a command, runs the daemon. 'pqcrypta-collector <command> --help' describes a command."]
        return lines.joined(separator: "\n")
    }
}

/// `--config`, shared by every command that reads the configuration.
package struct ConfigOption: Sendable {
    package static let spec = CommandSpec.Option.value(
        "config", "file", "Configuration file (default: $COLLECTOR_CONFIG, then /etc/pqcrypta/collector.toml).")

    package var config: String?

    package init(_ arguments: ParsedArguments) { config = arguments.string("config") }

    /// Loads the configuration, printing warnings; a bad config exits with status 2.
    /// `preparingStateDir` (`run`, `check-config`) also creates `collector.state_dir`
    /// and tests it by writing, so that a daemon that could keep no stats or
    /// crash-loop state never starts.
    package func load(quiet: Bool = false, preparingStateDir: Bool = false) throws(CommandExit) -> CollectorConfig {
        let environment = ProcessEnvironment.variables()
        let path = ConfigLoader.path(explicit: config, environment: environment)
        let explicitlyNamed = config != nil || environment["COLLECTOR_CONFIG"].map { !$0.isEmpty } ?? false
        do {
            let loaded = try ConfigLoader.load(path: path, explicitlyNamed: explicitlyNamed, environment: environment)
            if !quiet { for warning in loaded.warnings { ProcessEnvironment.printError("warning: \(warning)") } }
            if preparingStateDir {
                let fromEnvironment = environment["COLLECTOR_STATE_DIR"].map { !$0.isEmpty } ?? false
                try ConfigChecks.prepareStateDirectory(
                    loaded.config.collector.stateDir, key: fromEnvironment ? "COLLECTOR_STATE_DIR" : "collector.state_dir")
            }
            return loaded.config
        } catch {
            ProcessEnvironment.printError("error: \(error)")
            throw CommandExit(2)
        }
    }
}

package struct VersionCommand: CollectorSubcommand {
    package static let spec = CommandSpec(name: "version", abstract: "Print the version and plugin ABI.")

    package init(_ arguments: ParsedArguments) {}

    package func run() { print(CollectorVersion.line) }
}

package struct CheckConfigCommand: CollectorSubcommand {
    package static let spec = CommandSpec(name: "check-config", abstract: "Validate the configuration and print what it resolves to.",
                                  options: [ConfigOption.spec,
                                            .flag("print-effective", "Print the effective configuration as TOML: every value, and every log source (the defaults included) by name.")])

    package let options: ConfigOption
    package let printEffective: Bool

    package init(_ arguments: ParsedArguments) {
        options = ConfigOption(arguments)
        printEffective = arguments.flag("print-effective")
    }

    package func run() throws {
        let loadedConfig = try options.load(preparingStateDir: true)
        // The plugins (init only, no database) propose the default log sources
        // and provide the parsers: both are part of what the config resolves to.
        LoggingSetup.bootstrap(levelText: "error")
        let report = PluginLoader(services: HostServices.offline(loadedConfig)).loadAll()
        defer { report.shutDown() }
        for warning in report.configWarnings(loadedConfig) { ProcessEnvironment.printError("warning: \(warning)") }
        let c: CollectorConfig
        do {
            c = try report.settle(loadedConfig)
            try report.checkParsers(c)
        } catch {
            ProcessEnvironment.printError("error: \(error)")
            throw CommandExit(2)
        }
        if printEffective {
            print("# effective configuration of \(c.sourcePath ?? "defaults (no file)"); plugins loaded: \(report.loaded.map(\.name).joined(separator: ", "))")
            print(EffectiveConfig.toml(c))
            return
        }
        print("config OK: \(c.sourcePath ?? "defaults (no file)")")
        print("  database: \(c.database.user)@\(c.database.host):\(c.database.port)/\(c.database.name) sslmode=\(c.database.sslmode) gssencmode=\(c.database.gssencmode)")
        print("  intervals: sys \(c.intervals.systemSecs)s, app \(c.intervals.appSecs)s, heartbeat \(c.intervals.heartbeatSecs)s, log \(c.logs.tickSecs)s, watchdog \(c.intervals.watchdogSecs)s, pg_extended \(c.intervals.pgExtendedSecs)s, intel \(c.intervals.intelSecs)s, agg \(c.intervals.aggSecs)s")
        print("  plugins: \(c.plugins.files.isEmpty ? c.plugins.dir : c.plugins.files.joined(separator: ", "))")
        print("  plugins loaded: \(report.loaded.map(\.name).joined(separator: ", "))\(report.refused.isEmpty ? "" : "; refused: \(report.refused.count)")")
        print("  log sources: \(c.logs.sources.filter(\.enabled).count) enabled (logs \(c.logs.enabled ? "on" : "off"), defaults \(c.logs.defaultSources ? "on" : "off"))")
        for s in c.logs.sources {
            print("    \(s.name): \(s.kind.rawValue) \(s.target), parser \(s.parser)\(s.enabled ? "" : " (disabled)")")
        }
        print("  host: \(c.collector.hostname)")
    }
}
