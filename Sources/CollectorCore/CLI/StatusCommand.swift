#if canImport(Glibc)
import Glibc
#endif

/// `pqcrypta-collector status`: the collector's health from the database, for
/// an operator or a monitoring check (the exit status is the verdict).
package struct StatusCommand: CollectorSubcommand {
    package static let spec = CommandSpec(
        name: "status", abstract: "Show hosts' health from the database (exit 0 ok, 1 warning, 2 critical, 3 no database).",
        options: [
            ConfigOption.spec,
            .flag("all", "Every host that has written to the database (default: this host, [collector] hostname)."),
            .value("host", "name", "One host by name."),
            .flag("json", "Print JSON (for scripts); on a database error, {\"error\": ...}."),
        ])

    /// Exit status when the database cannot be reached or read.
    package static let unreachable: Int32 = 3

    package let options: ConfigOption
    package let all: Bool
    package let host: String?
    package let json: Bool

    package init(_ arguments: ParsedArguments) throws(UsageError) {
        options = ConfigOption(arguments)
        all = arguments.flag("all")
        host = arguments.string("host")
        json = arguments.flag("json")
        if all && host != nil { throw UsageError("--all and --host exclude each other", command: Self.spec) }
        if let host, host.isEmpty { throw UsageError("--host needs a name", command: Self.spec) }
    }

    package func run() throws {
        let config = try options.load(quiet: json)
        let report: StatusReport
        do {
            let connection = try PGConnection(conninfo: ConnectionString.make(
                config.database, applicationName: "pqcrypta-collector status", statementTimeoutMs: 10_000))
            let reader = StatusReader(connection: connection, heartbeatSecs: config.intervals.heartbeatSecs)
            var read = try reader.read(hosts: all ? nil : [host ?? config.collector.hostname])
            // This machine's collector knows which ticks it disabled; the database does not.
            if let local = read.hosts.firstIndex(where: { $0.host == config.collector.hostname }),
               let stats = CollectorMetrics.read(statsJSON: config.collector.stateDir + "/stats.json") {
                read.hosts[local].applyLocalStats(stats)
            }
            report = read
        } catch {
            let message = "database \(config.database.user)@\(config.database.host):\(config.database.port)/\(config.database.name): \(error)"
            if json {
                print(StatusJSON.error(message, exitStatus: Int(Self.unreachable)))
            } else {
                ProcessEnvironment.printError("error: \(message)")
            }
            throw CommandExit(Self.unreachable)
        }
        if json {
            print(StatusJSON.render(report))
        } else {
            print(StatusText(terminal: isatty(1) == 1).render(report))
        }
        let status = Int32(report.level.rawValue)
        if status != 0 { throw CommandExit(status) }
    }
}
