#if canImport(Glibc)
import Glibc
#endif
import AppMetricsCore
import CollectorCore
import IntelligenceCore
import PGStatsCore
import PluginKit
import SystemMetricsCore

/// `IntelBench`: what one intel run costs. For each host count it recreates a
/// scratch database with the bundled plugins' schema, generates `hourly-days`
/// of hourly rollup rows and `raw-days` of raw rows at the default intervals
/// for every host, then runs the Intelligence plugin's two analyzers for the
/// first host, as the daemon does every 5 minutes: the first run (warm-up and
/// the SLOs' hourly counts), then `runs` steady runs, each after 5 more minutes
/// of raw rows for every host. Prints wall and statement time per run, and
/// the `EXPLAIN (ANALYZE, BUFFERS)` of the slowest statement of the last run.
struct BenchIntelCommand: CollectorSubcommand {
    static let spec = CommandSpec(
        name: "IntelBench",
        abstract: "Benchmark one intel run over generated history (a tool, not an operator command).",
        options: [
            ConfigOption.spec,
            .value("hosts", "list", "Host counts to measure, comma-separated (default 1,20)."),
            .value("raw-days", "n", "Days of raw rows per host (default 14, retention.raw_days)."),
            .value("hourly-days", "n", "Days of hourly rollup rows per host (default 30)."),
            .value("runs", "n", "Steady runs after the first (default 5; the median is reported)."),
            .value("log-rows", "n", "Also time the log analyzers (patterns, security, error spikes) over this many log rows of the first host written in the last 5 minutes (default 0: skip)."),
            .value("rules-tables", "n", "Also time every health rule on a database of this many tables with 3 indexes each (default 0: skip)."),
            .value("scratch-db", "name", "Scratch database, dropped and recreated (default collector_intel_bench)."),
            .value("admin-db", "name", "Database to connect to for CREATE/DROP DATABASE (default postgres)."),
            .flag("keep", "Keep the scratch database."),
        ])

    let options: ConfigOption
    let hostCounts: [Int]
    let rawDays: Int
    let hourlyDays: Int
    let runs: Int
    let logRows: Int
    let rulesTables: Int
    let scratch: String
    let adminDB: String
    let keep: Bool

    init(_ a: ParsedArguments) throws(UsageError) {
        options = ConfigOption(a)
        var counts: [Int] = []
        for part in (a.string("hosts") ?? "1,20").split(separator: ",") {
            guard let n = Int(part), n >= 1, n <= 500 else { throw UsageError("--hosts: \(part) is not a host count (1-500)", command: Self.spec) }
            counts.append(n)
        }
        hostCounts = counts
        rawDays = try a.int("raw-days", default: 14)
        hourlyDays = try a.int("hourly-days", default: 30)
        runs = try a.int("runs", default: 5)
        logRows = try a.int("log-rows", default: 0)
        rulesTables = try a.int("rules-tables", default: 0)
        guard rawDays >= 1, hourlyDays >= 1, runs >= 1 else { throw UsageError("day and run counts must be positive", command: Self.spec) }
        scratch = a.string("scratch-db") ?? "collector_intel_bench"
        adminDB = a.string("admin-db") ?? "postgres"
        keep = a.flag("keep")
    }

    func run() throws {
        let config = try options.load(quiet: true)
        LoggingSetup.bootstrap(levelText: "error")
        do {
            for hosts in hostCounts {
                try IntelBench(database: config.database, scratch: scratch, adminDB: adminDB, hosts: hosts,
                               rawDays: rawDays, hourlyDays: hourlyDays, runs: runs, logRows: logRows, keep: keep).run()
            }
            if rulesTables > 0 {
                let bench = IntelBench(database: config.database, scratch: scratch, adminDB: adminDB, hosts: 1,
                                       rawDays: rawDays, hourlyDays: hourlyDays, runs: runs, logRows: 0, keep: keep)
                try RulesBench(bench: bench, tables: rulesTables).run()
            }
        } catch {
            ProcessEnvironment.printError("error: \(error)")
            throw CommandExit(2)
        }
    }
}

/// The analyzers' SQL on one connection, each statement timed.
final class TimedSQL: IntelSQL {
    let connection: PGConnection
    var statements: [(sql: String, params: [String?], nanos: UInt64)] = []

    init(_ connection: PGConnection) { self.connection = connection }

    func query(_ sql: String, _ params: [String?]) throws -> [[String?]] {
        let start = MonotonicClock.nowNanos()
        let r = try connection.query(sql, params)
        statements.append((sql, params, MonotonicClock.nowNanos() - start))
        return (0..<r.rowCount).map { row in (0..<r.columnCount).map { r.string(row, $0) } }
    }
}

struct IntelBench {
    let database: DatabaseConfig
    let scratch: String
    let adminDB: String
    let hosts: Int
    let rawDays: Int
    let hourlyDays: Int
    let runs: Int
    let logRows: Int
    let keep: Bool

    /// The catalogue's raw tables at their default intervals, and their series keys.
    struct Source {
        var raw: String
        var hourly: String
        var interval: Int64
        var keys: [[String: String]] = [[:]]
    }

    static let sources: [Source] = [
        Source(raw: "system_metrics_raw", hourly: "system_metrics_hourly", interval: 10),
        Source(raw: "process_metrics_raw", hourly: "process_metrics_hourly", interval: 10,
               keys: ["postgres", "nginx", "pqcrypta-api", "pqcrypta-proxy", "redis-server", "sshd"].map { ["process_name": $0] }),
        Source(raw: "api_metrics_raw", hourly: "api_metrics_hourly", interval: 10),
        Source(raw: "proxy_metrics_raw", hourly: "proxy_metrics_hourly", interval: 10),
        Source(raw: "db_metrics_raw", hourly: "db_metrics_hourly", interval: 10),
        Source(raw: "table_metrics_raw", hourly: "table_metrics_hourly", interval: 300,
               keys: (1...20).map { ["schema_name": "public", "table_name": "t\($0)"] }),
    ]

    func say(_ s: String) {
        print(s)
        fflush(nil)  // every stream: the table is read while long runs go on
    }

    func conninfo(_ name: String) -> String {
        var d = database
        d.name = name
        return ConnectionString.make(d, applicationName: "IntelBench")
    }

    func run() throws {
        guard scratch.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }), scratch != database.name else {
            throw BenchFailure("scratch database '\(scratch)' must be a plain identifier other than the collector's database")
        }
        let admin = try PGConnection(conninfo: conninfo(adminDB))
        _ = try admin.execute("DROP DATABASE IF EXISTS \(scratch) WITH (FORCE)")
        _ = try admin.execute("CREATE DATABASE \(scratch)")
        defer { if !keep { _ = try? admin.execute("DROP DATABASE IF EXISTS \(scratch) WITH (FORCE)") } }
        let c = try PGConnection(conninfo: conninfo(scratch))
        let plugins: [(String, [PluginMigration])] = [
            ("system_metrics", SystemSchema.migrations), ("app_metrics", AppSchema.migrations),
            ("pg_stats", PGStatsSchema.migrations), ("intelligence", IntelligenceSchema.migrations),
        ]
        _ = try Migrator(connection: c).apply(EmbeddedMigrations.all + plugins.flatMap { name, migrations in
            migrations.map { Migration(name: "\(name)/\($0.name)", sql: $0.sql) }
        })
        let now = (WallClock.nowMicros() / 1_000_000) / 300 * 300
        _ = try c.execute("SELECT collector.ensure_partitions((to_timestamp(\(now - Int64(rawDays) * 86_400)) AT TIME ZONE 'UTC')::date, (to_timestamp(\(now)) AT TIME ZONE 'UTC')::date + 1)")

        say("\n## \(hosts) host\(hosts == 1 ? "" : "s"): \(rawDays) days of raw rows, \(hourlyDays) days of hourly rows each")
        let started = MonotonicClock.nowNanos()
        var rawRows: Int64 = 0, hourlyRows: Int64 = 0
        for h in 1...hosts {
            let host = Self.hostName(h)
            for s in Self.sources {
                hourlyRows += try generate(c, s, host: host, hourly: true, from: now - Int64(hourlyDays) * 86_400, to: now)
                rawRows += try generate(c, s, host: host, hourly: false, from: now - Int64(rawDays) * 86_400, to: now)
            }
        }
        _ = try c.execute("VACUUM ANALYZE")
        let size = try c.query("SELECT pg_size_pretty(pg_database_size(current_database()))").string(0, 0) ?? "?"
        say("generated \(rawRows) raw and \(hourlyRows) hourly rows (\(size)) in \(ms(MonotonicClock.nowNanos() - started) / 1000) s")

        // The first host's analyzers, as its daemon runs them.
        let sql = TimedSQL(try PGConnection(conninfo: conninfo(scratch)))
        let host = Self.hostName(1)
        let anomaly = AnomalyAnalyzer(hostname: host, configuration: IntelligenceConfiguration(), sql: sql)
        let slo = SLOAnalyzer(hostname: host, slos: SLODefinition.defaults, sql: sql)
        var table: [(label: String, wall: Double, db: Double, statements: Int, findings: Int)] = []
        func intelRun(at t: Int64, _ label: String) throws {
            sql.statements.removeAll()
            var findings = 0
            let start = MonotonicClock.nowNanos()
            try anomaly.run(now: t) { _ in findings += 1 }
            try slo.run(now: t) { _ in findings += 1 }
            let wall = ms(MonotonicClock.nowNanos() - start)
            table.append((label, wall, ms(sql.statements.reduce(0) { $0 + $1.nanos }), sql.statements.count, findings))
        }
        try intelRun(at: now, "first (warm-up, SLO counts)")
        for k in 1...runs {
            let t = now + Int64(k) * 300
            for h in 1...hosts {
                for s in Self.sources { _ = try generate(c, s, host: Self.hostName(h), hourly: false, from: t - 300, to: t) }
            }
            try intelRun(at: t, "steady \(k)")
        }
        say("| run | wall ms | statement ms | statements | findings |")
        say("|---|---|---|---|---|")
        for r in table { say("| \(r.label) | \(fixed(r.wall)) | \(fixed(r.db)) | \(r.statements) | \(r.findings) |") }
        let steady = table.dropFirst().map(\.wall).sorted()
        let steadyDB = table.dropFirst().map(\.db).sorted()
        say("steady median: wall \(fixed(steady[steady.count / 2])) ms, statements \(fixed(steadyDB[steadyDB.count / 2])) ms")

        // The slowest statement of the last run, explained with its parameters.
        try explainSlowest(sql, on: c, "the last run")
        if logRows > 0 { try benchLogs(c, now: now + Int64(runs) * 300) }
    }

    func explainSlowest(_ sql: TimedSQL, on c: PGConnection, _ what: String) throws {
        guard let slowest = sql.statements.max(by: { $0.nanos < $1.nanos }) else { return }
        say("\nslowest statement of \(what) (\(fixed(ms(slowest.nanos))) ms):\n```sql\n\(slowest.sql)\n```")
        let plan = try c.query("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + slowest.sql, slowest.params)
        say("```\n" + (0..<plan.rowCount).map { plan.string($0, 0) ?? "" }.joined(separator: "\n") + "\n```")
    }

    /// `logRows` log rows of the first host in the last 5 minutes (and as many of
    /// a second host, if any, so the reads must skip them): sshd failures from 50
    /// addresses, web access lines, PostgreSQL errors, firewall blocks, with
    /// the parsers' context fields and a fingerprint; then one run of each log analyzer.
    func benchLogs(_ c: PGConnection, now: Int64) throws {
        let started = MonotonicClock.nowNanos()
        for h in 1...min(hosts, 2) {
            _ = try c.query("""
                INSERT INTO collector.log_entries (host, ts, source, level, message, context, fingerprint)
                SELECT $1, to_timestamp($2::float8 - 290 + 290.0 * i / $3::int), s.source, s.level, s.message, s.context,
                       -- A stand-in for the host's fingerprint (digit runs at word starts masked; the
                       -- host also masks addresses, UUIDs and hex, so its groups are no more).
                       left(md5(s.source || '|' || s.level || '|' || regexp_replace(s.message, '\\m[0-9]+', '#', 'g')), 16)
                FROM generate_series(1, $3::int) i,
                LATERAL (SELECT CASE i % 4 WHEN 0 THEN 'auth' WHEN 1 THEN 'nginx' WHEN 2 THEN 'postgresql' ELSE 'kernel' END AS source,
                                CASE i % 4 WHEN 2 THEN 'error' WHEN 0 THEN 'warn' ELSE 'info' END AS level,
                                CASE i % 4
                                  WHEN 0 THEN 'Failed password for ' || (ARRAY['root','admin','oracle','test','ubuntu'])[1 + i % 5] || ' from 203.0.113.' || (i % 50) || ' port ' || (30000 + i % 30000) || ' ssh2'
                                  WHEN 1 THEN 'GET /api/v1/items/' || (i % 997) || ' HTTP/1.1 200 ' || (100 + i % 9000) || ' ' || (i % 300) || 'ms'
                                  WHEN 2 THEN 'relation "t_' || (i % 13) || '" does not exist at character ' || (i % 80)
                                  ELSE '[UFW BLOCK] IN=eth0 OUT= SRC=198.51.100.' || (i % 20) || ' DST=10.0.0.1 PROTO=TCP SPT=' || (1024 + i % 60000) || ' DPT=' || (ARRAY[22,23,3389,5432])[1 + i % 4]
                                END AS message,
                                CASE i % 4
                                  WHEN 0 THEN jsonb_build_object('ssh_event', 'failed_password', 'client_ip', '203.0.113.' || (i % 50), 'user', (ARRAY['root','admin','oracle','test','ubuntu'])[1 + i % 5])
                                  WHEN 3 THEN jsonb_build_object('action', 'block', 'src_ip', '198.51.100.' || (i % 20), 'dst_port', ((ARRAY[22,23,3389,5432])[1 + i % 4])::text, 'proto', 'TCP')
                                END AS context) s
                """, [Self.hostName(h), String(now), String(logRows)])
        }
        _ = try c.execute("VACUUM ANALYZE collector.log_entries")
        say("\n## Log analyzers: \(logRows) rows of each of \(min(hosts, 2)) host\(hosts == 1 ? "" : "s") in the last 5 minutes (generated in \(ms(MonotonicClock.nowNanos() - started) / 1000) s)")
        let sql = TimedSQL(try PGConnection(conninfo: conninfo(scratch)))
        let host = Self.hostName(1)
        let patterns = PatternAnalyzer(hostname: host, sql: sql, maxLines: max(logRows, 1), settleSeconds: 0)
        let security = SecurityAnalyzer(hostname: host, sql: sql)
        let spikes = ErrorSpikeAnalyzer(hostname: host, sql: sql)
        say("| analyzer | wall ms | statement ms | result |")
        say("|---|---|---|---|")
        func timed(_ name: String, _ body: () throws -> String) throws {
            sql.statements.removeAll()
            let start = MonotonicClock.nowNanos()
            let result = try body()
            say("| \(name) | \(fixed(ms(MonotonicClock.nowNanos() - start))) | \(fixed(ms(sql.statements.reduce(0) { $0 + $1.nanos }))) | \(result) |")
        }
        // The patterns run reads what was written up to now: the real clock.
        let wall = Double(WallClock.nowMicros()) / 1e6
        try timed("log_patterns") {
            let s = try patterns.run(now: wall)
            return "\(s.lines) lines, \(s.templates) templates, \(s.patterns) patterns"
        }
        let patternSQL = sql.statements
        try timed("security") {
            var n = 0
            let s = try security.run(now: Double(now)) { _ in n += 1 }
            return "\(s.bruteForce.count) brute-forcing addresses, \(s.firewall) firewall sources, \(n) findings"
        }
        try explainSlowest(sql, on: c, "the security run")
        try timed("error_spikes") { "\(try spikes.run(now: Double(now)) { _ in }) spikes" }
        sql.statements = patternSQL
        try explainSlowest(sql, on: c, "the patterns run")
    }

    static func hostName(_ i: Int) -> String { i < 10 ? "host0\(i)" : "host\(i)" }

    /// Rows of one source for one host in (from, to]: every numeric column filled
    /// (counters rise, so rates stay sane), booleans true except `missing`.
    func generate(_ c: PGConnection, _ s: Source, host: String, hourly: Bool, from: Int64, to: Int64) throws -> Int64 {
        let table = hourly ? s.hourly : s.raw
        let columns = try c.query("""
            SELECT column_name::text, data_type::text FROM information_schema.columns
            WHERE table_schema = 'collector' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position
            """, [table])
        var names: [String] = [], values: [String] = []
        let time = "g.t"  // the series column of both the raw and the hourly generator
        for i in 0..<columns.rowCount {
            guard let name = columns.string(i, 0), let type = columns.string(i, 1) else { continue }
            let value: String? = switch (name, type) {
            case ("host", _): "'\(host)'"
            case ("ts", _), ("hour", _): "to_timestamp(\(time))"
            case ("sample_count", _): hourly ? "\(3_600 / s.interval)" : nil
            case _ where s.keys[0][name] != nil: "k.\(name)"
            case ("missing", _): "false"
            case (_, "boolean"): "true"
            case (_, "double precision"): name.hasSuffix("ratio") ? "0.9 + random() * 0.1" : "50 + random() * 10"
            case (_, "integer"): "(20 + random() * 5)::int"
            case (_, "bigint"): "(\(time) * 10 + random() * 10)::bigint"
            default: nil
            }
            if let value { names.append(name); values.append(value) }
        }
        let step = hourly ? 3_600 : s.interval
        let first = hourly ? (from / 3_600 + 1) * 3_600 - 3_600 : (from / step + 1) * step
        let last = hourly ? to / 3_600 * 3_600 - 3_600 : to
        guard first <= last else { return 0 }
        let keyColumns = s.keys[0].keys.sorted()
        let keys = keyColumns.isEmpty
            ? "(SELECT 1) k"
            : "(VALUES " + s.keys.map { key in "(" + keyColumns.map { "'\(key[$0] ?? "")'" }.joined(separator: ", ") + ")" }.joined(separator: ", ")
                + ") AS k(\(keyColumns.joined(separator: ", ")))"
        let r = try c.query("""
            INSERT INTO collector.\(table) (\(names.joined(separator: ", ")))
            SELECT \(values.joined(separator: ", ")) FROM generate_series(\(first)::bigint, \(last)::bigint, \(step)::bigint) g(t) CROSS JOIN \(keys)
            """)
        return Int64(r.affectedRows)
    }

    func ms(_ nanos: UInt64) -> Double { Double(nanos) / 1e6 }
    func fixed(_ x: Double) -> String {
        let tenths = Int64((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
