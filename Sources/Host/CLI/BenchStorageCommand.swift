import ArgumentParser

/// `bench-storage` (hidden): the storage benchmark of docs/benchmarks.md. Writes
/// the same synthetic rows into a scratch database through the host's COPY
/// writer, the spec's multi-row INSERT and `psql \copy`, and measures index
/// alternatives for log_entries. Run it through scripts/bench-storage.sh.
struct BenchStorageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-storage",
        abstract: "Benchmark the storage write path against a scratch database (a tool, not an operator command).",
        shouldDisplay: false)

    enum TableChoice: String, ExpressibleByArgument, CaseIterable {
        case metric, log, both
    }

    @OptionGroup var options: ConfigOption

    @Option(help: "Rows per table (default: 200000 metric rows, 1000000 log rows).")
    var rows: Int?

    @Option(help: "Which table: metric (system_metrics_raw), log (log_entries) or both.")
    var table: TableChoice = .both

    @Option(help: "The writer's batch_size: its flush trigger in (a) for metric rows, and rows per flush in (a').")
    var batch: Int = 100

    @Option(name: .customLong("commit-rows"), help: "Rows per commit of the log ingester's path, (a) for log rows.")
    var commitRows: Int = LogIngester.defaultCommitRows

    @Option(name: .customLong("insert-batch"), help: "Rows per INSERT statement for the spec's path (b).")
    var insertBatch: Int = 100

    @Option(help: "psql for path (c).")
    var psql: String = "psql"

    @Flag(name: .customLong("no-psql"), help: "Skip path (c).")
    var noPsql = false

    @Flag(name: .customLong("no-indexes"), help: "Skip the log_entries index alternatives.")
    var noIndexes = false

    @Option(name: .customLong("log-indexes"),
            help: "Index set of log_entries for the (a)/(b)/(c) runs, one of the alternatives (spec, ts-asc, brin+3, brin+3p, brin+2, brin, none); default: the migration's.")
    var logIndexes: String?

    @Option(name: .customLong("query-runs"), help: "Timed runs per query (the median is reported).")
    var queryRuns: Int = 5

    @Option(name: .customLong("copy-runs"), help: "COPY runs per log_entries index alternative (the median is reported).")
    var copyRuns: Int = 3

    @Option(name: .customLong("scratch-db"), help: "Scratch database, dropped and recreated.")
    var scratchDB: String = "collector_bench"

    @Option(name: .customLong("admin-db"), help: "Database to connect to for CREATE/DROP DATABASE.")
    var adminDB: String = "postgres"

    @Option(name: .customLong("work-dir"), help: "Where the COPY file for psql is written.")
    var workDir: String = "/tmp"

    @Option(help: "Seed of the generated data.")
    var seed: UInt64 = 20_251_125

    @Flag(help: "Keep the scratch database and the COPY files.")
    var keep = false

    @Option(help: "Only write the generated rows of --table (metric or log) in COPY text format to this file.")
    var dump: String?

    func validate() throws {
        if let rows, rows < 1 { throw ValidationError("--rows must be at least 1") }
        if batch < 1 || insertBatch < 1 || commitRows < 1 { throw ValidationError("batch sizes must be positive") }
        if dump != nil && table == .both { throw ValidationError("--dump needs --table metric or --table log") }
    }

    func run() throws {
        let config = try options.load(quiet: true)
        LoggingSetup.bootstrap(levelText: "error")
        var o = StorageBench.Options()
        o.kinds = table == .both ? StorageBench.Kind.allCases : [table == .metric ? .metric : .log]
        if let rows { for k in o.kinds { o.rows[k] = rows } }
        o.batch = batch
        o.commitRows = commitRows
        o.insertBatch = insertBatch
        o.psql = noPsql ? nil : psql
        o.indexes = !noIndexes
        o.queryRuns = queryRuns
        o.copyRuns = copyRuns
        o.logIndexes = logIndexes
        o.scratchName = scratchDB
        o.adminDatabase = adminDB
        o.workDir = workDir
        o.seed = seed
        o.keep = keep
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
            throw ExitCode(2)
        } catch let error as PGError {
            ProcessEnvironment.printError("error: \(error)")
            throw ExitCode(2)
        }
    }
}
