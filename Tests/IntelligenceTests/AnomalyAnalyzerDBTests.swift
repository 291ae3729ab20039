import CollectorTestSupport
import Foundation
import XCTest
@testable import CollectorCore

/// libIntelligence.so loaded the way the daemon loads it, its analyzer run as a
/// scheduler job with the host's FindingStore, over 15 days of generated history
/// of two hosts in the test database.
final class AnomalyAnalyzerDBTests: XCTestCase {
    static let hostA = "intel-a", hostB = "intel-b"

    // MARK: history

    /// A generated column: base level, relative daily amplitude, noise sigma.
    struct Column {
        var name: String
        var base: Double
        var amp: Double
        var noise: Double
        var spread = true  // the hourly rollup has _min and _max
        func value(_ ts: String, key: String = "1") -> String {
            // Sum of 4 uniforms - 2: bounded, near-normal, sigma 0.577.
            "(\(base) * \(key) * (1 + \(amp) * sin(2 * pi() * extract(epoch FROM \(ts)) / 86400)) + \(noise / 0.577) * (random() + random() + random() + random() - 2))"
        }
    }

    struct Table {
        var raw: String
        var hourly: String
        var columns: [Column]
        var keyColumns: [String] = []
        var keys: [[String]] = [[]]
        /// A multiplier per key for the base level.
        var scales: [Double] = [1]
        var extraRaw: [(String, String)] = []
        var extraHourly: [(String, String)] = []
    }

    static let tables: [Table] = [
        Table(raw: "system_metrics_raw", hourly: "system_metrics_hourly", columns: [
            Column(name: "cpu_pct", base: 30, amp: 0.3, noise: 2),
            Column(name: "mem_used_pct", base: 60, amp: 0, noise: 0.5),
            Column(name: "load_1m", base: 2, amp: 0.5, noise: 0.05),
        ]),
        Table(raw: "process_metrics_raw", hourly: "process_metrics_hourly", columns: [
            Column(name: "cpu_pct", base: 10, amp: 0.3, noise: 1),
            Column(name: "rss_bytes", base: 1e9, amp: 0, noise: 5e6),
        ], keyColumns: ["process_name"], keys: [["postgres"], ["nginx"]], scales: [2, 1]),
        Table(raw: "api_metrics_raw", hourly: "api_metrics_hourly", columns: [
            Column(name: "requests_per_sec", base: 200, amp: 0.4, noise: 8),
            Column(name: "error_rate_pct", base: 1, amp: 0, noise: 0.1),
            Column(name: "latency_p95_ms", base: 120, amp: 0.2, noise: 5),
        ]),
        Table(raw: "db_metrics_raw", hourly: "db_metrics_hourly", columns: [
            Column(name: "cache_hit_ratio", base: 0.99, amp: 0, noise: 0.001),
            Column(name: "connections_total", base: 40, amp: 0.25, noise: 2),
        ]),
        Table(raw: "table_metrics_raw", hourly: "table_metrics_hourly", columns: [
            Column(name: "dead_tup_ratio", base: 0.05, amp: 0, noise: 0.002),
        ], keyColumns: ["schema_name", "table_name"], keys: [["public", "orders"], ["public", "users"], ["public", "events"]],
              scales: [1, 1.2, 0.8],
              extraRaw: [("total_size_bytes", "(1000000000 * k.scale)::bigint")],
              extraHourly: [("total_size_bytes_avg", "1000000000 * k.scale")]),
    ]

    /// Rows of every table for both hosts: raw every minute in [from, to), hourly
    /// rows for the whole hours in [hourlyFrom, hourlyTo).
    static func historySQL(rawFrom: String, rawTo: String, hourlyFrom: String, hourlyTo: String) -> String {
        var sql = "SELECT setseed(0.42);\n"
        for t in tables {
            let keyValues = zip(t.keys, t.scales).map { key, scale in
                "(" + (key.map { "'\($0)'" } + ["\(scale)"]).joined(separator: ", ") + ")"
            }.joined(separator: ", ")
            let keyAlias = (t.keyColumns + ["scale"]).joined(separator: ", ")
            let keySelect = t.keyColumns.map { "k.\($0)" }
            // raw
            let rawColumns = ["host", "ts"] + t.keyColumns + t.columns.map(\.name) + t.extraRaw.map(\.0)
            let rawValues = ["h.host", "g.ts"] + keySelect + t.columns.map { $0.value("g.ts", key: "k.scale") } + t.extraRaw.map(\.1)
            sql += """
                INSERT INTO collector.\(t.raw) (\(rawColumns.joined(separator: ", ")))
                SELECT \(rawValues.joined(separator: ", "))
                FROM (VALUES ('\(hostA)'), ('\(hostB)')) AS h(host), (VALUES \(keyValues)) AS k(\(keyAlias)),
                     generate_series(\(rawFrom), \(rawTo) - interval '1 second', interval '1 minute') AS g(ts);

                """
            // hourly: the mean at mid-hour with noise / sqrt(60), and a range of +-2.3 sigma
            var hourlyColumns = ["host", "hour", "sample_count"] + t.keyColumns + t.extraHourly.map(\.0)
            var hourlyValues = ["h.host", "g.hour", "60"] + keySelect + t.extraHourly.map(\.1)
            for c in t.columns {
                let mean = Column(name: c.name, base: c.base, amp: c.amp, noise: c.noise / 60.0.squareRoot())
                    .value("g.hour + interval '30 minutes'", key: "k.scale")
                hourlyColumns.append("\(c.name)_avg")
                hourlyValues.append(mean)
                if c.spread {
                    hourlyColumns += ["\(c.name)_min", "\(c.name)_max"]
                    hourlyValues += ["\(mean) - \(2.3 * c.noise)", "\(mean) + \(2.3 * c.noise)"]
                }
            }
            sql += """
                INSERT INTO collector.\(t.hourly) (\(hourlyColumns.joined(separator: ", ")))
                SELECT \(hourlyValues.joined(separator: ", "))
                FROM (VALUES ('\(hostA)'), ('\(hostB)')) AS h(host), (VALUES \(keyValues)) AS k(\(keyAlias)),
                     generate_series(\(hourlyFrom), \(hourlyTo) - interval '1 hour', interval '1 hour') AS g(hour);

                """
        }
        return sql
    }

    /// Live raw rows of both hosts in [from, to) (minutes relative to `base`).
    static func liveSQL(base: String, from: Int, to: Int) -> String {
        historySQL(rawFrom: "\(base) + interval '\(from) minutes'", rawTo: "\(base) + interval '\(to) minutes'",
                   hourlyFrom: "'2000-01-01'::timestamptz", hourlyTo: "'2000-01-01'::timestamptz")
            .replacingOccurrences(of: "SELECT setseed(0.42);\n", with: "SELECT setseed(0.\(from + 1));\n")
    }

    /// Sets a metric's live raw rows of a host in [from, to) minutes to `value`.
    static func inject(_ table: String, _ column: String, _ value: String, host: String = hostA, base: String, from: Int, to: Int,
                       where extra: String = "") -> String {
        """
        UPDATE collector.\(table) SET \(column) = \(value)
        WHERE host = '\(host)' AND ts >= \(base) + interval '\(from) minutes' AND ts < \(base) + interval '\(to) minutes' \(extra);

        """
    }

    // MARK: the scenario

    func testInjectedAnomaliesBecomeInsightsAndTheCleanStretchStaysQuiet() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        // Raw history ends 70 minutes ago; the live stretch is the next 60 minutes, in runs.
        let base = "'\(try db.scalar("SELECT date_trunc('minute', now() - interval '70 minutes')")!)'::timestamptz"
        let lastHour = "date_trunc('hour', \(base))"
        let start = Date()
        try db.execute(Self.historySQL(rawFrom: "\(lastHour) - interval '8 hours'", rawTo: base,
                                       hourlyFrom: "\(lastHour) - interval '15 days'", hourlyTo: lastHour))
        let generated = Date().timeIntervalSince(start)
        print("history generated in \(Int(generated * 1000)) ms")

        let harness = try IntelligenceHarness(db, hostname: Self.hostA, analyzer: "anomaly")
        let warmMs = harness.run()
        func insights() throws -> [[String: String]] {
            try db.namedRows("""
                SELECT host, key, type, severity, domain, metric, metric_key, direction, value, baseline_mean, baseline_stddev,
                       z_score, drift_pct, occurrences, context::text AS context, title FROM collector.insights ORDER BY id
                """)
        }
        XCTAssertEqual(try insights().count, 0, "the warm-up run reports nothing")
        // Baselines: every generated series of host A counts, with median/MAD and a profile (15 days).
        let baselines = try db.namedRows("SELECT domain, metric, metric_key, sample_count, median, mad, profile IS NOT NULL AS p FROM collector.baselines WHERE host = $1", [Self.hostA])
        XCTAssertEqual(baselines.count, 3 + 4 + 3 + 2 + 3, "\(baselines)")
        XCTAssertTrue(baselines.allSatisfy { $0["p"] == "t" && $0["median"] != nil && Int($0["sample_count"]!)! >= 6 * 60 })
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.baselines WHERE host <> $1", [Self.hostA]), "0",
                       "a daemon analyses its own host only")
        let cpuBaseline = try db.namedRows("SELECT mean, stddev FROM collector.baselines WHERE host = $1 AND metric = 'cpu_pct' AND domain = 'system'", [Self.hostA])[0]
        XCTAssertEqual(Double(cpuBaseline["mean"]!)!, 30, accuracy: 1.5)
        // The daily swing (30 % of 30, i.e. sigma 6.4) dominates the 2-point noise.
        XCTAssertEqual(Double(cpuBaseline["stddev"]!)!, (6.36 * 6.36 + 4).squareRoot(), accuracy: 1.2)
        let load = try db.namedRows("SELECT mean, stddev FROM collector.baselines WHERE host = $1 AND metric = 'load_1m'", [Self.hostA])[0]
        let loadWarn = Double(load["mean"]!)! + 2.5 * Double(load["stddev"]!)!

        // 1. A clean stretch: 20 minutes in two runs.
        var runMs: [Double] = [warmMs]
        try db.execute(Self.liveSQL(base: base, from: 0, to: 10)); runMs.append(harness.run())
        try db.execute(Self.liveSQL(base: base, from: 10, to: 20)); runMs.append(harness.run())
        let clean = try insights()
        XCTAssertLessThanOrEqual(clean.count, 2, "the clean stretch raises at most a handful: \(clean.map { $0["title"]! })")

        // 2. Anomalies in minutes 22-25 (4 points each) on host A, one on host B.
        var sql = Self.liveSQL(base: base, from: 20, to: 30)
        sql += Self.inject("system_metrics_raw", "cpu_pct", "85", base: base, from: 22, to: 26)
        sql += Self.inject("api_metrics_raw", "latency_p95_ms", "450", base: base, from: 22, to: 26)
        sql += Self.inject("db_metrics_raw", "cache_hit_ratio", "0.90", base: base, from: 22, to: 26)
        sql += Self.inject("table_metrics_raw", "dead_tup_ratio", "0.30", base: base, from: 22, to: 26, where: "AND table_name = 'orders'")
        sql += Self.inject("process_metrics_raw", "rss_bytes", "3000000000", base: base, from: 22, to: 26, where: "AND process_name = 'postgres'")
        sql += Self.inject("system_metrics_raw", "load_1m", String(loadWarn), base: base, from: 22, to: 26)
        // Directions that do not hurt, and a single point: no insight.
        sql += Self.inject("api_metrics_raw", "error_rate_pct", "0", base: base, from: 22, to: 26)
        sql += Self.inject("process_metrics_raw", "cpu_pct", "0", base: base, from: 22, to: 26, where: "AND process_name = 'nginx'")
        sql += Self.inject("system_metrics_raw", "mem_used_pct", "95", base: base, from: 24, to: 25)
        sql += Self.inject("system_metrics_raw", "cpu_pct", "99", host: Self.hostB, base: base, from: 22, to: 26)
        try db.execute(sql)
        runMs.append(harness.run())

        let afterSpike = try insights()
        let raised = afterSpike.dropFirst(clean.count)
        func find(_ key: String) -> [String: String]? { raised.first { $0["key"] == key } }
        let expected: [(key: String, metric: String, direction: String, severity: String)] = [
            ("anomaly:system.cpu_pct", "cpu_pct", "spike", "critical"),
            ("anomaly:api.latency_p95_ms", "latency_p95_ms", "spike", "critical"),
            ("anomaly:db.cache_hit_ratio", "cache_hit_ratio", "drop", "critical"),
            ("anomaly:table.dead_tup_ratio:public.orders", "dead_tup_ratio", "spike", "critical"),
            ("anomaly:process.rss_bytes:postgres", "rss_bytes", "spike", "critical"),
            ("anomaly:system.load_1m", "load_1m", "spike", "warn"),
        ]
        for e in expected {
            guard let row = find(e.key) else {
                XCTFail("no insight \(e.key); raised: \(raised.map { $0["key"]! })")
                continue
            }
            XCTAssertEqual(row["host"], Self.hostA)
            XCTAssertEqual(row["type"], "anomaly")
            XCTAssertEqual(row["metric"], e.metric)
            XCTAssertEqual(row["direction"], e.direction, e.key)
            XCTAssertEqual(row["severity"], e.severity, "\(e.key): z \(row["z_score"] ?? "-")")
            XCTAssertNotNil(row["baseline_mean"]); XCTAssertNotNil(row["baseline_stddev"]); XCTAssertNotNil(row["drift_pct"])
            let context = try XCTUnwrap(row["context"])
            XCTAssertTrue(context.contains("\"anomaly_score\""), context)
            XCTAssertTrue(context.contains("\"baseline\""), context)
        }
        XCTAssertEqual(find("anomaly:table.dead_tup_ratio:public.orders")?["metric_key"], "public.orders")
        for silent in ["anomaly:api.error_rate_pct", "anomaly:process.cpu_pct:nginx", "anomaly:system.mem_used_pct"] {
            XCTAssertNil(find(silent), "\(silent) must not be raised")
        }
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.insights WHERE host <> $1", [Self.hostA]), "0")
        // Correlated anomalies: the CPU insight lists the others, highest score first.
        let cpuContext = try XCTUnwrap(find("anomaly:system.cpu_pct")?["context"])
        for other in ["api.latency_p95_ms", "db.cache_hit_ratio", "table.dead_tup_ratio"] {
            XCTAssertTrue(cpuContext.contains("\"metric\": \"\(other)\"") || cpuContext.contains("\"metric\":\"\(other)\""), cpuContext)
        }
        XCTAssertFalse(cpuContext.contains("\"metric\":\"system.cpu_pct\"") || cpuContext.contains("\"metric\": \"system.cpu_pct\""))
        let rate = try db.namedRows("SELECT watched_series, anomalous_series, anomaly_rate FROM collector.anomaly_rate_raw WHERE host = $1 ORDER BY ts DESC LIMIT 1", [Self.hostA])[0]
        XCTAssertEqual(Int(rate["watched_series"]!), 15)
        XCTAssertGreaterThanOrEqual(Int(rate["anomalous_series"]!)!, 6)
        XCTAssertEqual(Double(rate["anomaly_rate"]!)!, Double(rate["anomalous_series"]!)! / 15, accuracy: 1e-9)

        // 3. The RSS spikes again within the hour: the same insight is updated. (The
        // detector remembers the first burst for 2 days: a repeat is news again only
        // when it is about twice as large, see docs/anomaly-detection.md.)
        sql = Self.liveSQL(base: base, from: 30, to: 40)
        sql += Self.inject("process_metrics_raw", "rss_bytes", "6000000000", base: base, from: 33, to: 37, where: "AND process_name = 'postgres'")
        try db.execute(sql)
        runMs.append(harness.run())
        let rssRows = try db.namedRows("SELECT occurrences, value FROM collector.insights WHERE key = 'anomaly:process.rss_bytes:postgres'")
        XCTAssertEqual(rssRows.count, 1, "updated, not duplicated")
        XCTAssertEqual(rssRows.first?["occurrences"], "2")
        XCTAssertEqual(rssRows.first?["value"], "6000000000")

        // 4. Recovered: 20 clean minutes raise nothing new and update nothing.
        let before = try db.rows("SELECT key, occurrences FROM collector.insights ORDER BY id")
        try db.execute(Self.liveSQL(base: base, from: 40, to: 50)); runMs.append(harness.run())
        try db.execute(Self.liveSQL(base: base, from: 50, to: 60)); runMs.append(harness.run())
        XCTAssertEqual(try db.rows("SELECT key, occurrences FROM collector.insights ORDER BY id"), before,
                       "recovered metrics stop producing insights")
        print("analyzer runs (ms): \(runMs.map { Int($0) })")
    }
}
