import CollectorCore
import SystemMetricsCore
#if canImport(Glibc)
import Glibc
#endif

/// `bench-storage`: writes the same generated rows into a scratch database
/// through (a) the host's COPY writer, (b) the spec's multi-row INSERT in
/// batches of 100, and (c) `psql \copy` from a file, then (log_entries) times
/// COPY and the intelligence queries under alternative index sets.
struct StorageBench {
    enum Kind: String, CaseIterable {
        case metric, log

        var defaultRows: Int { self == .metric ? 200_000 : 1_000_000 }
    }

    struct Options {
        var kinds: [Kind] = Kind.allCases
        var rows: [Kind: Int] = [:]
        /// The writer's batch_size: rows per flush in (a') and the flush trigger in (a) for metric rows.
        var batch = 100
        /// Rows per commit of the log ingester's path, (a) for log rows.
        var commitRows = LogIngester.defaultCommitRows
        /// Rows per INSERT of path (b), the spec's method.
        var insertBatch = 100
        var psql: String? = "psql"
        var workDir = "/tmp"
        var indexes = true
        /// Index set of log_entries for the (a)/(b)/(c) runs (a LogIndexBench variant); nil = the migration's.
        var logIndexes: String?
        var queryRuns = 5
        /// COPY runs per index alternative (the median is reported).
        var copyRuns = 3
        var seed: UInt64 = 20_251_125
        var keep = false
        var scratchName = "collector_bench"
        var adminDatabase = "postgres"
        var database = DatabaseConfig()
    }

    struct Measurement {
        let label: String
        let rows: Int
        let seconds: Double
        var rowsPerSec: Double { seconds > 0 ? Double(rows) / seconds : 0 }
    }

    let options: Options
    private let out = BenchOutput()

    init(options: Options) { self.options = options }

    // MARK: run

    /// Runs every selected table. Missed target ratios are reported, not errors.
    func run() throws {
        let scratch = try setUpScratchDatabase()
        let anchor = WallClock.nowMicros()
        for kind in options.kinds {
            try runTable(kind, rows: options.rows[kind] ?? kind.defaultRows, anchor: anchor, connection: scratch)
        }
        if !options.keep {
            // WITH (FORCE) also ends this run's own sessions to it.
            let admin = try PGConnection(conninfo: conninfo(database: options.adminDatabase))
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(options.scratchName) WITH (FORCE)")
        }
    }

    /// Writes `table`'s generated rows in COPY text format to `path`.
    func dump(_ kind: Kind, rows: Int, to path: String) throws {
        let table = generate(kind, rows: rows, anchor: WallClock.nowMicros())
        try writeCopyFile(table, path: path)
        out.say("wrote \(BenchFormat.int(table.rows.count)) rows of \(table.table) to \(path)")
        out.say("load with: psql -c \"\\copy \(table.table) (\(table.columns.joined(separator: ", "))) FROM '\(path)'\"")
    }

    private func runTable(_ kind: Kind, rows count: Int, anchor: Int64, connection c: PGConnection) throws {
        out.say("")
        let started = MonotonicClock.nowNanos()
        let table = generate(kind, rows: count, anchor: anchor)
        let generated = elapsedSeconds(since: started)
        // Client-side cost of path (a) alone: encoding every row, no database.
        let encodeStart = MonotonicClock.nowNanos()
        var bytes = 0
        for row in table.rows {
            var e = CopyEncoder(reservingCapacity: 256)
            BenchTable.encode(row, into: &e)
            bytes += e.bytes.count
        }
        let encodeSeconds = elapsedSeconds(since: encodeStart)
        out.say("== \(table.table): \(BenchFormat.int(count)) rows, \(BenchFormat.int(bytes / count)) bytes/row in COPY text (\(BenchFormat.mib(bytes)) MiB), generated in \(BenchFormat.fixed(generated, 1)) s")
        out.say("   client-side encoding alone: \(BenchFormat.int(Int(Double(count) / encodeSeconds))) rows/s (\(BenchFormat.fixed(encodeSeconds, 2)) s)")
        if kind == .log, let name = options.logIndexes {
            guard let variant = LogIndexBench.variant(named: name) else {
                throw BenchError("unknown index set '\(name)'; one of: \(LogIndexBench.variants.map(\.name).joined(separator: ", "))")
            }
            try LogIndexBench.apply(variant, bench: self, on: c)
            out.say("   index set \(variant.name) (--log-indexes): \(variant.summary)")
        }
        out.say("   indexes: \(try indexNames(of: table.table, on: c).joined(separator: ", "))")

        var results: [Measurement] = []
        try reset(table, on: c)
        results.append(kind == .log ? try writeLikeLogIngester(table) : try writeLikeDaemon(table))
        try verify(table, expected: count, on: c)
        report(results.last!)

        try reset(table, on: c)
        results.append(try writeWithBatchWriter(table, batch: options.batch, label: "(a')"))
        try verify(table, expected: count, on: c)
        report(results.last!)

        try reset(table, on: c)
        results.append(try writeWithInsert(table))
        try verify(table, expected: count, on: c)
        report(results.last!)

        var file: String?
        if let psql = options.psql {
            let path = "\(options.workDir)/pqc-bench-\(kind.rawValue).copy"
            try writeCopyFile(table, path: path)
            file = path
            try reset(table, on: c)
            results.append(try writeWithPsql(table, psql: psql, file: path))
            try verify(table, expected: count, on: c)
            report(results.last!)
        }

        // The original's whole path: its INSERT into its four btrees, against which
        // the daemon's path (a) into the schema it actually creates is the user-visible gain.
        var specPath: Measurement?
        if kind == .log, options.logIndexes == nil, let spec = LogIndexBench.variant(named: "spec") {
            let own = try indexDefinitions(of: table.table, on: c)
            try LogIndexBench.apply(spec, bench: self, on: c)
            try reset(table, on: c)
            let m = try writeWithInsert(table, label: "(b*) INSERT VALUES, 100 rows, into the spec's 4 btrees")
            try verify(table, expected: count, on: c)
            report(m)
            specPath = m
            try LogIndexBench.apply(LogIndexBench.Variant(name: "migration", summary: "", ddl: own), bench: self, on: c)
        }

        let b = results.first { $0.label.hasPrefix("(b)") }!
        let limit = results.first { $0.label.hasPrefix("(c)") }
        out.say("   ratios (targets: COPY path >= 5x INSERT, >= 0.80x psql \\copy):")
        for a in results where a.label.hasPrefix("(a") {
            let name = a.label.hasPrefix("(a')") ? "a'" : "a "
            let ab = a.rowsPerSec / b.rowsPerSec
            var line = "     \(name)/b = \(BenchFormat.padLeft(BenchFormat.fixed(ab, 2), 5)) \(ab >= 5 ? "ok    " : "MISSED")"
            if let limit {
                let ac = a.rowsPerSec / limit.rowsPerSec
                line += "   \(name)/c = \(BenchFormat.fixed(ac, 2)) \(ac >= 0.8 ? "ok" : "MISSED")"
            }
            out.say(line)
        }
        if let specPath, let a = results.first(where: { $0.label.hasPrefix("(a) ") }) {
            out.say("     a /b* = \(BenchFormat.fixed(a.rowsPerSec / specPath.rowsPerSec, 2))  (the daemon's path into its schema vs the original's path into its schema)")
        }

        if kind == .log && options.indexes {
            try LogIndexBench(bench: self, table: table, anchor: anchor, out: out)
                .run(on: c, write: { try writeLikeLogIngester(table) })
        }
        if let file, !options.keep { unlink(file) }
    }

    private func generate(_ kind: Kind, rows: Int, anchor: Int64) -> BenchTable {
        switch kind {
        case .metric: MetricRows.generate(count: rows, endMicros: anchor, seed: options.seed)
        case .log: LogRows.generate(count: rows, endMicros: anchor, seed: options.seed &+ 1)
        }
    }

    private func report(_ m: Measurement) {
        out.say("   \(BenchFormat.pad(m.label, 58)) \(BenchFormat.padLeft(BenchFormat.int(Int(m.rowsPerSec.rounded())), 9)) rows/s  (\(BenchFormat.fixed(m.seconds, 2)) s)")
    }

    // MARK: (a) the host's writer

    /// Path (a) for metric rows, the daemon's arrangement: a producer thread
    /// encodes rows as `table_emit` does (a fresh `CopyEncoder`, JSON cells
    /// validated) and queues them, as tick threads do, while the writer's own
    /// thread flushes whenever a buffer reaches `batch` rows, taking every row
    /// buffered by then. Timed until the writer has stopped and flushed the rest.
    func writeLikeDaemon(_ table: BenchTable) throws -> Measurement {
        let (lane, writer, stats, id) = try makeWriter(table, batch: options.batch)
        let start = MonotonicClock.nowNanos()
        writer.start()
        let producer = WorkerThread(name: "bench.producer") {
            for row in table.rows {
                var encoder = CopyEncoder(reservingCapacity: 256)
                BenchTable.encode(row, into: &encoder)
                writer.append(id, row: encoder.bytes)
            }
        }
        producer.start()
        producer.join()
        writer.stop()
        let elapsed = elapsedSeconds(since: start)
        _ = lane
        let written = stats.counter("writer.rows_written")
        try check(written, of: table, stats: stats)
        let flushes = max(1, stats.counter("writer.flushes"))
        return Measurement(label: "(a)  COPY, BatchWriter as in the daemon (\(written / flushes) rows/flush)", rows: written,
                           seconds: elapsed)
    }

    /// Path (a'): BatchWriter flushed after exactly `batch` rows, encoding and
    /// flushing taking turns on one thread: the writer's worst case, since no
    /// COPY ever carries more than `batch` rows and nothing overlaps.
    func writeWithBatchWriter(_ table: BenchTable, batch: Int, label: String) throws -> Measurement {
        let (_, writer, stats, id) = try makeWriter(table, batch: batch)
        let start = MonotonicClock.nowNanos()
        var written = 0
        var pending = 0
        for row in table.rows {
            var encoder = CopyEncoder(reservingCapacity: 256)
            BenchTable.encode(row, into: &encoder)
            writer.append(id, row: encoder.bytes)
            pending += 1
            if pending == batch {
                written += writer.flush()
                pending = 0
            }
        }
        written += writer.flush()
        let elapsed = elapsedSeconds(since: start)
        try check(written, of: table, stats: stats)
        return Measurement(label: "\(label) COPY, BatchWriter, exactly \(batch) rows/flush", rows: written, seconds: elapsed)
    }

    private func makeWriter(_ table: BenchTable, batch: Int) throws -> (DatabaseLane, BatchWriter, StatsRegistry, Int) {
        let lane = DatabaseLane(lane: .fast, config: database(options.scratchName), statementTimeoutMs: 0,
                                logger: Logger(label: "bench"))
        let stats = StatsRegistry()
        let writer = BatchWriter(lane: lane, batchSize: batch, flushIntervalMs: 3_600_000, maxBytes: Int.max,
                                 stats: stats, gate: SchemaGate(open: true), logger: Logger(label: "bench.writer"))
        let id = writer.register(table.target)
        _ = try lane.withConnection { (c: PGConnection) throws(PGError) in c.serverVersion }  // connect outside the timing
        return (lane, writer, stats, id)
    }

    private func check(_ written: Int, of table: BenchTable, stats: StatsRegistry) throws {
        guard written == table.rows.count else {
            throw BenchError("BatchWriter wrote \(written) of \(table.rows.count) rows (\(stats.counter("writer.flush_failures")) failed flushes, \(stats.counter("writer.rejected_rows")) rejected rows)")
        }
    }

    /// Path (a) for log rows: the log ingester's commit, with its own code
    /// (`CopyStream`): rows stream into an open COPY in 256 KiB pieces while
    /// they are encoded, and every `commitRows` rows the COPY ends and commits
    /// together with the source's position upsert.
    func writeLikeLogIngester(_ table: BenchTable) throws -> Measurement {
        let c = try PGConnection(conninfo: conninfo(database: options.scratchName))
        let position = FilePosition(device: 2049, inode: 1_234_567, offset: 0)
        let start = MonotonicClock.nowNanos()
        var stream = CopyStream(copySQL: table.copySQL)
        var rows = 0
        var offset: Int64 = 0
        func commit() throws(PGError) {
            let p = FilePosition(device: position.device, inode: position.inode, offset: offset)
            try stream.commit(on: c) { (c: PGConnection) throws(PGError) in
                try LogIngester.upsertFilePosition(p, host: LogRows.hostname, source: "bench", path: "/var/log/bench.log", on: c)
            }
            rows = 0
        }
        for row in table.rows {
            let before = stream.encoder.bytes.count
            BenchTable.encode(row, into: &stream.encoder)
            offset += Int64(stream.encoder.bytes.count - before)
            stream.sendIfFull(on: c)
            rows += 1
            if rows >= options.commitRows { try commit() }
        }
        if rows > 0 { try commit() }
        return Measurement(label: "(a)  COPY, log ingester, \(options.commitRows) rows/commit", rows: table.rows.count,
                           seconds: elapsedSeconds(since: start))
    }

    // MARK: (b) the spec's method

    /// Path (b): `INSERT ... VALUES ($1, ...), (...)` with bound text
    /// parameters, `insertBatch` rows per statement, each statement its own transaction.
    func writeWithInsert(_ table: BenchTable, label: String? = nil) throws -> Measurement {
        let c = try PGConnection(conninfo: conninfo(database: options.scratchName))
        let width = table.columns.count
        func sql(_ rows: Int) -> String {
            var s = "INSERT INTO \(table.table) (\(table.columns.joined(separator: ", "))) VALUES "
            var n = 1
            for r in 0..<rows {
                s += r == 0 ? "(" : ",("
                for k in 0..<width {
                    if k > 0 { s += "," }
                    s += "$\(n)"
                    n += 1
                }
                s += ")"
            }
            return s
        }
        let full = sql(options.insertBatch)
        let start = MonotonicClock.nowNanos()
        var scratch = CopyEncoder(reservingCapacity: 64)
        var params: [String?] = []
        params.reserveCapacity(options.insertBatch * width)
        var i = 0
        var written = 0
        while i < table.rows.count {
            let end = min(i + options.insertBatch, table.rows.count)
            params.removeAll(keepingCapacity: true)
            for r in i..<end {
                for cell in table.rows[r] { params.append(BenchTable.parameter(cell, scratch: &scratch)) }
            }
            written += try c.query(end - i == options.insertBatch ? full : sql(end - i), params).affectedRows
            i = end
        }
        return Measurement(label: label ?? "(b)  INSERT VALUES, \(options.insertBatch) rows/statement", rows: written,
                           seconds: elapsedSeconds(since: start))
    }

    // MARK: (c) the limit

    /// Path (c): `psql -c "\copy ..."` of the same rows from a COPY text file.
    func writeWithPsql(_ table: BenchTable, psql: String, file: String) throws -> Measurement {
        guard !file.contains("'") else { throw BenchError("work directory must not contain a quote: \(file)") }
        var db = database(options.scratchName)
        if !db.password.isEmpty { setenv("PGPASSWORD", db.password, 1) }
        db.password = ""
        let argv = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", ConnectionString.make(db, applicationName: "bench-storage-psql"),
                    "-c", "\\copy \(table.table) (\(table.columns.joined(separator: ", "))) FROM '\(file)'"]
        let start = MonotonicClock.nowNanos()
        do throws(Subprocess.Failure) {
            try Subprocess.lines(argv, timeoutMs: 3_600_000, maxLineBytes: 4096) { _ in true }
        } catch {
            throw BenchError("\(psql): \(error)")
        }
        return Measurement(label: "(c)  psql \\copy from a file", rows: table.rows.count, seconds: elapsedSeconds(since: start))
    }

    private func writeCopyFile(_ table: BenchTable, path: String) throws {
        guard let f = fopen(path, "w") else { throw BenchError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { fclose(f) }
        var e = CopyEncoder(reservingCapacity: 1 << 20)
        func drain() throws {
            let n = e.bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
            guard n == e.bytes.count else { throw BenchError("short write to \(path)") }
            e.removeAll()
        }
        for row in table.rows {
            BenchTable.encode(row, into: &e)
            if e.bytes.count >= 1 << 20 { try drain() }
        }
        try drain()
    }

    // MARK: database

    func database(_ name: String) -> DatabaseConfig {
        var db = options.database
        db.name = name
        return db
    }

    func conninfo(database name: String) -> String {
        ConnectionString.make(database(name), applicationName: "bench-storage")
    }

    /// Recreates the scratch database and applies the host's embedded migrations
    /// and partitions (UTC days from yesterday to tomorrow).
    private func setUpScratchDatabase() throws -> PGConnection {
        guard RowTarget.isValidIdentifier(options.scratchName), options.scratchName != options.database.name else {
            throw BenchError("scratch database '\(options.scratchName)' must be a plain identifier other than the collector's database")
        }
        do {
            let admin = try PGConnection(conninfo: conninfo(database: options.adminDatabase))
            try admin.execute("DROP DATABASE IF EXISTS \(options.scratchName) WITH (FORCE)")
            try admin.execute("CREATE DATABASE \(options.scratchName)")
            let c = try PGConnection(conninfo: conninfo(database: options.scratchName))
            _ = try Migrator(connection: c).apply(
                EmbeddedMigrations.all + SystemSchema.migrations.map { Migration(name: "system_metrics/\($0.name)", sql: $0.sql) })
            try c.execute("SELECT collector.ensure_partitions((now() AT TIME ZONE 'UTC')::date - 1, (now() AT TIME ZONE 'UTC')::date + 1)")
            let settings = try c.query("""
                SELECT version(), current_setting('shared_buffers'), current_setting('fsync'),
                       current_setting('synchronous_commit'), current_setting('max_wal_size')
                """)
            out.say("scratch database \(options.scratchName) on \(options.database.host):\(options.database.port)")
            out.say("server: \((settings.string(0, 0) ?? "").split(separator: ",").first ?? "")")
            out.say("        shared_buffers=\(settings.string(0, 1) ?? "") fsync=\(settings.string(0, 2) ?? "") synchronous_commit=\(settings.string(0, 3) ?? "") max_wal_size=\(settings.string(0, 4) ?? "")")
            let cpus = sysconf(Int32(_SC_NPROCESSORS_ONLN))
            out.say("client: \(cpus) CPUs online; writer batch_size \(options.batch) (a, a'), log commit \(options.commitRows) rows (a), \(options.insertBatch) rows/INSERT (b)")
            return c
        } catch {
            throw BenchError("scratch database: \(error)")
        }
    }

    /// Empties the table (and its partitions) and checkpoints, so every run
    /// starts from the same empty files and no dirty pages of the previous one.
    func reset(_ table: BenchTable, on c: PGConnection) throws {
        try c.execute("TRUNCATE \(table.table)")
        if table.table == LogRows.table { try c.execute("TRUNCATE collector.log_positions") }
        _ = try? c.execute("CHECKPOINT")
    }

    private func verify(_ table: BenchTable, expected: Int, on c: PGConnection) throws {
        let n = try c.query("SELECT count(*) FROM \(table.table)").int(0, 0) ?? -1
        guard n == expected else { throw BenchError("\(table.table) holds \(n) rows after the run, expected \(expected)") }
    }

    /// The CREATE INDEX statements that rebuild `table`'s current indexes.
    func indexDefinitions(of table: String, on c: PGConnection) throws -> [String] {
        let parts = table.split(separator: ".")
        // A partitioned table's definitions read "ON ONLY", which would skip the partitions.
        let r = try c.query("""
            SELECT replace(indexdef, ' ON ONLY ', ' ON ') FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname
            """, [String(parts[0]), String(parts[1])])
        return (0..<r.rowCount).compactMap { r.string($0, 0) }
    }

    func indexNames(of table: String, on c: PGConnection) throws -> [String] {
        let parts = table.split(separator: ".")
        let r = try c.query("SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY 1",
                            [String(parts[0]), String(parts[1])])
        return (0..<r.rowCount).compactMap { r.string($0, 0) }
    }
}

func elapsedSeconds(since start: UInt64) -> Double { Double(MonotonicClock.nowNanos() - start) / 1e9 }

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Progress and results on stdout, flushed per line (the script tees it).
struct BenchOutput {
    func say(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}

enum BenchFormat {
    /// 1234567 → "1,234,567".
    static func int(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// Fixed decimals, not trimmed: fixed(2.5, 2) = "2.50".
    static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return "-" }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let units = Int64((x.magnitude * Double(scale)).rounded())
        var s = String(units / scale)
        if decimals > 0 {
            var f = String(units % scale)
            while f.count < decimals { f = "0" + f }
            s += "." + f
        }
        return x < 0 && units > 0 ? "-" + s : s
    }

    static func mib(_ bytes: Int) -> String { fixed(Double(bytes) / 1_048_576, 1) }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    static func padLeft(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }
}
