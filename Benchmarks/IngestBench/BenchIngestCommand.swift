import CollectorCore
import IntelligenceCore
#if canImport(Glibc)
import Glibc
#endif

/// `IngestBench`: end-to-end log ingestion throughput, file → parser
/// plugin → fingerprint → COPY + position commit, through the daemon's own
/// `LogIngester`. scripts/bench-ingest.sh compares it with `psql \copy` of the
/// same parsed rows into the same table.
struct BenchIngestCommand: CollectorSubcommand {
    static let spec = CommandSpec(
        name: "IngestBench",
        abstract: "Benchmark log ingestion from a file into a scratch database (a tool, not an operator command).",
        options: [
            ConfigOption.spec,
            .value("file", "path", "The log file to ingest (required)."),
            .value("parser", "name", "Parser name (from the loaded plugins; default syslog)."),
            .value("plugin", "path", "Plugin library providing the parser (required)."),
            .value("scratch-db", "name", "Scratch database, dropped and recreated (default collector_bench_ingest)."),
            .value("schema", "core|bundled", "core: the host's migrations only; bundled (default): also the Intelligence plugin's, as a daemon with the bundled plugins has them (log_entries.ingested_at and its BRIN index)."),
        ])

    let options: ConfigOption
    let file: String
    let parser: String
    let plugin: String
    let scratchDB: String
    let bundledSchema: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        options = ConfigOption(arguments)
        guard let file = arguments.string("file") else { throw UsageError("--file is required", command: Self.spec) }
        guard let plugin = arguments.string("plugin") else { throw UsageError("--plugin is required", command: Self.spec) }
        self.file = file
        self.plugin = plugin
        parser = arguments.string("parser") ?? "syslog"
        scratchDB = arguments.string("scratch-db") ?? "collector_bench_ingest"
        bundledSchema = try arguments.choice("schema", ["core", "bundled"], default: "bundled") == "bundled"
    }

    func run() throws {
        var config = try options.load(quiet: true)
        LoggingSetup.bootstrap(levelText: "warning")
        var admin = config.database
        admin.name = "postgres"
        let adminConnection = try PGConnection(conninfo: ConnectionString.make(admin))
        try adminConnection.execute("DROP DATABASE IF EXISTS \(scratchDB) WITH (FORCE)")
        try adminConnection.execute("CREATE DATABASE \(scratchDB)")
        config.database.name = scratchDB
        let c = try PGConnection(conninfo: ConnectionString.make(config.database))
        let pluginSchema = bundledSchema ? IntelligenceSchema.migrations.map { Migration(name: "intelligence/\($0.name)", sql: $0.sql) } : []
        _ = try Migrator(connection: c).apply(EmbeddedMigrations.all + pluginSchema)
        try c.query("SELECT collector.ensure_partitions(current_date - 1, current_date + 1)")

        config.plugins.files = [plugin]
        let loaded = PluginLoader(services: HostServices.offline(config)).loadAll().loaded
        var parsers: [String: ParserRegistration] = [:]
        for p in loaded { for r in p.parsers { parsers[r.name] = r } }
        guard parsers[parser] != nil else { throw BenchError("no parser '\(parser)' in \(plugin)") }

        var logs = LogsConfig()
        logs.sources = [LogSourceConfig(name: "bench", kind: .file, target: file, parser: parser)]
        logs.initialBackfillBytes = Int.max
        logs.tickBudgetMs = 600_000
        let lane = DatabaseLane(lane: .fast, config: config.database, statementTimeoutMs: 0)
        let ingester = LogIngester(config: logs, hostname: config.collector.hostname, parsers: parsers, lane: lane, stats: StatsRegistry())
        let size = FileSize.of(file)
        let start = MonotonicClock.nowNanos()
        guard ingester.tick() == .ok else { throw BenchError("ingest failed") }
        let seconds = Double(MonotonicClock.nowNanos() - start) / 1e9
        let rows = Int(try c.query("SELECT count(*) FROM collector.log_entries").string(0, 0) ?? "0") ?? 0
        print("ingest: \(rows) rows, \(size) bytes in \(seconds) s: \(Int(Double(rows) / seconds)) rows/s, \(Double(size) / 1_048_576 / seconds) MiB/s")
    }
}


struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
