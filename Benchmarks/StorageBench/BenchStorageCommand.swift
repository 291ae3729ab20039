import CollectorCore
/// `StorageBench`: the storage benchmark of docs/benchmarks.md. Writes
/// the same synthetic rows into a scratch database through the host's COPY
/// writer, the spec's multi-row INSERT and `psql \copy`, and measures index
/// alternatives for log_entries. Run it through scripts/bench-storage.sh.
struct BenchStorageCommand: CollectorSubcommand {
    static let spec = CommandSpec(
        name: "StorageBench",
        abstract: "Benchmark the storage write path against a scratch database (a tool, not an operator command).",
        options: [
            ConfigOption.spec,
            .value("rows", "n", "Rows per table (default: 200000 metric rows, 1000000 log rows)."),
            .value("table", "metric|log|both", "Which table: metric (system_metrics_raw), log (log_entries) or both (default)."),
            .value("batch", "n", "The writer's batch_size: its flush trigger in (a) for metric rows, and rows per flush in (a') (default 100)."),
            .value("commit-rows", "n", "Rows per commit of the log ingester's path, (a) for log rows (default \(LogIngester.defaultCommitRows))."),
            .value("insert-batch", "n", "Rows per INSERT statement for the spec's path (b) (default 100)."),
            .value("psql", "path", "psql for path (c) (default psql)."),
            .flag("no-psql", "Skip path (c)."),
            .flag("no-indexes", "Skip the log_entries index alternatives."),
            .value("log-indexes", "set", "Index set of log_entries for the (a)/(b)/(c) runs, one of the alternatives (spec, ts-asc, brin+3, brin+3p, brin+2, brin, none); default: the migration's."),
            .value("query-runs", "n", "Timed runs per query, the median is reported (default 5)."),
            .value("copy-runs", "n", "COPY runs per log_entries index alternative, the median is reported (default 3)."),
            .value("scratch-db", "name", "Scratch database, dropped and recreated (default collector_bench)."),
            .value("admin-db", "name", "Database to connect to for CREATE/DROP DATABASE (default postgres)."),
            .value("work-dir", "dir", "Where the COPY file for psql is written (default /tmp)."),
            .value("seed", "n", "Seed of the generated data."),
            .flag("keep", "Keep the scratch database and the COPY files."),
            .value("dump", "file", "Only write the generated rows of --table (metric or log) in COPY text format to this file."),
        ])

    let options: ConfigOption
    /// Everything but the database, which comes from the configuration when run.
    let bench: StorageBench.Options
    let dump: String?

    init(_ a: ParsedArguments) throws(UsageError) {
        options = ConfigOption(a)
        var o = StorageBench.Options()
        let table = try a.choice("table", ["metric", "log", "both"], default: "both")
        o.kinds = table == "both" ? StorageBench.Kind.allCases : [table == "metric" ? .metric : .log]
        if a.string("rows") != nil {
            let rows = try a.int("rows", default: 0)
            guard rows >= 1 else { throw UsageError("--rows must be at least 1", command: Self.spec) }
            for k in o.kinds { o.rows[k] = rows }
        }
        o.batch = try a.int("batch", default: o.batch)
        o.commitRows = try a.int("commit-rows", default: o.commitRows)
        o.insertBatch = try a.int("insert-batch", default: o.insertBatch)
        guard o.batch >= 1, o.insertBatch >= 1, o.commitRows >= 1 else { throw UsageError("batch sizes must be positive", command: Self.spec) }
        o.psql = a.flag("no-psql") ? nil : a.string("psql") ?? "psql"
        o.indexes = !a.flag("no-indexes")
        o.logIndexes = a.string("log-indexes")
        o.queryRuns = try a.int("query-runs", default: o.queryRuns)
        o.copyRuns = try a.int("copy-runs", default: o.copyRuns)
        o.scratchName = a.string("scratch-db") ?? o.scratchName
        o.adminDatabase = a.string("admin-db") ?? o.adminDatabase
        o.workDir = a.string("work-dir") ?? o.workDir
        o.seed = try a.uint64("seed", default: o.seed)
        o.keep = a.flag("keep")
        bench = o
        dump = a.string("dump")
        if dump != nil && table == "both" { throw UsageError("--dump needs --table metric or --table log", command: Self.spec) }
    }

    func run() throws {
        let config = try options.load(quiet: true)
        LoggingSetup.bootstrap(levelText: "error")
        var o = bench
        o.database = config.database
        let bench = StorageBench(options: o)
        do {
            if let dump {
                let kind = o.kinds[0]
                try bench.dump(kind, rows: o.rows[kind] ?? kind.defaultRows, to: dump)
                return
            }
            try bench.run()
        } catch let error as BenchError {
            ProcessEnvironment.printError("error: \(error)")
            throw CommandExit(2)
        } catch let error as PGError {
            ProcessEnvironment.printError("error: \(error)")
            throw CommandExit(2)
        }
    }
}
